import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clv,
  expectedPurchases,
  expectedSpend,
  type FitResult,
  type GammaGammaParams,
  pAlive,
} from "../../../src/clv/index.js";
import { fitClv } from "../../../src/clv-store/fit.js";
import { latestModel, latestPurchaseModel } from "../../../src/clv-store/models.js";
import { resolvePeriod } from "../../../src/clv-store/period.js";
import { predictClv } from "../../../src/clv-store/predict.js";
import { buildCustomerStats, readPurchaseGroups, readSpendSummary } from "../../../src/clv-store/stats.js";
import { validateClv } from "../../../src/clv-store/validate.js";
import type { Engine } from "../../../src/engine/engine.js";
import { openStore } from "../../../src/store/index.js";
import { memoryStore } from "../support.js";
import { CDNOW_DIR, ingestCdnowSample, parseXml } from "./support.js";

const ENGINE = process.env["TIERWISE_TEST_ENGINE"] ?? "duckdb";

async function summaries(engine: Engine, calibrationEnd: string) {
  await buildCustomerStats(engine, await resolvePeriod(engine, calibrationEnd, "UTC"));
  const purchase = await readPurchaseGroups(engine);
  const spend = await readSpendSummary(engine);
  return { purchase, spend };
}

describe(`clv validate and predict on the CDNOW sample (${ENGINE})`, () => {
  let engine: Engine;
  let dir = "";
  beforeAll(async () => {
    engine = await memoryStore();
    await ingestCdnowSample(engine);
    dir = await mkdtemp(join(tmpdir(), "tw-clv-"));
  });
  afterAll(() => engine.close());

  it("computes the same grouped statistics and fit as DuckDB", async () => {
    const duck = await openStore(":memory:");
    try {
      await ingestCdnowSample(duck);
      const here = await summaries(engine, "1997-09-30");
      const there = await summaries(duck, "1997-09-30");
      expect(here.purchase.x.length).toBe(1016);
      expect(here).toEqual(there);
      const a = await fitClv(engine, { calibrationEnd: "1997-09-30", models: ["bgnbd"] });
      const b = await fitClv(duck, { calibrationEnd: "1997-09-30", models: ["bgnbd"] });
      expect(a.models[0]?.fit.params).toEqual(b.models[0]?.fit.params);
    } finally {
      await duck.close();
    }
  });

  it("compares holdout purchases per frequency bucket and draws both cumulative series", async () => {
    const v = await validateClv(engine, { calibrationEnd: "1997-09-30", holdoutEnd: "1998-06-30" });
    expect(v.holdoutLength).toBe(39);
    expect(v.buckets.map((b) => b.frequency)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7+"]);
    expect(v.buckets.map((b) => b.customers)).toEqual([1411, 439, 214, 100, 62, 38, 29, 64]);
    // Repeat purchase days of the sample's customers from 1997-10-01 to 1998-06-30.
    expect(v.total.actual).toBe(1882);
    expect(v.total.predicted).toBeGreaterThan(1500);
    expect(v.total.predicted).toBeLessThan(1900);
    expect(v.chart.actual.at(-1)).toBe(2457 + 1882);
    expect(v.chart.weeks.at(-1)).toBeCloseTo(78, 0);
    const elements = parseXml(v.svg);
    expect(elements[0]?.name).toBe("svg");
    const lines = elements.filter((e) => e.name === "polyline");
    expect(lines.map((e) => e.id)).toEqual(["actual", "predicted"]);
    for (const l of lines) expect(l.attrs["points"]?.split(" ")).toHaveLength(v.chart.weeks.length);
  });

  it("refuses a holdout that does not end after the calibration end", async () => {
    await expect(validateClv(engine, { calibrationEnd: "1997-09-30", holdoutEnd: "1997-09-30" })).rejects.toThrow(
      /holdout must end after/,
    );
  });

  it("writes one prediction per customer who bought on or before the calibration end", async () => {
    await fitClv(engine, { calibrationEnd: "1997-02-15", timeUnit: "week" });
    const out = join(dir, "predictions.csv");
    const p = await predictClv(engine, { out, horizon: { amount: 12, unit: "month" } });
    const lines = (await readFile(out, "utf8")).trim().split("\n");
    expect(lines[0]).toBe(
      "customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,expected_spend,clv",
    );
    const sample = await readFile(new URL("CDNOW_sample.txt", CDNOW_DIR), "latin1");
    const early = new Set(
      sample
        .split(/\r?\n/)
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f.length === 5 && (f[2] ?? "") <= "19970215")
        .map((f) => String(Number(f[1]))),
    );
    expect(early.size).toBeGreaterThan(500);
    expect(early.size).toBeLessThan(2357);
    expect(lines).toHaveLength(early.size + 1);
    expect(p.rows).toBe(early.size);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0]))).toEqual(early);
    for (const l of lines.slice(1)) {
      const [, , , , , alive, expected, , value] = l.split(",").map(Number);
      expect(alive).toBeGreaterThan(0);
      expect(alive).toBeLessThanOrEqual(1);
      expect(expected).toBeGreaterThan(0);
      expect(value).toBeGreaterThan(0);
    }
    // Every customer's set-based values equal the model's own per-customer functions.
    const bg = await latestPurchaseModel(engine);
    const gg = (await latestModel(engine, ["gamma-gamma"]))?.fit as FitResult<GammaGammaParams>;
    const o = { horizon: (12 * 365.25) / 12 / 7, discountRate: 0.1, margin: 1, unit: "week" as const };
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    const wrong = lines.slice(1).filter((l) => {
      const [, x = 0, tx = 0, T = 0, m, alive = 0, expected = 0, spend = 0, value = 0] = l
        .split(",")
        .map((c, i) => (i > 0 && c === "" ? undefined : Number(c)));
      return !(
        close(alive, pAlive(bg.fit, x, tx, T)) &&
        close(expected, expectedPurchases(bg.fit, o.horizon, x, tx, T)) &&
        close(spend, expectedSpend(gg, x, m ?? 0)) &&
        close(value, clv(bg.fit, gg, x, tx, T, m ?? 0, o))
      );
    });
    expect(wrong).toEqual([]);
    const json = join(dir, "predictions.json");
    await predictClv(engine, { out: json });
    expect(JSON.parse(await readFile(json, "utf8"))).toHaveLength(early.size);
  });
});
