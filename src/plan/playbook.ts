/**
 * Playbooks: what a tier's customers get (docs/schemes.md §3, §7, §8). Plain data
 * between the policy file and everything that prices or acts on a tier.
 */

/** docs/schemes.md §7: basic (answer when asked), proactive (expected dates up front), premium (proactive plus advice). */
export type ServiceLevel = "basic" | "proactive" | "premium";

/** docs/schemes.md §8, lowest first: a rep of a level may serve customers needing that level or a lower one. */
export const REP_LEVELS = ["standard", "key-account", "senior"] as const;
export type RepLevel = (typeof REP_LEVELS)[number];

/**
 * One benefit and its yearly cost model:
 * - `discount`: `percent` of the tier's yearly spend (member prices, coupons);
 * - `fixed`: `perCustomer` money per customer per year (priority delivery, a service);
 * - `gift`: `perCustomer` money per customer per year for a gift (birthday gift).
 */
export type BenefitPlan =
  | { readonly name: string; readonly kind: "discount"; readonly percent: number }
  | { readonly name: string; readonly kind: "fixed"; readonly perCustomer: number }
  | { readonly name: string; readonly kind: "gift"; readonly perCustomer: number };

/** A tier's playbook (policy `playbooks:` of a scheme, by tier name). */
export interface PlaybookPlan {
  readonly tier: string;
  readonly service?: ServiceLevel;
  /** The rep level the tier's customers need (absent: no rep is assigned for this tier). */
  readonly repLevel?: RepLevel;
  readonly benefits: readonly BenefitPlan[];
  /** Campaign tags, e.g. `vip-launch`. */
  readonly campaigns: readonly string[];
}
