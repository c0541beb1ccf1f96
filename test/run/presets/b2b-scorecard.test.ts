import { describe, expect, it } from "vitest";
import { type FixtureRow, gradeFixture } from "../support.js";

/**
 * b2b-scorecard (docs/schemes.md §4), as of 2026-01-01, b2b customers only.
 * score = 0.3 credit + 0.5 amount + 0.2 prospects; A >= 80, B >= 60, C >= 40,
 * else D.
 *  - credit: invoices due from 2025-01-01 to 2025-12-31: 100 × on-time share
 *    − 2 × average days late, clamped to 0..100; none: 50, flagged.
 *  - amount: percentile rank 0..100 of 24-month net spend among the graded
 *    (b2b) customers: 100 × (rank − 1) / (n − 1).
 *  - prospects: rating 1..5 → 0..100 (latest `tierwise rate` before as-of,
 *    else customers.prospects_rating); none: 50, flagged.
 * Customers with tenure under 90 days or no order are graded on prospects
 * alone.
 */
const PRESET = { presets: ["b2b-scorecard"] };

let seq = 0;
const order = (customer: string, at: string, amount: number): FixtureRow => ({
  order_id: `o${++seq}`,
  customer_id: customer,
  ordered_at: at,
  amount,
  status: "completed",
});
const invoice = (customer: string, due: string, paid: string | null): FixtureRow => ({
  invoice_id: `inv${++seq}`,
  customer_id: customer,
  issued_at: "2024-11-01",
  due_at: due,
  paid_at: paid,
  amount: 1000,
});
const b2b = (customer_id: string, prospects_rating: number | null = null): FixtureRow => ({
  customer_id,
  kind: "b2b",
  prospects_rating,
});

describe("b2b-scorecard preset", () => {
  it("weights credit, amount and prospects and grades at the exact boundaries", async () => {
    // Six b2b customers; 24-month spend ranks them (ascending) new-unrated 0, new-rated 5,000,
    // est-d 10,000, est-c 20,000, est-b 30,000, est-a 40,000 → amount 0, 20, 40, 60, 80, 100.
    const { grades, result } = await gradeFixture(
      {
        customers: [
          b2b("est-a", 4),
          b2b("est-b", 3),
          b2b("est-c", 4),
          b2b("est-d"),
          b2b("new-rated", 2),
          b2b("new-unrated"),
          // not b2b: out of scope, and their spend must not move the b2b percentiles
          { customer_id: "consumer", kind: "b2c", prospects_rating: 5 },
          { customer_id: "unknown-kind", prospects_rating: 5 },
        ],
        orders: [
          order("est-a", "2024-01-01 00:00:00", 40000), // first instant of the 24-month window
          order("est-a", "2023-12-31 23:59:59", 900000), // before the window: not counted
          order("est-b", "2024-05-01", 30000),
          order("est-c", "2024-05-01", 20000),
          order("est-d", "2024-05-01", 10000),
          order("new-rated", "2025-11-01", 5000), // tenure 61 days
          order("consumer", "2024-05-01", 1000000),
          order("unknown-kind", "2024-05-01", 2000000),
        ],
        invoices: [
          // est-a: one on time, one paid a day late: 100 × 0.5 − 2 × 0.5 = 49
          invoice("est-a", "2025-05-01", "2025-04-20"),
          invoice("est-a", "2025-06-01", "2025-06-02"),
          // est-b: paid on the due day (later that day) and early: 100. An unpaid invoice due a
          // second before the window and one due on as-of are not in the window.
          invoice("est-b", "2025-03-31", "2025-03-31 17:00:00"),
          invoice("est-b", "2025-12-31", "2025-12-01"),
          invoice("est-b", "2024-12-31 23:59:59", null),
          invoice("est-b", "2026-01-01", null),
          // est-c: no invoice → 50, flagged
          // est-d: unpaid since 2025-06-01: 214 days late at as-of → 0 − 428, clamped to 0
          invoice("est-d", "2025-06-01", null),
          // paid after as-of counts as unpaid at as-of (31 days late)
          invoice("est-d", "2025-12-01", "2026-02-01"),
        ],
        tw_ratings: [
          // the latest rating before as-of wins over customers.prospects_rating (2) → 5
          { rating_id: 1, customer_id: "new-rated", rating: 3, rated_at: "2025-06-01", rated_by: "sales" },
          { rating_id: 2, customer_id: "new-rated", rating: 5, rated_at: "2025-12-01", rated_by: "sales" },
          { rating_id: 3, customer_id: "new-rated", rating: 1, rated_at: "2026-01-01", rated_by: "sales" },
        ],
      },
      PRESET,
    );
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.score, g.flags]]));
    expect(view).toEqual({
      // 0.3 × 49 + 0.5 × 100 + 0.2 × 75 = 14.7 + 50 + 15 = 79.7 → B (just under A)
      "est-a": ["B", 79.7, null],
      // 0.3 × 100 + 0.5 × 80 + 0.2 × 50 = 30 + 40 + 10 = 80 → A (exactly)
      "est-b": ["A", 80, null],
      // 0.3 × 50 (no invoices) + 0.5 × 60 + 0.2 × 75 = 15 + 30 + 15 = 60 → B (exactly)
      "est-c": ["B", 60, "credit missing"],
      // 0.3 × 0 + 0.5 × 40 + 0.2 × 50 (not rated) = 0 + 20 + 10 = 30 → D
      "est-d": ["D", 30, "prospects missing"],
      // tenure 61 < 90: prospects alone, rated 5 → 100 → A
      // (on all three it would be 0.3 × 50 + 0.5 × 20 + 0.2 × 100 = 45 → C)
      // (only the indicator it is graded on can be flagged)
      "new-rated": ["A", 100, null],
      // no order: prospects alone, not rated → 50 → C
      "new-unrated": ["C", 50, "prospects missing"],
    });
    expect(new Set([...grades.values()].map((g) => g.rule_id))).toEqual(new Set(["score"]));
    expect(result.schemes[0]?.outOfScope).toBe(2);
  });

  it("grades on prospects alone below 90 days of tenure, on everything from 90", async () => {
    // Equal spend: both have amount percentile 0. Both rated 5, no invoices.
    const { grades } = await gradeFixture(
      {
        customers: [b2b("tenure-89", 5), b2b("tenure-90", 5)],
        orders: [
          order("tenure-89", "2025-10-04", 1000), // 89 days before as-of → prospects alone: 100 → A
          order("tenure-90", "2025-10-03", 1000), // 90 days → 0.3 × 50 + 0.5 × 0 + 0.2 × 100 = 35 → D
        ],
      },
      PRESET,
    );
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.score]]));
    expect(view).toEqual({ "tenure-89": ["A", 100], "tenure-90": ["D", 35] });
  });

  it("scores the boundary between C and D at 40", async () => {
    // Spend 2,000, 1,500 and 1,000 → amount 100, 50 and 0; no invoices (credit 50); tenure > 90.
    //   top: 0.3 × 50 + 0.5 × 100 + 0.2 × 0 (rating 1) = 15 + 50 + 0 = 65 → B
    //   mid: 0.3 × 50 + 0.5 × 50 + 0.2 × 0 (rating 1) = 15 + 25 + 0 = 40 → C (exactly)
    //   low: 0.3 × 50 + 0.5 × 0 + 0.2 × 100 (rating 5) = 15 + 0 + 20 = 35 → D
    const { grades } = await gradeFixture(
      {
        customers: [b2b("top", 1), b2b("low", 5), b2b("mid", 1)],
        orders: [order("top", "2024-06-01", 2000), order("low", "2024-06-01", 1000), order("mid", "2024-06-01", 1500)],
      },
      PRESET,
    );
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.score]]));
    expect(view).toEqual({ top: ["B", 65], low: ["D", 35], mid: ["C", 40] });
  });
});
