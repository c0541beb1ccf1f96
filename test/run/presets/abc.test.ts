import { describe, expect, it } from "vitest";
import { type FixtureRow, gradeFixture, tiers } from "../support.js";

/**
 * abc (docs/schemes.md §5), as of 2026-01-01: customers ranked by 12-month net
 * spend, highest first. A customer is in A while the share of everyone ranked
 * strictly above them is below 80% (so the one who crosses 80% is still A), in
 * B while it is below 95%, else C. Equal values share the same "above", so
 * ties at a cut-off go to the higher class.
 */
const PRESET = { presets: ["abc"] };

let seq = 0;
const spent = (customer: string, amount: number, at = "2025-06-01", status = "completed"): FixtureRow => ({
  order_id: `o${++seq}`,
  customer_id: customer,
  ordered_at: at,
  amount,
  status,
});

describe("abc preset", () => {
  it("cuts at 80% and 95% of value, ties going to the higher class", async () => {
    // Total 12-month spend: 1,000.
    //   customer   spend  share above  class
    //   a1          400        0%       A
    //   a2          300       40%       A
    //   a3-tie      100       70%       A   (crosses 80%: still A)
    //   a4-tie      100       70%       A   (tie with a3: without it, 80% → B)
    //   b1           30       90%       B
    //   b2-tie       20       93%       B   (crosses 95%)
    //   b3-tie       20       93%       B   (tie: without it, 95% → C)
    //   c1-tie       15       97%       C
    //   c2-tie       15       97%       C
    //   zero          0      100%       C
    //   returned      0      100%       C   (a returned order is no spend)
    //   old           0      100%       C   (only an order before the window)
    //   no-orders     0      100%       C
    const { grades, result } = await gradeFixture(
      {
        customers: [
          "a1",
          "a2",
          "a3-tie",
          "a4-tie",
          "b1",
          "b2-tie",
          "b3-tie",
          "c1-tie",
          "c2-tie",
          "zero",
          "returned",
          "old",
          "no-orders",
        ].map((customer_id) => ({ customer_id })),
        orders: [
          spent("a1", 250),
          spent("a1", 150, "2025-01-01 00:00:00"),
          spent("a2", 300, "2025-12-31 23:59:59"),
          spent("a2", 999, "2026-01-01 00:00:00"), // on as-of: does not count
          spent("a3-tie", 100),
          spent("a4-tie", 60),
          spent("a4-tie", 40),
          spent("b1", 30),
          spent("b2-tie", 20),
          spent("b3-tie", 20),
          spent("c1-tie", 15),
          spent("c2-tie", 15),
          spent("zero", 0),
          spent("returned", 500, "2025-06-01", "returned"),
          spent("old", 5000, "2024-12-31 23:59:59"),
        ],
      },
      PRESET,
    );
    expect(tiers(grades)).toEqual({
      a1: "A",
      a2: "A",
      "a3-tie": "A",
      "a4-tie": "A",
      b1: "B",
      "b2-tie": "B",
      "b3-tie": "B",
      "c1-tie": "C",
      "c2-tie": "C",
      zero: "C",
      returned: "C",
      old: "C",
      "no-orders": "C",
    });
    expect(grades.get("a1")?.score).toBe(400);
    expect(grades.get("a1")?.rule_id).toBe("pareto");
    // 4 of 13 customers (31%) bring 900 of 1,000 (90%).
    const a = result.schemes[0]?.tiers.find((t) => t.tier === "A");
    expect([a?.entities, a?.revenue, a?.revenueShare]).toEqual([4, 900, 0.9]);
  });

  it("puts a customer who starts exactly at 80% into B, and exactly at 95% into C", async () => {
    // Total 1,000. a alone brings 80%.
    const { grades } = await gradeFixture(
      {
        customers: ["a", "b", "c"].map((customer_id) => ({ customer_id })),
        orders: [spent("a", 800), spent("b", 150), spent("c", 50)],
      },
      PRESET,
    );
    // a: 0% above → A; b: 800 above = 80%, not below 80% → B; c: 950 above = 95% → C.
    expect(tiers(grades)).toEqual({ a: "A", b: "B", c: "C" });
  });

  it("gives one customer who brings everything A, and everyone C when nobody spent", async () => {
    const single = await gradeFixture(
      { customers: [{ customer_id: "only" }, { customer_id: "none" }], orders: [spent("only", 10)] },
      PRESET,
    );
    expect(tiers(single.grades)).toEqual({ only: "A", none: "C" });
    const empty = await gradeFixture({ customers: [{ customer_id: "x" }, { customer_id: "y" }] }, PRESET);
    expect(tiers(empty.grades)).toEqual({ x: "C", y: "C" });
  });
});
