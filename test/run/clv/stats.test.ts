import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitClv } from "../../../src/clv-store/fit.js";
import { resolvePeriod } from "../../../src/clv-store/period.js";
import { buildCustomerStats, readSpendSummary } from "../../../src/clv-store/stats.js";
import type { Engine } from "../../../src/engine/engine.js";
import { CLV_STATS_TABLE } from "../../../src/sql/clv-store/stats.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { completedOrders, memoryStore, seed } from "../support.js";
import { ingestCdnowSample, summaryRows } from "./support.js";

interface Stat {
  x: number;
  txDays: number;
  tDays: number;
  repeatValue: number;
}

async function stats(engine: Engine, calibrationEnd: string, zone = "UTC"): Promise<Map<string, Stat>> {
  await buildCustomerStats(engine, await resolvePeriod(engine, calibrationEnd, zone));
  const rows = await engine.query(
    rawRows<Record<string, unknown>>(
      sql`SELECT customer_id, x, tx_days, t_days, CAST(repeat_value AS VARCHAR) AS rv FROM ${ident(CLV_STATS_TABLE)}`,
    ),
  );
  return new Map(
    rows.map((r) => [
      String(r["customer_id"]),
      { x: Number(r["x"]), txDays: Number(r["tx_days"]), tDays: Number(r["t_days"]), repeatValue: Number(r["rv"]) },
    ]),
  );
}

/** The published BTYD summary of the CDNOW sample (calibration to 1997-09-30, weeks), on this engine. */
describe(`CLV statistics of the CDNOW sample (${process.env["TIERWISE_TEST_ENGINE"] ?? "duckdb"})`, () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await ingestCdnowSample(engine);
  });
  afterAll(() => engine.close());

  it("equals cdnow_customers_summary.csv for every customer: frequency, recency and T in weeks", async () => {
    const ours = await stats(engine, "1997-09-30");
    const published = await summaryRows("cdnow_customers_summary.csv");
    expect(published).toHaveLength(2357);
    expect(ours.size).toBe(2357);
    const round2 = (n: number) => Math.round(n * 100) / 100;
    const mismatches = published.filter((p) => {
      const s = ours.get(p["ID"] ?? "");
      return (
        !s ||
        s.x !== Number(p["frequency"]) ||
        round2(s.txDays / 7) !== Number(p["recency"]) ||
        round2(s.tDays / 7) !== Number(p["T"])
      );
    });
    expect(mismatches).toEqual([]);
    expect([...ours.values()].reduce((n, s) => n + s.x, 0)).toBe(2457);
    expect([...ours.values()].filter((s) => s.x > 0)).toHaveLength(946);
  });

  it("gives the mean repeat spend of cdnow_customers_summary_with_transactions.csv (zbar, to its rounding)", async () => {
    const ours = await stats(engine, "1997-09-30");
    const published = await summaryRows("cdnow_customers_summary_with_transactions.csv");
    const worst = Math.max(
      ...published.map((p) => {
        const s = ours.get(p["ID"] ?? "");
        const m = s && s.x > 0 ? s.repeatValue / s.x : 0;
        return Math.abs(m - Number(p["zbar"]));
      }),
    );
    expect(worst).toBeLessThanOrEqual(0.005 + 1e-9);
    const spend = await readSpendSummary(engine);
    expect(spend.weight.reduce((n, w) => n + w, 0)).toBe(946);
  });

  it("fits the published BG/NBD and Gamma-Gamma estimates and stores both models", async () => {
    const report = await fitClv(engine, { calibrationEnd: "1997-09-30", timeUnit: "week" });
    const [bg, gg] = report.models;
    expect(report.customers).toBe(2357);
    expect(report.repeatBuyers).toBe(946);
    // Fader, Hardie and Lee (2005): r 0.243, alpha 4.414, a 0.793, b 2.426; LL -9582.4.
    expect(bg?.fit.params).toMatchObject({
      r: expect.closeTo(0.243, 3),
      alpha: expect.closeTo(4.414, 2),
      a: expect.closeTo(0.793, 2),
      b: expect.closeTo(2.426, 2),
    });
    expect(bg?.fit.logLikelihood).toBeCloseTo(-9582.43, 1);
    expect(gg?.fit.params).toMatchObject({
      p: expect.closeTo(6.25, 1),
      q: expect.closeTo(3.74, 1),
      v: expect.closeTo(15.44, 0),
    });
    const rows = await engine.query(
      rawRows<
        Record<string, unknown>
      >(sql`SELECT model, time_unit, CAST(calibration_end AS VARCHAR) AS calibration_end, time_zone, params, standard_errors,
        log_likelihood, customers, repeat_buyers, run_id FROM ${ident("tw_clv_models")} ORDER BY model_id`),
    );
    expect(
      rows.map((r) => [r["model"], r["time_unit"], String(r["calibration_end"]).slice(0, 10), r["time_zone"]]),
    ).toEqual([
      ["bgnbd", "week", "1997-09-30", "UTC"],
      ["gamma-gamma", "week", "1997-09-30", "UTC"],
    ]);
    expect(JSON.parse(String(rows[0]?.["params"]))).toEqual(bg?.fit.params);
    expect(Object.keys(JSON.parse(String(rows[0]?.["standard_errors"])))).toEqual(["r", "alpha", "a", "b"]);
    expect(Number(rows[0]?.["log_likelihood"])).toBe(bg?.fit.logLikelihood);
    expect([Number(rows[0]?.["customers"]), Number(rows[0]?.["repeat_buyers"]), rows[0]?.["run_id"]]).toEqual([
      2357,
      946,
      null,
    ]);
  });
});

describe(`CLV statistics conventions (${process.env["TIERWISE_TEST_ENGINE"] ?? "duckdb"})`, () => {
  it("counts same-day orders once with their amounts summed, skips the first day's value, and counts the calibration end day", async () => {
    const engine = await memoryStore();
    try {
      await seed(engine, {
        customers: [{ customer_id: "A" }, { customer_id: "B" }, { customer_id: "C" }],
        orders: [
          ...completedOrders("A", [
            ["2025-01-01 09:00:00", 100],
            ["2025-01-01 18:00:00", 50],
            ["2025-01-08 10:00:00", 30],
            ["2025-01-08 11:00:00", 20],
            ["2025-01-15 23:59:59", 10],
            ["2025-01-16 00:00:00", 999],
          ]),
          { order_id: "A-ret", customer_id: "A", ordered_at: "2025-01-10 10:00:00", amount: 500, status: "returned" },
          ...completedOrders("B", [["2025-01-15 12:00:00", 7]]),
          ...completedOrders("C", [["2025-01-20 12:00:00", 7]]),
        ],
      });
      const s = await stats(engine, "2025-01-15");
      expect(Object.fromEntries(s)).toEqual({
        A: { x: 2, txDays: 14, tDays: 14, repeatValue: 60 },
        B: { x: 0, txDays: 0, tDays: 0, repeatValue: 0 },
      });
      // In Berlin, 2025-01-15 23:59:59 UTC is on the 16th: after the calibration end.
      const berlin = await stats(engine, "2025-01-15", "Europe/Berlin");
      expect(berlin.get("A")).toEqual({ x: 1, txDays: 7, tDays: 14, repeatValue: 50 });
    } finally {
      await engine.close();
    }
  });

  it("refuses a store without orders before the calibration end", async () => {
    const engine = await memoryStore();
    try {
      await expect(fitClv(engine, { calibrationEnd: "2025-01-01" })).rejects.toThrow(
        /CLV_NO_ORDERS|no customer has a completed order/,
      );
    } finally {
      await engine.close();
    }
  });
});
