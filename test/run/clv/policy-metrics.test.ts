import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clv, expectedPurchases, fitBgNbd, fitGammaGamma, pAlive, summarise } from "../../../src/clv/index.js";
import type { Engine } from "../../../src/engine/engine.js";
import { explain } from "../../../src/insight/explain.js";
import { cdnowCalibration } from "../../clv/cdnow.js";
import { grade, memoryStore, policyFile } from "../support.js";
import { ingestCdnowSample } from "./support.js";

/**
 * p_alive, expected_orders(h) and clv(h) inside a policy, on the CDNOW sample
 * as of 1997-10-01 (calibration through 1997-09-30, weeks): every customer's
 * value equals the model core's own function on the published summary
 * (the weekly statistics of CDNOW_sample.txt computed in TypeScript), fitted independently here.
 * DuckDB, and PostgreSQL in the postgres project.
 */
const POLICY = `version: 1
time_zone: UTC
clv: { model: bgnbd, time_unit: week, discount_rate: 0.1, margin: 0.3 }
schemes:
  - name: alive
    kind: thresholds
    metric: p_alive
    tiers: [{ name: Likely, min: 0.5 }, { name: Unlikely }]
  - name: expected
    kind: thresholds
    metric: expected_orders(52 weeks)
    tiers: [{ name: Any, min: 0 }]
  - name: value
    kind: thresholds
    metric: clv(12 months)
    tiers: [{ name: Top, min: 100 }, { name: Rest }]
  - name: turned
    kind: rules
    tiers:
      - { name: Turned, when: "p_alive < 0.3 and orders(lifetime) >= 2" }
      - { name: Active, when: "true" }
`;

describe("CLV metrics in a policy", () => {
  let engine: Engine;
  let graded: Awaited<ReturnType<typeof grade>>;
  beforeAll(async () => {
    engine = await memoryStore();
    await ingestCdnowSample(engine);
    graded = await grade(engine, { file: await policyFile(POLICY) }, "1997-10-01");
  });
  afterAll(async () => {
    await engine.close();
  });

  it("grades by the model's values for every customer", async () => {
    // The statistics computed in TypeScript from the raw file (test/clv/cdnow.ts), not by the store's SQL.
    const stats = cdnowCalibration().map((c) => ({ ...c, id: String(c.id) }));
    expect(stats).toHaveLength(2357);
    const purchase = fitBgNbd(summarise(stats));
    const repeat = stats.filter((s) => s.x > 0);
    const spendRows = summarise(repeat.map((s) => ({ x: s.x, tx: s.m, T: s.m })));
    const spend = fitGammaGamma({ x: spendRows.x, m: spendRows.tx, weight: spendRows.weight });
    const o = { horizon: (12 * 365.25) / 12 / 7, discountRate: 0.1, margin: 0.3, unit: "week" as const };
    const score = (scheme: string, id: string) => graded.bySchemes.get(scheme)?.get(id)?.score ?? Number.NaN;
    let turned = 0;
    for (const s of stats) {
      const alive = pAlive(purchase, s.x, s.tx, s.T);
      expect(score("alive", s.id)).toBeCloseTo(alive, 6);
      expect(graded.bySchemes.get("alive")?.get(s.id)?.tier).toBe(alive >= 0.5 ? "Likely" : "Unlikely");
      expect(score("expected", s.id)).toBeCloseTo(expectedPurchases(purchase, 52, s.x, s.tx, s.T), 6);
      const want = clv(purchase, spend, s.x, s.tx, s.T, s.m, o);
      expect(Math.abs(score("value", s.id) - want)).toBeLessThan(1e-4 * Math.max(1, want));
      if (alive < 0.3 && s.x >= 1) turned += 1;
    }
    const tiers = graded.result.schemes.find((x) => x.scheme === "turned")?.tiers;
    expect(tiers?.find((t) => t.tier === "Turned")?.entities).toBe(turned);
    expect(turned).toBeGreaterThan(100);
  });

  it("explains a grade with the metric's value", async () => {
    const e = await explain(engine, "1", { scheme: "alive" });
    expect(e.schemes[0]?.values[0]?.label).toBe("p_alive");
    expect(Number(e.schemes[0]?.values[0]?.value)).toBeCloseTo(
      Number(graded.bySchemes.get("alive")?.get("1")?.score),
      9,
    );
  });
});
