import { describe, expect, it } from "vitest";
import { ident, sql } from "../../../src/sql/fragment.js";
import { type Fixture, type FixtureRow, type Grade, grade, memoryStore, seed } from "../support.js";

/**
 * As-of correctness: a run at D uses only what was known at D. The store is
 * graded at D, then facts dated on or after D are added (orders, their lines,
 * invoices paid after D, complaints, surveys, referrals, ratings, leads, new
 * customers), and D is graded again: every assignment of every preset must be
 * the same. A run at a later date proves the added facts do change grades.
 */
const D = "2026-01-01";
const LATER = "2026-07-01";

const ids = Array.from({ length: 12 }, (_, i) => `C${String(i + 1).padStart(2, "0")}`);

function past(): Fixture {
  const orders: FixtureRow[] = [];
  const lines: FixtureRow[] = [];
  ids.forEach((c, i) => {
    for (let k = 0; k <= i % 5; k++) {
      const id = `O-${c}-${k}`;
      orders.push({
        order_id: id,
        customer_id: c,
        ordered_at: `2025-0${1 + k}-1${i % 9}`,
        amount: 1000 * (i + 1) + 7 * k,
        cost: 400 * (i + 1),
        discount: 50 * k,
        status: "completed",
      });
      lines.push({ order_id: id, line_no: 1, category: `cat-${(i + k) % 3}`, quantity: 1, amount: 1000 * (i + 1) });
    }
  });
  return {
    customers: ids.map((customer_id, i) => ({ customer_id, kind: i % 2 ? "b2b" : "b2c", created_at: "2024-01-01" })),
    orders,
    order_lines: lines,
    invoices: ids.map((c, i) => ({
      invoice_id: `I-${c}`,
      customer_id: c,
      issued_at: "2025-10-01",
      due_at: "2025-11-01",
      paid_at: i % 3 === 0 ? null : "2025-10-20",
      amount: 500,
    })),
    interactions: ids.flatMap((c, i) => [
      { interaction_id: `S-${c}`, customer_id: c, at: "2025-06-01", kind: "survey", score: 1 + (i % 5) },
      ...(i % 4 === 0 ? [{ interaction_id: `R-${c}`, customer_id: c, at: "2025-05-01", kind: "referral" }] : []),
    ]),
    leads: [
      {
        lead_id: "L1",
        customer_id: "C01",
        created_at: "2025-09-01",
        need: "clear",
        expected_close_at: "2026-01-20",
        status: "open",
        amount: 900,
      },
      { lead_id: "L2", created_at: "2025-09-01", need: "latent", status: "open", amount: 100 },
    ],
    tw_ratings: [{ rating_id: 1, customer_id: "C02", rating: 2, rated_at: "2025-12-01", rated_by: "sales" }],
  };
}

/** Facts dated on or after D: each would change some grade if it leaked into a run at D. */
function future(): Fixture {
  return {
    customers: [{ customer_id: "NEW", kind: "b2c", created_at: D }],
    orders: ids.flatMap((c) => [
      { order_id: `F-${c}-1`, customer_id: c, ordered_at: `${D} 00:00:00`, amount: 250000, status: "completed" },
      { order_id: `F-${c}-2`, customer_id: c, ordered_at: "2026-03-15", amount: 90000, status: "completed" },
    ]),
    order_lines: ids.map((c) => ({
      order_id: `F-${c}-1`,
      line_no: 1,
      category: "brand-new",
      quantity: 1,
      amount: 250000,
    })),
    interactions: ids.flatMap((c) => [
      { interaction_id: `FC-${c}`, customer_id: c, at: "2026-02-01", kind: "complaint", outcome: "unfounded" },
      { interaction_id: `FC2-${c}`, customer_id: c, at: "2026-02-02", kind: "complaint", outcome: "unfounded" },
      { interaction_id: `FS-${c}`, customer_id: c, at: D, kind: "survey", score: 5 },
      { interaction_id: `FR-${c}`, customer_id: c, at: "2026-01-05", kind: "referral" },
    ]),
    leads: [
      {
        lead_id: "L3",
        customer_id: "C03",
        created_at: "2026-01-02",
        need: "clear",
        expected_close_at: "2026-01-10",
        status: "open",
        amount: 5000,
      },
    ],
    tw_ratings: [{ rating_id: 2, customer_id: "C02", rating: 5, rated_at: D, rated_by: "sales" }],
  };
}

type Snapshot = Record<string, Record<string, Omit<Grade, "natural_tier">>>;

function comparable(bySchemes: ReadonlyMap<string, ReadonlyMap<string, Grade>>): Snapshot {
  const out: Snapshot = {};
  for (const [scheme, grades] of bySchemes) {
    out[scheme] = Object.fromEntries(
      [...grades].map(([id, g]) => [
        id,
        {
          tier: g.tier,
          rule_id: g.rule_id,
          score: g.score === null ? null : Number(g.score.toFixed(6)),
          flags: g.flags,
          tier_rank: g.tier_rank,
        },
      ]),
    );
  }
  return out;
}

describe("as-of correctness", () => {
  it("no fact dated on or after the as-of date leaks into its run", async () => {
    const engine = await memoryStore();
    try {
      await seed(engine, past());
      const before = await grade(engine, { presets: ["all"] }, D);
      await seed(engine, future());
      // An invoice unpaid at D is paid later: at D it is still unpaid (and late).
      await engine.exec(
        sql`UPDATE ${ident("invoices")} SET paid_at = CAST('2026-01-15' AS TIMESTAMP) WHERE paid_at IS NULL`,
      );
      const again = await grade(engine, { presets: ["all"] }, D);
      expect(comparable(again.bySchemes)).toEqual(comparable(before.bySchemes));
      expect(again.result.schemes.map((s) => [s.scheme, s.graded, s.outOfScope])).toEqual(
        before.result.schemes.map((s) => [s.scheme, s.graded, s.outOfScope]),
      );
      // The same facts do count once they are in the past: the test can fail.
      const later = await grade(engine, { presets: ["all"] }, LATER);
      const valueLater = later.bySchemes.get("value-grades");
      expect(valueLater?.get("C01")?.tier).toBe("VIP");
      expect(before.bySchemes.get("value-grades")?.get("C01")?.tier).not.toBe("VIP");
      expect(later.bySchemes.get("three-tier")?.get("C05")?.rule_id).toBe("complaint-abuse");
      expect(later.bySchemes.get("satisfaction")?.get("C01")?.tier).toBe("A");
      expect(later.bySchemes.get("value-grades")?.has("NEW")).toBe(true);
      expect(before.bySchemes.get("value-grades")?.has("NEW")).toBe(false);
    } finally {
      await engine.close();
    }
  });
});
