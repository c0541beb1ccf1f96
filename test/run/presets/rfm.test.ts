import { describe, expect, it } from "vitest";
import { type FixtureRow, gradeFixture } from "../support.js";

/**
 * rfm (docs/schemes.md §9), as of 2026-01-01, among customers with a completed
 * order. Each score is 1 + floor(5 × (rank − 1) / n), ranking from worst to
 * best with equal values sharing the lowest rank. With n = 25 and five
 * customers sharing each value, the five worst get 1, the next five 2, …
 */
const PRESET = { presets: ["rfm"] };

/** Days since the last order per R score: fewer is better. */
const RECENCY_DAYS: Readonly<Record<number, number>> = { 5: 10, 4: 40, 3: 100, 2: 200, 1: 400 };

const AS_OF_MS = Date.UTC(2026, 0, 1);
const daysBefore = (days: number) => new Date(AS_OF_MS - days * 86_400_000).toISOString().slice(0, 10);

/** The preset's R×F map, written out: row R5 first, columns F1 … F5. */
const MAP: Readonly<Record<number, readonly string[]>> = {
  5: ["New", "Potential Loyalist", "Potential Loyalist", "Champions", "Champions"],
  4: ["Promising", "Potential Loyalist", "Potential Loyalist", "Loyal", "Loyal"],
  3: ["About to Sleep", "About to Sleep", "Need Attention", "Loyal", "Loyal"],
  2: ["Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
  1: ["Lost", "Lost", "At Risk", "At Risk", "Can't Lose Them"],
};

/** M score of the customer in cell (r, f): every M from 1 to 5 occurs five times. */
const mScore = (r: number, f: number) => ((r + f) % 5) + 1;

describe("rfm preset", () => {
  it("scores a 5×5 grid of 25 customers into the named segments", async () => {
    const customers: FixtureRow[] = [];
    const orders: FixtureRow[] = [];
    const expected: Record<string, [string, number]> = {};
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        const id = `r${r}f${f}`;
        customers.push({ customer_id: id });
        // f completed orders (frequency), the last one RECENCY_DAYS[r] before as-of; the first
        // carries all the spend, m × 1,000 (monetary), the others 0.
        for (let k = 0; k < f; k++) {
          orders.push({
            order_id: `${id}-${k}`,
            customer_id: id,
            ordered_at: daysBefore((RECENCY_DAYS[r] as number) + 7 * (f - 1 - k)),
            amount: k === 0 ? mScore(r, f) * 1000 : 0,
            status: "completed",
          });
        }
        expected[id] = [MAP[r]?.[f - 1] as string, r * 100 + f * 10 + mScore(r, f)];
      }
    }
    // Out of scope: no completed order. Not counted in n, so they move no score.
    customers.push({ customer_id: "no-orders" }, { customer_id: "returned-only" });
    orders.push({
      order_id: "ret",
      customer_id: "returned-only",
      ordered_at: "2025-12-01",
      amount: 99999,
      status: "returned",
    });
    const { grades, result } = await gradeFixture({ customers, orders }, PRESET);
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.score]]));
    expect(view).toEqual(expected);
    // Spot checks of the map, by hand.
    expect(view["r5f5"]).toEqual(["Champions", 551]);
    expect(view["r1f1"]).toEqual(["Lost", 113]);
    expect(view["r2f2"]).toEqual(["Hibernating", 225]);
    expect(view["r3f3"]).toEqual(["Need Attention", 332]);
    expect(view["r1f5"]).toEqual(["Can't Lose Them", 152]);
    expect(result.schemes[0]?.graded).toBe(25);
    expect(result.schemes[0]?.outOfScope).toBe(2);
    // Every segment has customers: 11 named segments over 25 cells.
    expect(result.schemes[0]?.tiers.filter((t) => t.entities > 0)).toHaveLength(11);
  });

  it("gives equal values the same score and counts orders lifetime", async () => {
    // Five customers: n = 5, so each rank is its own quintile. Two share the best recency.
    //   recency (days): a 1, b 1, c 30, d 60, e 3000 (last order 8 years ago)
    //   R ranks from worst: e 1 → R1, d 2 → R2, c 3 → R3, a and b tie at rank 4 → R4 (no R5)
    //   frequency: a 1, b 2, c 3, d 4, e 5 (e's orders are all lifetime) → F1 … F5
    //   monetary: 100 each → all tie at rank 1 → M1
    const row = (id: string, k: number, at: string): FixtureRow => ({
      order_id: `${id}${k}`,
      customer_id: id,
      ordered_at: at,
      amount: k === 0 ? 100 : 0,
      status: "completed",
    });
    const orders = [
      row("a", 0, daysBefore(1)),
      ...[0, 1].map((k) => row("b", k, daysBefore(1 + k))),
      ...[0, 1, 2].map((k) => row("c", k, daysBefore(30 + k))),
      ...[0, 1, 2, 3].map((k) => row("d", k, daysBefore(60 + k))),
      ...[0, 1, 2, 3, 4].map((k) => row("e", k, daysBefore(3000 + k))),
    ];
    const { grades } = await gradeFixture(
      { customers: ["a", "b", "c", "d", "e"].map((customer_id) => ({ customer_id })), orders },
      PRESET,
    );
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.score]]));
    expect(view).toEqual({
      a: ["Promising", 411], // R4 F1
      b: ["Potential Loyalist", 421], // R4 F2
      c: ["Need Attention", 331], // R3 F3
      d: ["At Risk", 241], // R2 F4
      e: ["Can't Lose Them", 151], // R1 F5
    });
  });
});
