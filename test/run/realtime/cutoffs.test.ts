import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { regradeCustomer } from "../../../src/realtime/regrade.js";
import { type FixtureRow, grade, memoryStore, policyFile, seed } from "../support.js";

/**
 * The cut-offs a full run stores reproduce that run: every customer graded
 * alone (the live path) against run 1's cut-offs at run 1's as-of gets the
 * tier run 1 gave it, for every population-relative kind — quantiles,
 * pareto, rfm and a scorecard graded by top share — with ties (amounts in
 * steps of 50) and customers without orders in the mix.
 */
const POLICY = `version: 1
currency: EUR
time_zone: UTC
schemes:
  - name: aov-quantiles
    kind: quantiles
    metric: aov(12 months)
    tiers:
      - { name: Top, top: 20 }
      - { name: Upper, top: 50 }
      - { name: Rest }
  - name: spend-pareto
    kind: pareto
    metric: spend(24 months)
    tiers:
      - { name: A, up_to: 60 }
      - { name: B, up_to: 90 }
      - { name: C }
  - name: rfm
    kind: rfm
    population: orders(lifetime) >= 1
    recency: recency
    frequency: orders(lifetime)
    monetary: spend(lifetime)
    tiers:
      - { name: Champions, r: 5, f: 4-5 }
      - { name: Loyal, r: 3-4, f: 4-5 }
      - { name: Potential, r: 4-5, f: 1-3 }
      - { name: Sleeping, r: 1-3, f: 1-3 }
      - { name: Lost, r: 1-2, f: 4-5 }
  - name: value-card
    kind: scorecard
    indicators:
      - { name: spend, value: spend(12 months), normalise: { linear-clamp: { from: 0, to: 2000 } }, weight: 0.7, missing: exclude }
      - { name: orders, value: orders(12 months), normalise: { linear-clamp: { from: 0, to: 6 } }, weight: 0.3, missing: exclude }
    grade_by: quantiles
    tiers:
      - { name: Gold, top: 15 }
      - { name: Silver, top: 45 }
      - { name: Bronze }
`;

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("cut-offs: each customer graded alone against run 1's cut-offs gets run 1's tier", () => {
  let engine: Engine;
  const customers: FixtureRow[] = [];
  const orders: FixtureRow[] = [];
  let run: Map<string, Map<string, string>>;
  beforeAll(async () => {
    const next = random(7);
    for (let c = 1; c <= 60; c++) {
      const id = `k${String(c).padStart(2, "0")}`;
      customers.push({ customer_id: id, name: null });
      const count = Math.floor(next() * 7);
      for (let o = 0; o < count; o++) {
        const month = String(1 + Math.floor(next() * 12)).padStart(2, "0");
        orders.push({
          order_id: `${id}-${o}`,
          customer_id: id,
          ordered_at: `${next() < 0.5 ? 2024 : 2025}-${month}-${String(1 + Math.floor(next() * 28)).padStart(2, "0")}`,
          amount: 50 * (1 + Math.floor(next() * 12)),
          status: "completed",
        });
      }
    }
    engine = await memoryStore();
    await seed(engine, { customers, orders });
    const graded = await grade(engine, { file: await policyFile(POLICY) });
    run = new Map(
      [...graded.bySchemes].map(([scheme, grades]) => [scheme, new Map([...grades].map(([id, g]) => [id, g.tier]))]),
    );
  });
  afterAll(async () => {
    await engine?.close();
  });

  it("for every customer and every scheme", async () => {
    const mismatches: string[] = [];
    let graded = 0;
    for (const c of customers) {
      const id = String(c["customer_id"]);
      const live = await engine.transaction(() =>
        regradeCustomer(engine, id, "2026-01-01", { table: "orders", id: "none", madeAt: "2026-01-01 00:00:00.000" }),
      );
      expect(live?.skipped).toEqual([]);
      for (const scheme of ["aov-quantiles", "spend-pareto", "rfm", "value-card"]) {
        const want = run.get(scheme)?.get(id) ?? null;
        const got = live?.grades.find((g) => g.scheme === scheme);
        expect(got?.cutoffsRun).toBe(1);
        if ((got?.tier ?? null) !== want) mismatches.push(`${id} ${scheme}: alone ${got?.tier} run ${want}`);
        if (want !== null) graded++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(graded).toBeGreaterThan(150);
  });
});
