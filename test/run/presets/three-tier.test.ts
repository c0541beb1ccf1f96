import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadPolicy, PRESETS_DIR } from "../../../src/policy/load-policy.js";
import { type Fixture, type FixtureRow, gradeFixture, policyFile, rules, tiers } from "../support.js";

/**
 * three-tier (docs/schemes.md §1), as of 2026-01-01: the 24-month window starts
 * 2024-01-01, the 12-month window 2025-01-01. Tier 1 rules are tried first
 * (net-negative, complaint abuse, compensation-heavy), then Tier 3, then
 * Tier 2 (2+ orders in 24 months); everyone left is Tier 1 "not yet a repeat
 * buyer" (rule id `otherwise`).
 */
const PRESET = { presets: ["three-tier"] };
const T1 = "Tier 1 – low value";
const T2 = "Tier 2 – loyal";
const T3 = "Tier 3 – lifetime";

let seq = 0;
const order = (customer: string, at: string, amount: number, extra: FixtureRow = {}): FixtureRow => ({
  order_id: `o${++seq}`,
  customer_id: customer,
  ordered_at: at,
  amount,
  cost: 0,
  status: "completed",
  ...extra,
});
const interaction = (customer: string, at: string, kind: string, extra: FixtureRow = {}): FixtureRow => ({
  interaction_id: `i${++seq}`,
  customer_id: customer,
  at,
  kind,
  ...extra,
});
const customers = (...ids: string[]): FixtureRow[] => ids.map((customer_id) => ({ customer_id }));

describe("three-tier preset: Tier 1 reasons and Tier 2", () => {
  const fixture: Fixture = {
    customers: customers(
      "net-negative",
      "net-zero",
      "refund-handling",
      "old-compensation",
      "complaint-abuse",
      "complaint-abuse-no-orders",
      "one-unfounded",
      "compensation-heavy",
      "compensation-under",
      "one-order",
      "no-orders",
      "lapsed-repeat",
      "repeat-window-edges",
      "repeat-one-outside",
      "returned-repeat",
    ),
    orders: [
      // 2 × (100 − cost 120) = −40 → net-negative, although a repeat buyer
      order("net-negative", "2025-03-01", 100, { cost: 120 }),
      order("net-negative", "2025-04-01", 100, { cost: 120 }),
      // contribution exactly 0 (<= 0) → net-negative
      order("net-zero", "2025-03-01", 100, { cost: 60, service_cost: 40 }),
      order("net-zero", "2025-04-01", 100, { cost: 100 }),
      // 2 × (100 − 50) = 100, minus the service cost of a returned order (150) → −50 → net-negative
      order("refund-handling", "2025-03-01", 100, { cost: 50 }),
      order("refund-handling", "2025-04-01", 100, { cost: 50 }),
      order("refund-handling", "2025-05-01", 900, { cost: 500, service_cost: 150, status: "returned" }),
      // 200 of margin, 250 compensation in 2024 (inside 24 months, outside 12) → −50 → net-negative
      order("old-compensation", "2025-03-01", 100),
      order("old-compensation", "2025-04-01", 100),
      // profitable repeat buyers with complaints
      order("complaint-abuse", "2025-03-01", 1000, { cost: 500 }),
      order("complaint-abuse", "2025-04-01", 1000, { cost: 500 }),
      order("one-unfounded", "2025-03-01", 1000, { cost: 500 }),
      order("one-unfounded", "2025-04-01", 1000, { cost: 500 }),
      // spend 1,000 in 12 months
      order("compensation-heavy", "2025-03-01", 500),
      order("compensation-heavy", "2025-04-01", 500),
      order("compensation-under", "2025-03-01", 500),
      order("compensation-under", "2025-04-01", 500),
      order("one-order", "2025-06-01", 5000, { cost: 1000 }),
      // two orders, both before the 24-month window
      order("lapsed-repeat", "2023-06-01", 5000),
      order("lapsed-repeat", "2023-12-31 23:59:59", 5000),
      // first instant of the 24-month window and last second before as-of: both count
      order("repeat-window-edges", "2024-01-01 00:00:00", 300),
      order("repeat-window-edges", "2025-12-31 23:59:59", 300),
      // one order a second before the window, one inside: 1 order in 24 months
      order("repeat-one-outside", "2023-12-31 23:59:59", 300),
      order("repeat-one-outside", "2025-06-01", 300),
      // one completed and one returned order: 1 order in 24 months
      order("returned-repeat", "2025-02-01", 300),
      order("returned-repeat", "2025-03-01", 300, { status: "returned" }),
    ],
    interactions: [
      interaction("old-compensation", "2024-06-01", "compensation", { value: 250 }),
      // two unfounded complaints on the first and last moment of the 12-month window → abuse
      interaction("complaint-abuse", "2025-01-01 00:00:00", "complaint", { outcome: "unfounded" }),
      interaction("complaint-abuse", "2025-12-31 23:59:59", "complaint", { outcome: "unfounded" }),
      interaction("complaint-abuse-no-orders", "2025-05-01", "complaint", { outcome: "unfounded" }),
      interaction("complaint-abuse-no-orders", "2025-06-01", "complaint", { outcome: "unfounded" }),
      // one unfounded in the window; a founded one, one before the window, one on as-of do not count
      interaction("one-unfounded", "2025-05-01", "complaint", { outcome: "unfounded" }),
      interaction("one-unfounded", "2025-06-01", "complaint", { outcome: "founded" }),
      interaction("one-unfounded", "2024-12-31 23:59:59", "complaint", { outcome: "unfounded" }),
      interaction("one-unfounded", "2026-01-01 00:00:00", "complaint", { outcome: "unfounded" }),
      // 200 >= 20% of 1,000 → compensation-heavy; 199.99 is not
      interaction("compensation-heavy", "2025-05-01", "compensation", { value: 200 }),
      interaction("compensation-under", "2025-05-01", "compensation", { value: 199.99 }),
    ],
  };

  it("assigns each customer the tier and the rule that says why", async () => {
    const { grades } = await gradeFixture(fixture, PRESET);
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.rule_id]]));
    expect(view).toEqual({
      "net-negative": [T1, "net-negative"],
      "net-zero": [T1, "net-negative"],
      "refund-handling": [T1, "net-negative"],
      "old-compensation": [T1, "net-negative"],
      "complaint-abuse": [T1, "complaint-abuse"],
      "complaint-abuse-no-orders": [T1, "complaint-abuse"],
      "one-unfounded": [T2, "repeat-buyer"],
      "compensation-heavy": [T1, "compensation-heavy"],
      "compensation-under": [T2, "repeat-buyer"],
      "one-order": [T1, "otherwise"],
      "no-orders": [T1, "otherwise"],
      "lapsed-repeat": [T1, "otherwise"],
      "repeat-window-edges": [T2, "repeat-buyer"],
      "repeat-one-outside": [T1, "otherwise"],
      "returned-repeat": [T1, "otherwise"],
    });
  });

  it("explains Tier 1 with the reasons the spec names", async () => {
    const { plan } = await loadPolicy(PRESET);
    const scheme = plan.schemes[0];
    if (scheme?.kind !== "rules") throw new Error("three-tier is a rules scheme");
    const reasons = Object.fromEntries(scheme.rules.map((r) => [r.id, [r.tier, r.reason]]));
    expect(reasons["net-negative"]).toEqual([T1, "net-negative contribution"]);
    expect(reasons["complaint-abuse"]).toEqual([T1, "complaint abuse"]);
    expect(reasons["compensation-heavy"]?.[0]).toBe(T1);
    expect(scheme.otherwise).toEqual({ tier: T1, reason: "not yet a repeat buyer" });
    // Tier 1 first, then Tier 3, then Tier 2.
    expect(scheme.rules.map((r) => r.id)).toEqual([
      "net-negative",
      "complaint-abuse",
      "compensation-heavy",
      "lifetime",
      "repeat-buyer",
    ]);
  });
});

/**
 * Tier 3 needs all of: 4+ orders lifetime, tenure >= 365 days, percentile rank
 * >= 95 by 24-month contribution among everyone graded, a category new to
 * the customer in 12 months. The population here is 20 customers: 19 one-order
 * fillers with contributions 100 … 1,900 and the candidate `star`, whose
 * contribution (4 × 8,000) is the highest: rank 20 of 20 → percentile 100. The
 * best filler has rank 19 → 100 × 18 / 19 = 94.7, below 95.
 */
interface StarOptions {
  /** Date of the first of the four orders (default 2024-06-01: tenure 579 days). */
  readonly first?: string;
  /** Number of orders, 3 or 4 (default 4). */
  readonly orders?: number;
  /** Category of the last order, 2025-09-01 (default `bags`, new to the customer). */
  readonly lastCategory?: string;
  /** Extra customers whose contribution beats the star (they replace fillers, n stays 20 unless `extra`). */
  readonly rivals?: number;
  /** Add this many one-order customers with contribution 0 (n grows). */
  readonly extra?: number;
  /** Write no order lines at all. */
  readonly noLines?: boolean;
}

function starFixture(o: StarOptions = {}): Fixture {
  // The first order sets the tenure; with 3 orders, the second one is left out.
  const dates = [o.first ?? "2024-06-01", "2025-02-01", "2025-03-01", "2025-09-01"].filter(
    (_, i) => i !== 1 || (o.orders ?? 4) === 4,
  );
  const rivals = o.rivals ?? 0;
  const fillers = Array.from({ length: 19 }, (_, i) => `filler-${String(i + 1).padStart(2, "0")}`);
  const extra = Array.from({ length: o.extra ?? 0 }, (_, i) => `extra-${i + 1}`);
  const rows: FixtureRow[] = [];
  const lines: FixtureRow[] = [];
  dates.forEach((at, i) => {
    const row = order("star", at, 10000, { cost: 2000 });
    rows.push(row);
    const last = i === dates.length - 1;
    // shoes are bought from the first order on; the last order's line may be a new category.
    // The bags line has no category of its own: it takes its product's.
    const category = last ? (o.lastCategory ?? "bags") : "shoes";
    lines.push(
      category === "bags"
        ? { order_id: row["order_id"] as string, line_no: 1, product_id: "P-bag", quantity: 1, amount: 10000 }
        : { order_id: row["order_id"] as string, line_no: 1, category, quantity: 1, amount: 10000 },
    );
  });
  fillers.forEach((id, i) => {
    const amount = i < 19 - rivals ? (i + 1) * 100 : 1_000_000;
    rows.push(order(id, "2025-05-01", amount));
  });
  for (const id of extra) rows.push(order(id, "2025-05-01", 0));
  return {
    products: [{ product_id: "P-bag", name: "Tote", category: "bags" }],
    customers: customers("star", ...fillers, ...extra),
    orders: rows,
    ...(o.noLines ? {} : { order_lines: lines }),
  };
}

describe("three-tier preset: Tier 3", () => {
  it.each<[string, StarOptions, string, string]>([
    ["meets every condition", {}, T3, "lifetime"],
    ["tenure exactly 365 days (first order 2025-01-01)", { first: "2025-01-01" }, T3, "lifetime"],
    ["tenure 364 days (first order 2025-01-02)", { first: "2025-01-02" }, T2, "repeat-buyer"],
    ["only 3 orders", { orders: 3 }, T2, "repeat-buyer"],
    ["no category new in 12 months (shoes again)", { lastCategory: "shoes" }, T2, "repeat-buyer"],
    ["not in the top 5% (one rival above, rank 19 of 20 → 94.7)", { rivals: 1 }, T2, "repeat-buyer"],
    ["rank 20 of 21 → percentile exactly 95", { rivals: 1, extra: 1 }, T3, "lifetime"],
  ])("star %s", async (_, options, tier, rule) => {
    const { grades, result } = await gradeFixture(starFixture(options), PRESET);
    expect([grades.get("star")?.tier, grades.get("star")?.rule_id]).toEqual([tier, rule]);
    expect(grades.size).toBe(20 + (options.extra ?? 0));
    // Fillers have one order each: Tier 1, not yet a repeat buyer.
    expect(grades.get("filler-01")?.rule_id).toBe("otherwise");
    expect(result.warnings).toEqual([]);
  });

  it("evaluates the expanding signal as unavailable without order lines, and says so", async () => {
    // Same star whose last category is not new: with lines it is Tier 2; without any order
    // lines, new_categories is dropped from the rule (not treated as false) → Tier 3.
    const { grades, result } = await gradeFixture(starFixture({ lastCategory: "shoes", noLines: true }), PRESET);
    expect(grades.get("star")?.tier).toBe(T3);
    expect(grades.get("star")?.rule_id).toBe("lifetime");
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /^three-tier: .*new_categories\(12 months\) >= 1.* is evaluated as .*order lines/,
    );
    expect(result.warnings[0]).not.toMatch(/evaluated as `[^`]*new_categories/);
  });

  it("switches the expanding signal off when its line is deleted from the policy", async () => {
    const preset = await readFile(`${PRESETS_DIR}three-tier.yaml`, "utf8");
    const text = preset.replace(/\n\s+and new_categories\(12 months\) >= 1/, "");
    expect(text).not.toBe(preset);
    const { grades, result } = await gradeFixture(starFixture({ lastCategory: "shoes" }), {
      file: await policyFile(text),
    });
    expect(grades.get("star")?.tier).toBe(T3);
    expect(result.warnings).toEqual([]);
  });

  it("Tier 1 wins over Tier 3: a top customer with two unfounded complaints", async () => {
    const fixture = starFixture();
    const { grades } = await gradeFixture(
      {
        ...fixture,
        interactions: [
          interaction("star", "2025-02-01", "complaint", { outcome: "unfounded" }),
          interaction("star", "2025-03-01", "complaint", { outcome: "unfounded" }),
        ],
      },
      PRESET,
    );
    expect(rules(grades)["star"]).toBe("complaint-abuse");
    expect(tiers(grades)["star"]).toBe(T1);
  });
});
