import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitClv } from "../../../src/clv-store/fit.js";
import { resolvePeriod } from "../../../src/clv-store/period.js";
import { predictClv } from "../../../src/clv-store/predict.js";
import { buildCustomerStats, readSpendSummary } from "../../../src/clv-store/stats.js";
import type { Engine } from "../../../src/engine/engine.js";
import { TierwiseError } from "../../../src/errors/index.js";
import { explain } from "../../../src/insight/explain.js";
import { CLV_STATS_TABLE, customerStatsSql } from "../../../src/sql/clv-store/stats.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { dropTempSql } from "../../../src/sql/run/snapshot.js";
import { rawRows } from "../../support/raw-rows.js";
import { completedOrders, grade, insertRows, memoryStore, policyFile, seed } from "../support.js";
import { ingestCdnowSample } from "./support.js";

const ENGINE = process.env["TIERWISE_TEST_ENGINE"] ?? "duckdb";

/** A credit note as the orders table holds it: a completed order with a negative amount, inserted directly. */
const credit = (order: string, customer: string, at: string, amount: number) => ({
  order_id: order,
  customer_id: customer,
  ordered_at: at,
  amount,
  status: "completed",
});

async function caught(work: () => Promise<unknown>): Promise<TierwiseError> {
  try {
    await work();
  } catch (e) {
    if (e instanceof TierwiseError) return e;
    throw e;
  }
  throw new Error("expected a TierwiseError");
}

/**
 * Hand-checked statistics with credits (calibration to 2025-01-31, UTC):
 * A buys 100 and 50, the 50 is refunded two days later → repeat value 0;
 * B's credit falls between their first and second purchase → nets into the
 * first day, repeat value 40; C's credit is after the calibration end → not
 * counted; D has only a credit → not a customer of the model; E's second
 * order is worth 0 → still a purchase day, repeat value 0; F's credit is
 * before any purchase → refunds nothing bought, left out; G has a
 * credit-only day between purchases (not a purchase) and a credit after the
 * second purchase → 60 − 25 = 35.
 */
describe(`CLV statistics net of credits (${ENGINE})`, () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, {
      customers: ["A", "B", "C", "D", "E", "F", "G"].map((id) => ({ customer_id: id })),
      orders: [
        ...completedOrders("A", [
          ["2025-01-01 10:00:00", 100],
          ["2025-01-10 10:00:00", 50],
        ]),
        ...completedOrders("B", [
          ["2025-01-01 10:00:00", 100],
          ["2025-01-10 10:00:00", 40],
        ]),
        ...completedOrders("C", [
          ["2025-01-01 10:00:00", 80],
          ["2025-01-05 10:00:00", 20],
        ]),
        ...completedOrders("E", [
          ["2025-01-01 10:00:00", 10],
          ["2025-01-02 10:00:00", 0],
        ]),
        ...completedOrders("F", [
          ["2025-01-02 10:00:00", 30],
          ["2025-01-09 10:00:00", 30],
        ]),
        ...completedOrders("G", [
          ["2025-01-01 10:00:00", 60],
          ["2025-01-20 10:00:00", 60],
        ]),
      ],
    });
    await insertRows(engine, "orders", [
      credit("A-c1", "A", "2025-01-12 09:00:00", -50),
      credit("B-c1", "B", "2025-01-03 09:00:00", -30),
      credit("C-c1", "C", "2025-02-10 09:00:00", -5),
      credit("D-c1", "D", "2025-01-05 09:00:00", -10),
      credit("F-c1", "F", "2025-01-01 09:00:00", -20),
      credit("G-c1", "G", "2025-01-15 09:00:00", -10),
      credit("G-c2", "G", "2025-01-25 09:00:00", -25),
    ]);
    await buildCustomerStats(engine, await resolvePeriod(engine, "2025-01-31", "UTC"));
  });
  afterAll(async () => {
    await engine.exec(dropTempSql(CLV_STATS_TABLE));
    await engine.close();
  });

  it("purchases are orders that are not credits; repeat values are net of the credits after the second purchase", async () => {
    const rows = await engine.query(
      rawRows<Record<string, unknown>>(
        sql`SELECT customer_id, x, tx_days, CAST(repeat_value AS VARCHAR) AS rv FROM ${ident(CLV_STATS_TABLE)} ORDER BY customer_id`,
      ),
    );
    expect(rows.map((r) => [String(r["customer_id"]), Number(r["x"]), Number(r["tx_days"]), Number(r["rv"])])).toEqual([
      ["A", 1, 9, 0],
      ["B", 1, 9, 40],
      ["C", 1, 4, 20],
      ["E", 1, 1, 0],
      ["F", 1, 7, 30],
      ["G", 1, 19, 35],
    ]);
  });

  it("names the first customer whose repeat purchases are worth ≤ 0, and offers the exclusion", async () => {
    const e = await caught(() => readSpendSummary(engine));
    expect(e.code).toBe("CLV_NONPOSITIVE_SPEND");
    expect(e.oneLine()).toContain(
      "customer A has repeat purchases worth 0 (and 1 more); Gamma-Gamma needs positive spend — exclude such customers with --exclude-nonpositive",
    );
    const kept = await readSpendSummary(engine, { excludeNonpositive: true });
    expect([...kept.m].sort((a, b) => a - b)).toEqual([20, 30, 35, 40]);
    expect([...kept.weight]).toEqual([1, 1, 1, 1]);
  });
});

/** `clv fit` on the CDNOW sample with one refund that brings a repeat buyer's repeat purchases to 0. */
describe(`clv fit: atomic, not duplicated, names the customer (${ENGINE})`, () => {
  let engine: Engine;
  let refunded = "";
  const count = async () =>
    Number(
      (await engine.query(rawRows<{ n: unknown }>(sql`SELECT count(*) AS n FROM ${ident("tw_clv_models")}`)))[0]?.n,
    );
  beforeAll(async () => {
    engine = await memoryStore();
    await ingestCdnowSample(engine);
    // The first repeat buyer by id; a credit of their whole repeat value and 10 more on their last purchase day.
    await buildCustomerStats(engine, await resolvePeriod(engine, "1997-09-30", "UTC"));
    const row = (
      await engine.query(
        rawRows<
          Record<string, unknown>
        >(sql`SELECT CAST(customer_id AS VARCHAR) AS id, CAST(first_day + tx_days AS VARCHAR) AS last_day,
          CAST(repeat_value AS VARCHAR) AS rv FROM ${ident(CLV_STATS_TABLE)} WHERE x > 0 ORDER BY customer_id LIMIT 1`),
      )
    )[0];
    await engine.exec(dropTempSql(CLV_STATS_TABLE));
    refunded = String(row?.["id"]);
    const day = String(row?.["last_day"]).slice(0, 10);
    await insertRows(engine, "orders", [credit("refund-1", refunded, `${day} 23:00:00`, -Number(row?.["rv"]) - 10)]);
  });
  afterAll(() => engine.close());

  it("stores neither model when the second fails, and the error names the customer", async () => {
    const e = await caught(() => fitClv(engine, { calibrationEnd: "1997-09-30" }));
    expect(e.code).toBe("CLV_NONPOSITIVE_SPEND");
    expect(e.oneLine()).toContain(`customer ${refunded} has repeat purchases worth -10;`);
    expect(await count()).toBe(0);
  });

  it("fits with the exclusion, and a refit of the same data says unchanged instead of storing again", async () => {
    const first = await fitClv(engine, { calibrationEnd: "1997-09-30", excludeNonpositive: true });
    expect(first.models.map((m) => [m.modelId, m.unchanged === true])).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(first.models[1]?.fit.customers).toBe(945);
    expect(first.models[0]?.fit.identification.verdict).toBe("well identified");
    const again = await fitClv(engine, { calibrationEnd: "1997-09-30", excludeNonpositive: true });
    expect(again.models.map((m) => [m.modelId, m.unchanged === true])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(await count()).toBe(2);
    // Other options are another model: the weak prior is stored with its diagnostics.
    const weak = await fitClv(engine, { calibrationEnd: "1997-09-30", excludeNonpositive: true, prior: "weak" });
    expect(weak.models.map((m) => [m.modelId, m.fit.prior])).toEqual([
      [3, "weak"],
      [4, "weak"],
    ]);
    const stored = await engine.query(
      rawRows<Record<string, unknown>>(
        sql`SELECT prior, identification FROM ${ident("tw_clv_models")} WHERE model_id = 3`,
      ),
    );
    expect(stored[0]?.["prior"]).toBe("weak");
    expect(JSON.parse(String(stored[0]?.["identification"])).verdict).toBe("well identified");
  });

  it("predicts the refunded customer's spend as if their repeat purchases were worth 0, never below", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "tw-clv-net-")), "p.csv");
    await predictClv(engine, { out });
    const lines = (await readFile(out, "utf8")).trim().split("\n");
    const header = (lines[0] ?? "").split(",");
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(",").map((v, i) => [header[i], v])));
    const mine = rows.find((r) => r.customer_id === refunded);
    expect(Number(mine?.frequency)).toBeGreaterThan(0);
    expect(Number(mine?.monetary_value)).toBeLessThan(0);
    // The same expected spend as a customer with the same x and m = 0: p·v/(p·x + q − 1) of the stored spend model.
    const fit = (await fitClv(engine, { calibrationEnd: "1997-09-30", excludeNonpositive: true, prior: "weak" }))
      .models[1]?.fit.params as { p: number; q: number; v: number };
    const x = Number(mine?.frequency);
    expect(Number(mine?.expected_spend)).toBeCloseTo((fit.p * fit.v) / (fit.p * x + fit.q - 1), 6);
    expect(Number(mine?.clv)).toBeGreaterThan(0);
  });
});

/** A policy run on data that cannot pin the model down carries the warning into run and explain. */
describe(`CLV metrics of a weakly identified model (${ENGINE})`, () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await ingestCdnowSample(engine);
  });
  afterAll(() => engine.close());

  it("without credits, the netting query gives exactly the plain statistics (CDNOW, every customer)", async () => {
    const period = await resolvePeriod(engine, "1997-09-30", "UTC");
    const read = (withCredits: boolean) =>
      engine.query(
        rawRows<
          Record<string, unknown>
        >(sql`SELECT customer_id, x, tx_days, t_days, CAST(first_day AS VARCHAR) AS first_day,
          CAST(CAST(repeat_value AS DECIMAL(18, 2)) AS VARCHAR) AS rv
        FROM (${customerStatsSql(period, engine.dialect, withCredits)}) s ORDER BY customer_id`),
      );
    const plain = await read(false);
    expect(plain).toHaveLength(2357);
    expect(await read(true)).toEqual(plain);
  });

  const policy = (prior: string) => `version: 1
time_zone: UTC
clv: { model: bgnbd, time_unit: week${prior} }
schemes:
  - name: alive
    kind: thresholds
    metric: p_alive
    tiers: [{ name: Likely, min: 0.5 }, { name: Unlikely }]
`;

  it("run warns and explain says it next to p_alive (calibration to 1997-02-21: a and b unidentified)", async () => {
    const graded = await grade(engine, { file: await policyFile(policy("")) }, "1997-02-22");
    const warning = graded.result.warnings.find((w) => w.includes("weakly identified"));
    expect(warning).toContain("the CLV model (BG/NBD) is weakly identified: a's and b's standard errors exceed");
    expect(warning).toContain("prior: weak in the policy's clv block");
    const e = await explain(engine, "1", { scheme: "alive" });
    expect(e.clvWarnings.join("\n")).toContain("weakly identified");
  });

  it("prior: weak in the policy fits a posteriori where the plain fit degenerates (calibration to 1997-02-07)", async () => {
    const plain = await grade(engine, { file: await policyFile(policy("")) }, "1997-02-08");
    expect(plain.result.warnings.join("\n")).toContain("CLV metrics are empty: CLV_DEGENERATE");
    expect(plain.result.warnings.join("\n")).toContain("fit with prior: weak in the policy's clv block");
    const weak = await grade(engine, { file: await policyFile(policy(", prior: weak")) }, "1997-02-08");
    expect(weak.result.warnings.join("\n")).not.toContain("CLV metrics are empty");
    expect(weak.result.warnings.join("\n")).toContain("the prior, not the data, sets it");
    const likely = [...weak.grades.values()].filter((g) => g.tier === "Likely").length;
    expect(likely).toBeGreaterThan(0);
  });
});
