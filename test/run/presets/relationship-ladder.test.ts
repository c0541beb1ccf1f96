import { describe, expect, it } from "vitest";
import { type Fixture, type FixtureRow, grade, gradeFixture, memoryStore, seed } from "../support.js";

/**
 * relationship-ladder (docs/schemes.md §2), as of 2026-01-01 (12 months from
 * 2025-01-01, 24 months from 2024-01-01). First matching step from the top:
 * Advocate, Supporter, Customer, Purchaser, Prospect, otherwise Aware.
 */
const PRESET = { presets: ["relationship-ladder"] };

let seq = 0;
const order = (customer: string, at: string, amount = 100, extra: FixtureRow = {}): FixtureRow => ({
  order_id: `o${++seq}`,
  customer_id: customer,
  ordered_at: at,
  amount,
  discount: 0,
  status: "completed",
  ...extra,
});
const line = (o: FixtureRow, category: string): FixtureRow => ({
  order_id: o["order_id"] as string,
  line_no: 1,
  category,
  quantity: 1,
  amount: o["amount"] as number,
});
const interaction = (customer: string, at: string, kind: string): FixtureRow => ({
  interaction_id: `i${++seq}`,
  customer_id: customer,
  at,
  kind,
});
const lead = (customer: string, need: string, status: string, created = "2025-06-01"): FixtureRow => ({
  lead_id: `l${++seq}`,
  customer_id: customer,
  created_at: created,
  need,
  status,
});

// Orders of the customer who, with a discount share of 1/3, needs a new category to be an Advocate.
const discountNew = [
  order("advocate-new-category", "2024-03-01", 100, { discount: 50 }),
  order("advocate-new-category", "2025-03-01", 100, { discount: 50 }),
  order("advocate-new-category", "2025-06-01", 100, { discount: 50 }),
];

const fixture: Fixture = {
  customers: [
    "advocate",
    "advocate-new-category",
    "advocate-discount-20",
    "old-referral",
    "supporter-180",
    "supporter-179",
    "supporter-not-recent",
    "customer",
    "first-order",
    "first-order-long-ago",
    "lapsed",
    "lapsed-edge",
    "returned-only",
    "prospect-clear-lead",
    "prospect-latent-lead",
    "no-need-lead",
    "lost-lead",
    "future-lead",
    "prospect-visit",
    "prospect-inquiry",
    "prospect-signup",
    "old-visit",
    "support-only",
    "aware",
  ].map((customer_id) => ({ customer_id })),
  orders: [
    // 3 orders, discount share 30 / 330 = 9% < 20%, a referral in 24 months → Advocate
    order("advocate", "2024-03-01", 100, { discount: 10 }),
    order("advocate", "2025-03-01", 100, { discount: 10 }),
    order("advocate", "2025-06-01", 100, { discount: 10 }),
    // discount share 150 / 450 = 33%, but bags are new to them in 12 months → Advocate
    ...discountNew,
    // discount share exactly 20% (not < 20%), no order lines → not Advocate; 3 orders,
    // tenure 579 days, ordered in 12 months → Supporter
    order("advocate-discount-20", "2024-06-01", 80, { discount: 20 }),
    order("advocate-discount-20", "2025-03-01", 80, { discount: 20 }),
    order("advocate-discount-20", "2025-06-01", 80, { discount: 20 }),
    // referral a second before the 24-month window → Supporter
    order("old-referral", "2024-03-01"),
    order("old-referral", "2025-03-01"),
    order("old-referral", "2025-06-01"),
    // first order 2025-07-05: tenure exactly 180 days → Supporter
    order("supporter-180", "2025-07-05"),
    order("supporter-180", "2025-08-01"),
    order("supporter-180", "2025-09-01"),
    // first order 2025-07-06: tenure 179 days → Customer
    order("supporter-179", "2025-07-06"),
    order("supporter-179", "2025-08-01"),
    order("supporter-179", "2025-09-01"),
    // 3 orders, none in the last 12 months, some in 24 → Customer
    order("supporter-not-recent", "2024-02-01"),
    order("supporter-not-recent", "2024-05-01"),
    order("supporter-not-recent", "2024-12-31 23:59:59"),
    // 2 orders, last in 24 months → Customer
    order("customer", "2022-01-01"),
    order("customer", "2025-10-01"),
    // exactly one order → Purchaser (first-order), however long ago
    order("first-order", "2025-12-31"),
    order("first-order-long-ago", "2019-05-01"),
    // a repeat buyer whose last order is older than 24 months → Purchaser (lapsed)
    order("lapsed", "2023-06-01"),
    order("lapsed", "2023-12-31 23:59:59"),
    // the second order on the first instant of the 24-month window → Customer
    order("lapsed-edge", "2023-06-01"),
    order("lapsed-edge", "2024-01-01 00:00:00"),
    // a returned and a cancelled order are no purchase; no engagement → Aware
    order("returned-only", "2025-06-01", 100, { status: "returned" }),
    order("returned-only", "2025-07-01", 100, { status: "cancelled" }),
  ],
  order_lines: [
    line(discountNew[0] as FixtureRow, "shoes"),
    line(discountNew[1] as FixtureRow, "shoes"),
    line(discountNew[2] as FixtureRow, "bags"),
  ],
  interactions: [
    interaction("advocate", "2024-01-01 00:00:00", "referral"),
    interaction("advocate-new-category", "2025-06-01", "referral"),
    interaction("advocate-discount-20", "2025-06-01", "referral"),
    interaction("old-referral", "2023-12-31 23:59:59", "referral"),
    interaction("prospect-visit", "2025-01-01 00:00:00", "visit"),
    interaction("prospect-inquiry", "2025-12-31 23:59:59", "inquiry"),
    interaction("prospect-signup", "2025-08-01", "signup"),
    interaction("old-visit", "2024-12-31 23:59:59", "visit"),
    interaction("support-only", "2025-08-01", "support"),
  ],
  leads: [
    lead("prospect-clear-lead", "clear", "open"),
    lead("prospect-latent-lead", "latent", "open"),
    lead("no-need-lead", "none", "open"),
    lead("lost-lead", "clear", "lost"),
    lead("future-lead", "clear", "open", "2026-01-01"), // opened on as-of: not yet known
  ],
};

const EXPECTED: Record<string, [string, string]> = {
  advocate: ["Advocate", "advocate"],
  "advocate-new-category": ["Advocate", "advocate"],
  "advocate-discount-20": ["Supporter", "supporter"],
  "old-referral": ["Supporter", "supporter"],
  "supporter-180": ["Supporter", "supporter"],
  "supporter-179": ["Customer", "customer"],
  "supporter-not-recent": ["Customer", "customer"],
  customer: ["Customer", "customer"],
  "first-order": ["Purchaser", "first-order"],
  "first-order-long-ago": ["Purchaser", "first-order"],
  lapsed: ["Purchaser", "lapsed"],
  "lapsed-edge": ["Customer", "customer"],
  "returned-only": ["Aware", "otherwise"],
  "prospect-clear-lead": ["Prospect", "prospect"],
  "prospect-latent-lead": ["Prospect", "prospect"],
  "no-need-lead": ["Aware", "otherwise"],
  "lost-lead": ["Aware", "otherwise"],
  "future-lead": ["Aware", "otherwise"],
  "prospect-visit": ["Prospect", "prospect"],
  "prospect-inquiry": ["Prospect", "prospect"],
  "prospect-signup": ["Prospect", "prospect"],
  "old-visit": ["Aware", "otherwise"],
  "support-only": ["Aware", "otherwise"],
  aware: ["Aware", "otherwise"],
};

describe("relationship-ladder preset", () => {
  it("places every customer on the first step they reach from the top", async () => {
    const { grades, result } = await gradeFixture(fixture, PRESET);
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.rule_id]]));
    expect(view).toEqual(EXPECTED);
    expect(result.warnings).toEqual([]);
    expect(result.schemes[0]?.outOfScope).toBe(0);
  });

  it("without order lines evaluates the Advocate rule without new categories, and warns", async () => {
    const { order_lines: _, ...withoutLines } = fixture;
    const { grades, result } = await gradeFixture(withoutLines, PRESET);
    // Discount share 33% and no way to see the new category: the rule is decided by the
    // discount share alone → Supporter (3 orders, tenure 671 days, ordered in 12 months).
    expect(grades.get("advocate-new-category")?.tier).toBe("Supporter");
    // Everyone else is unaffected.
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.rule_id]]));
    expect(view).toEqual({ ...EXPECTED, "advocate-new-category": ["Supporter", "supporter"] });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain("relationship-ladder: ");
    expect(result.warnings[0]).toContain("order lines");
  });

  it("is recomputed at every run: a customer falls back when their orders age", async () => {
    const engine = await memoryStore();
    try {
      await seed(engine, {
        customers: [{ customer_id: "faller" }],
        orders: [order("faller", "2023-03-01"), order("faller", "2023-06-01")],
      });
      // As of 2025-01-01 the 24-month window starts 2023-01-01: both orders count → Customer.
      const before = await grade(engine, PRESET, "2025-01-01");
      expect(before.grades.get("faller")?.tier).toBe("Customer");
      // As of 2026-01-01 the last order is older than 24 months → Purchaser (lapsed).
      const after = await grade(engine, PRESET, "2026-01-01");
      expect(after.grades.get("faller")?.tier).toBe("Purchaser");
      expect(after.grades.get("faller")?.rule_id).toBe("lapsed");
      expect(after.result.runId).toBe(before.result.runId + 1);
    } finally {
      await engine.close();
    }
  });
});
