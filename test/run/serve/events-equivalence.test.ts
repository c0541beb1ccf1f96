import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raw } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { grade } from "../support.js";
import { type Live, live } from "./live-support.js";
import { CUSTOMERS, call } from "./support.js";

/**
 * Real-time equivalence: after a seeded stream of orders, refunds and
 * surveys posted one by one, every customer's grades now (run 1 overlaid
 * with the live grades) equal a batch run at the same as-of: exactly for
 * value-grades and satisfaction (they need no population), and for abc
 * (ranked against the population) equal to the batch run's values graded
 * against the cut-offs run 1 stored, which is what the live path promises.
 */
const EVENTS = 300;
const PRESETS = ["value-grades", "abc", "satisfaction"];

/** mulberry32: a small seeded generator, the same stream on every machine. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Grade {
  scheme: string;
  tier: string | null;
  source: string;
}

describe("real-time equivalence: live grades after a stream of events = a batch run at the same as-of", () => {
  let s: Live;
  const now = new Map<string, Map<string, string | null>>();
  const ids = CUSTOMERS.map((c) => String(c["customer_id"]));
  beforeAll(async () => {
    s = await live(PRESETS);
    const next = random(15);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const orders: { id: string; customer: string; amount: number }[] = [];
    for (let n = 0; n < EVENTS; n++) {
      const customer = pick(ids);
      const day = `2025-${String(1 + Math.floor(next() * 12)).padStart(2, "0")}-${String(1 + Math.floor(next() * 28)).padStart(2, "0")}`;
      const roll = next();
      const mine = orders.filter((o) => o.customer === customer);
      let r: { status: number; body: unknown };
      if (roll < 0.6 || (roll < 0.8 && mine.length === 0)) {
        const amount = Math.round(next() * (next() < 0.1 ? 80000 : 3000) * 100) / 100;
        const order = { id: `e${n}`, customer, amount };
        r = await call(s.app, "POST", "/events/orders", s.key, {
          order_id: order.id,
          customer_id: customer,
          ordered_at: `${day}T12:00:00Z`,
          amount,
          status: next() < 0.9 ? "completed" : "cancelled",
        });
        orders.push(order);
      } else if (roll < 0.8) {
        const of = pick(mine);
        r = await call(s.app, "POST", "/events/refunds", s.key, {
          order_id: `r${n}`,
          customer_id: customer,
          ordered_at: `${day}T13:00:00Z`,
          amount: Math.round(next() * of.amount * 100) / 100,
          status: "completed",
          refunds_order_id: of.id,
        });
      } else {
        r = await call(s.app, "POST", "/events/interactions", s.key, {
          interaction_id: `i${n}`,
          customer_id: customer,
          at: `${day}T09:00:00Z`,
          kind: "survey",
          score: 1 + Math.floor(next() * 5),
        });
      }
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    for (const id of ids) {
      const r = await call(s.app, "GET", `/customers/${id}/grades`, s.viewer);
      expect(r.status).toBe(200);
      now.set(id, new Map((r.body as { grades: Grade[] }).grades.map((g) => [g.scheme, g.tier])));
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  it("the stream made live grades and tier changes", async () => {
    const [row] = await s.engine.query(
      rawRows<{ live: number; changes: number }>(
        raw(`SELECT (SELECT count(*) FROM tw_live_grades) AS live,
          (SELECT count(*) FROM tw_events WHERE idempotency_key LIKE 'live:%') AS changes`),
      ),
    );
    expect(Number(row?.live)).toBeGreaterThan(20);
    expect(Number(row?.changes)).toBeGreaterThan(5);
  });

  it("value-grades, satisfaction: the batch run's tier; abc: the batch run's value against run 1's cut-offs", async () => {
    const cutoffs = (
      await s.engine.query(
        rawRows<{ step: number; value: number }>(
          raw("SELECT step, value FROM tw_cutoffs WHERE run_id = 1 AND scheme = 'abc' ORDER BY step"),
        ),
      )
    ).map((c) => ({ step: Number(c.step), value: Number(c.value) }));
    expect(cutoffs.length).toBeGreaterThan(0);
    const batch = await grade(s.engine, { presets: PRESETS }, "2026-01-01");
    const tiers = ["A", "B", "C"];
    const mismatches: string[] = [];
    for (const id of ids) {
      const live = now.get(id) ?? new Map();
      for (const scheme of ["value-grades", "satisfaction"]) {
        const want = batch.bySchemes.get(scheme)?.get(id)?.tier ?? null;
        if ((live.get(scheme) ?? null) !== want)
          mismatches.push(`${id} ${scheme}: live ${live.get(scheme)} batch ${want}`);
      }
      const score = batch.bySchemes.get("abc")?.get(id)?.score ?? 0;
      const step = cutoffs.find((c) => c.step < tiers.length && score >= c.value)?.step ?? tiers.length;
      const want = tiers[step - 1];
      if (live.get("abc") !== want)
        mismatches.push(`${id} abc: live ${live.get("abc")} cut-offs ${want} (value ${score})`);
    }
    expect(mismatches).toEqual([]);
  });
});
