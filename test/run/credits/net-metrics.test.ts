import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { churn } from "../../../src/insight/churn.js";
import { explain } from "../../../src/insight/explain.js";
import { type FixtureRow, grade, memoryStore, policyFile, seed, tiers } from "../support.js";

/**
 * Credit notes (docs/ingest.md, "Credit notes and returns"): hand-checked metric values
 * as of 2026-01-01, 12-month window = 2025-01-01 up to 2026-01-01.
 *
 * - cancel: buys 77,183.60 and is refunded all of it the same day
 *   → spend 0, gross 77,183.60, 1 order, aov 0, return rate 1.
 * - boundary: order 1,000 on 2024-12-20 (before the window), credit −400 on
 *   2025-01-10 (inside) → spend(12 months) −400, lifetime spend 600, gross 0,
 *   orders(12 months) 0, orders(lifetime) 1.
 * - loose: order 500 on 2025-05-01, a credit note of −120 on 2025-07-01 that
 *   names no order → spend 380, gross 500, return rate 1 / 1 = 1.
 * - returned: order 300 on 2025-04-01 already `returned`, its credit −300 on
 *   2025-04-05 (voided: no double count), order 200 on 2025-08-01 → spend 200,
 *   return rate (1 returned + 0 credits) / 2 orders = 0.5.
 * - costs: order 1,000 (cost 600, service 20) on 2025-02-01, credit −250
 *   (cost 150 of goods back, service 5) on 2025-03-01 → contribution
 *   (1,000 − 600 − 20) + (−250 + 150 − 5) = 275; recency: the last order
 *   (2025-02-01) → 334 days, the credit does not count; categories: shoes
 *   bought, the hats line of the credit is a return → 1.
 */
const order = (id: string, customer: string, at: string, amount: number, extra: FixtureRow = {}): FixtureRow => ({
  order_id: id,
  customer_id: customer,
  ordered_at: at,
  amount,
  status: "completed",
  kind: "order",
  ...extra,
});
const credit = (id: string, customer: string, at: string, amount: number, refunds: string | null): FixtureRow => ({
  order_id: id,
  customer_id: customer,
  ordered_at: at,
  amount,
  status: "completed",
  kind: "credit",
  refunds_order_id: refunds,
});

const CREDIT_FIXTURE = {
  customers: ["cancel", "boundary", "loose", "returned", "costs"].map((customer_id) => ({ customer_id })),
  orders: [
    order("c-o1", "cancel", "2025-06-10 10:00:00", 77183.6),
    credit("c-cr1", "cancel", "2025-06-10 15:00:00", -77183.6, "c-o1"),
    order("b-o1", "boundary", "2024-12-20 12:00:00", 1000),
    credit("b-cr1", "boundary", "2025-01-10 12:00:00", -400, "b-o1"),
    order("l-o1", "loose", "2025-05-01 12:00:00", 500),
    credit("l-cr1", "loose", "2025-07-01 12:00:00", -120, null),
    order("r-o1", "returned", "2025-04-01 12:00:00", 300, { status: "returned" }),
    credit("r-cr1", "returned", "2025-04-05 12:00:00", -300, "r-o1"),
    order("r-o2", "returned", "2025-08-01 12:00:00", 200),
    order("k-o1", "costs", "2025-02-01 12:00:00", 1000, { cost: 600, service_cost: 20 }),
    { ...credit("k-cr1", "costs", "2025-03-01 12:00:00", -250, "k-o1"), cost: 150, service_cost: 5 },
  ],
  order_lines: [
    { order_id: "k-o1", line_no: 1, category: "shoes", quantity: 2, amount: 1000 },
    { order_id: "k-cr1", line_no: 1, category: "hats", quantity: -1, amount: -250 }, // a return: no category bought
  ],
};

/** One thresholds scheme per metric: explain shows each metric's value. */
const METRICS = [
  "spend(12 months)",
  "gross_spend(12 months)",
  "spend(lifetime)",
  "orders(12 months)",
  "orders(lifetime)",
  "aov(12 months)",
  "return_rate(12 months)",
  "contribution(12 months)",
  "recency",
  "categories(12 months)",
] as const;

const policy = `version: 1
currency: EUR
time_zone: UTC
schemes:
${METRICS.map(
  (m, i) => `  - name: m${i}
    kind: thresholds
    entity: customers
    metric: ${m}
    tiers:
      - name: High
        min: 1000000000
      - name: Low
`,
).join("")}`;

describe("money metrics are net of credit notes", () => {
  let engine: Engine;
  const values = async (id: string) => {
    const e = await explain(engine, id);
    return Object.fromEntries(METRICS.map((m, i) => [m, e.schemes[i]?.values[0]?.value ?? null]));
  };
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, CREDIT_FIXTURE);
    await grade(engine, { file: await policyFile(policy) });
  });
  afterAll(async () => engine.close());

  it("the buy-and-cancel-the-same-day customer has net spend 0 and gross spend 77,183.60", async () => {
    expect(await values("cancel")).toEqual({
      "spend(12 months)": 0,
      "gross_spend(12 months)": 77183.6,
      "spend(lifetime)": 0,
      "orders(12 months)": 1,
      "orders(lifetime)": 1,
      "aov(12 months)": 0,
      "return_rate(12 months)": 1,
      "contribution(12 months)": 0,
      recency: 205,
      "categories(12 months)": 0,
    });
  });

  it("a partial refund across the window boundary is dated at the credit's own date", async () => {
    expect(await values("boundary")).toMatchObject({
      "spend(12 months)": -400,
      "gross_spend(12 months)": 0,
      "spend(lifetime)": 600,
      "orders(12 months)": 0,
      "orders(lifetime)": 1,
      "aov(12 months)": null,
      "return_rate(12 months)": null,
    });
  });

  it("a credit note without a reference lowers spend and counts as a return", async () => {
    expect(await values("loose")).toMatchObject({
      "spend(12 months)": 380,
      "gross_spend(12 months)": 500,
      "orders(12 months)": 1,
      "aov(12 months)": 380,
      "return_rate(12 months)": 1,
    });
  });

  it("a credit note of a returned order does not subtract again", async () => {
    expect(await values("returned")).toMatchObject({
      "spend(12 months)": 200,
      "gross_spend(12 months)": 200,
      "orders(12 months)": 1,
      "return_rate(12 months)": 0.5,
    });
  });

  it("contribution adds back the cost of goods that came back; recency and categories ignore credit notes", async () => {
    expect(await values("costs")).toMatchObject({
      "spend(12 months)": 750,
      "contribution(12 months)": 275,
      recency: 334,
      "categories(12 months)": 1,
    });
  });
});

describe("presets grade net of refunds", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, CREDIT_FIXTURE);
  });
  afterAll(async () => engine.close());

  it("value-grades: the cancelled 77,183.60 is Potential; a refund larger than the window's orders is too", async () => {
    const { grades } = await grade(engine, { presets: ["value-grades"] });
    expect(tiers(grades)).toEqual({
      cancel: "Potential", // net 0
      boundary: "Potential", // −400 in the window
      loose: "Regular",
      returned: "Regular",
      costs: "Regular",
    });
  });

  it("abc: net spend 750, 380, 200, 0, −400 (counts as 0) of a total 1,330 → A, A, B, C, C", async () => {
    // costs: 0% above → A; loose: 750 / 1,330 = 56% above → A; returned: 1,130 / 1,330 = 85% → B;
    // cancel and boundary: 100% above → C. Gross, cancel's 77,183.60 would be the whole of A.
    const { grades } = await grade(engine, { presets: ["abc"] });
    expect(tiers(grades)).toEqual({ costs: "A", loose: "A", returned: "B", cancel: "C", boundary: "C" });
  });

  it("rfm: the cancelled customer's monetary score is the lowest (net lifetime spend 0)", async () => {
    // Lifetime net spend: cancel 0, returned 200, loose 380, boundary 600, costs 750 → M 1..5 in that order.
    const { grades } = await grade(engine, { presets: ["rfm"] });
    const m = Object.fromEntries([...grades].map(([id, g]) => [id, (g.score ?? 0) % 10]));
    expect(m).toEqual({ cancel: 1, returned: 2, loose: 3, boundary: 4, costs: 5 });
  });
});

describe("churn: revenue lost is net", () => {
  it("a customer who cancelled all they bought turns with no revenue lost, from Potential, not VIP", async () => {
    const engine = await memoryStore();
    try {
      // X buys 77,183.60 and is refunded the same day; Y buys 60,000. Both turn 180 days later (2025-03-01).
      await seed(engine, {
        customers: [{ customer_id: "X" }, { customer_id: "Y" }],
        orders: [
          {
            order_id: "x1",
            customer_id: "X",
            ordered_at: "2024-09-02 10:00:00",
            amount: 77183.6,
            status: "completed",
            kind: "order",
          },
          {
            order_id: "x2",
            customer_id: "X",
            ordered_at: "2024-09-02 16:00:00",
            amount: -77183.6,
            status: "completed",
            kind: "credit",
            refunds_order_id: "x1",
          },
          {
            order_id: "y1",
            customer_id: "Y",
            ordered_at: "2024-09-02 10:00:00",
            amount: 60000,
            status: "completed",
            kind: "order",
          },
        ],
      });
      await grade(engine, { presets: ["value-grades"] }, "2025-01-01");
      await grade(engine, { presets: ["value-grades"] }, "2025-04-01");
      const c = await churn(engine, { scheme: "value-grades" });
      const turned = c.periods.flatMap((p) =>
        p.tiers.filter((t) => t.turned > 0).map((t) => [p.start, t.tier, t.turned, t.revenueLost]),
      );
      expect(turned).toEqual([
        ["2025-03-01", "Gold", 1, 60000],
        ["2025-03-01", "Potential", 1, 0],
      ]);
    } finally {
      await engine.close();
    }
  });
});
