import type { BenefitPlan, PlaybookPlan } from "../plan/playbook.js";

/** What a tier holds over a year: its customers and their spend (annualised). */
export interface TierTotals {
  readonly customers: number;
  /** The tier's net spend over 12 months (money in the policy's currency). */
  readonly yearlySpend: number;
}

/** The yearly cost of one benefit for one tier. */
export interface BenefitCostLine {
  readonly benefit: string;
  readonly kind: BenefitPlan["kind"];
  readonly cost: number;
}

/** A tier's yearly benefit cost under its playbook, by cost model and by benefit. */
export interface BenefitCost {
  /** Σ discount percent × yearly spend. */
  readonly discounts: number;
  /** Σ fixed cost per customer × customers. */
  readonly fixed: number;
  /** Σ gift cost per customer × customers. */
  readonly gifts: number;
  readonly total: number;
  readonly lines: readonly BenefitCostLine[];
}

const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * The yearly cost of a tier's playbook: each `discount` benefit costs its
 * percent of the tier's spend over 12 months, each `fixed` benefit its cost
 * per customer times the tier's customers, each `gift` its cost per customer
 * times the customers. Amounts are rounded to cents. A tier without a
 * playbook (undefined) costs nothing.
 *
 * @example
 * benefitCost(
 *   { tier: "VIP", benefits: [{ name: "member prices", kind: "discount", percent: 5 },
 *                             { name: "birthday gift", kind: "gift", perCustomer: 25 }], campaigns: [] },
 *   { customers: 10, yearlySpend: 1_200_000 },
 * ).total; // 60,000 + 250 = 60,250
 */
export function benefitCost(playbook: PlaybookPlan | undefined, totals: TierTotals): BenefitCost {
  const lines = (playbook?.benefits ?? []).map((b): BenefitCostLine => {
    const cost = b.kind === "discount" ? (b.percent / 100) * totals.yearlySpend : b.perCustomer * totals.customers;
    return { benefit: b.name, kind: b.kind, cost: cents(cost) };
  });
  const sum = (kind: BenefitPlan["kind"]) =>
    cents(lines.filter((l) => l.kind === kind).reduce((n, l) => n + l.cost, 0));
  const discounts = sum("discount");
  const fixed = sum("fixed");
  const gifts = sum("gift");
  return { discounts, fixed, gifts, total: cents(discounts + fixed + gifts), lines };
}

/** The playbook of one tier of a scheme, if it has one. */
export function playbookOf(
  scheme: { readonly playbooks?: readonly PlaybookPlan[] },
  tier: string,
): PlaybookPlan | undefined {
  return scheme.playbooks?.find((p) => p.tier === tier);
}
