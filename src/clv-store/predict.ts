import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import {
  type ClvOptions,
  clv,
  expectedPurchases,
  expectedSpend,
  type FitResult,
  type GammaGammaParams,
  type PurchaseFit,
  pAlive,
  type TimeUnit,
} from "../clv/index.js";
import type { Engine } from "../engine/engine.js";
import { placeStagedCsv } from "../engine/staged-output.js";
import { InternalError, TierwiseError } from "../errors/index.js";
import { stagingFolder } from "../files/output-file.js";
import {
  CLV_GROUP_TABLE,
  CLV_SPEND_TABLE,
  convertPredictionsSql,
  groupPredictionsSql,
  predictionsOutputSql,
  predictionsSampleSql,
  predictionsSql,
  spendCoefficientsSql,
  tableOfRowsSql,
} from "../sql/clv-store/predict.js";
import { CLV_STATS_TABLE } from "../sql/clv-store/stats.js";
import type { SqlFragment } from "../sql/fragment.js";
import { dropTempSql } from "../sql/run/snapshot.js";
import { latestModel, latestPurchaseModel, type StoredClvModel } from "./models.js";
import { endOfDayUtc, UNIT_DAYS } from "./period.js";
import { buildCustomerStats, type PurchaseGroupsInDays, readPurchaseGroups } from "./stats.js";

/** A span of calendar time. */
export interface Horizon {
  readonly amount: number;
  readonly unit: "day" | "week" | "month" | "year";
}

export const HORIZON_DAYS: Readonly<Record<Horizon["unit"], number>> = {
  day: 1,
  week: 7,
  month: 365.25 / 12,
  year: 365.25,
};

export interface ClvPredictOptions {
  /** `.csv`, `.parquet` or `.json`. */
  readonly out: string;
  /** Default 12 months. */
  readonly horizon?: Horizon;
  /** Per year, default 0.1. */
  readonly discountRate?: number;
  /** Share of spend that is margin, default 1. */
  readonly margin?: number;
  /** Which stored purchase model (default: the latest of either). */
  readonly model?: "bgnbd" | "pareto-nbd";
  /** Write text cells as they are: no `'` before a cell starting with =, +, -, @, tab or CR (CSV files; docs/exports.md). */
  readonly raw?: boolean;
  readonly onStep?: (step: string) => void;
}

export interface ClvPrediction {
  readonly path: string;
  /** One row per customer with a purchase on or before the model's calibration end. */
  readonly rows: number;
  readonly purchaseModel: StoredClvModel;
  /** The Gamma-Gamma model of the same period and unit, if one is stored. */
  readonly spendModel: StoredClvModel | null;
  /** Horizon in the model's time unit. */
  readonly horizon: number;
  readonly timeUnit: TimeUnit;
  readonly discountRate: number;
  readonly margin: number;
}

/** Write a CSV file from rows of text, streaming. */
export async function writeCsv(
  path: string,
  header: string,
  rows: (write: (line: string) => Promise<void>) => Promise<void>,
) {
  const stream = createWriteStream(path, "utf8");
  let buffer = `${header}\n`;
  const write = async (line: string) => {
    buffer += `${line}\n`;
    if (buffer.length > 1 << 16) {
      if (!stream.write(buffer)) await once(stream, "drain");
      buffer = "";
    }
  };
  await rows(write);
  stream.end(buffer);
  await once(stream, "finish");
}

/** Stage a CSV file (c1…cN as text) and turn it into a typed session table. */
export async function loadTable(
  engine: Engine,
  path: string,
  columns: number,
  table: string,
  typed: (staged: string) => SqlFragment,
): Promise<void> {
  const staged = `${table}_staged`;
  const names = Array.from({ length: columns }, (_, i) => ({ name: `c${i + 1}`, type: "VARCHAR" }));
  await engine.loadRaw(staged, { path, format: "csv" }, names);
  await engine.exec(engine.dialect.createTempTable(table, tableOfRowsSql(typed(staged))));
}

/**
 * Per-customer predictions from the latest stored purchase model (and the
 * Gamma-Gamma model of the same period, if stored) at its calibration end:
 * probability alive, expected purchases and spend over the horizon, and the
 * discounted CLV. Computed once per distinct (x, t_x, T) group and per
 * distinct x in TypeScript, joined back to the customers in SQL and written
 * by the engine; no per-customer object is held in memory.
 */
/** The purchase model (the latest, or `model`), its calibration, and the spend model fitted on the same calibration. */
export async function fittedModels(engine: Engine, model?: ClvPredictOptions["model"]) {
  const purchaseModel = await latestPurchaseModel(engine, model);
  const context = {
    calibrationEnd: purchaseModel.calibrationEnd,
    timeUnit: purchaseModel.timeUnit,
    timeZone: purchaseModel.timeZone,
  };
  const spendModel = (await latestModel(engine, ["gamma-gamma"], context)) ?? null;
  const spend = spendModel?.fit as FitResult<GammaGammaParams> | undefined;
  return { purchaseModel, context, spendModel, spend, unitDays: UNIT_DAYS[context.timeUnit] };
}

export async function predictClv(engine: Engine, options: ClvPredictOptions): Promise<ClvPrediction> {
  const step = options.onStep ?? (() => undefined);
  const format = extname(options.out).toLowerCase();
  if (![".csv", ".json", ".parquet"].includes(format)) throw new TierwiseError("EXPORT_FORMAT", { path: options.out });
  const { purchaseModel, context, spendModel, spend, unitDays } = await fittedModels(engine, options.model);
  const h = options.horizon ?? { amount: 12, unit: "month" };
  const o: ClvOptions = {
    horizon: (h.amount * HORIZON_DAYS[h.unit]) / unitDays,
    discountRate: options.discountRate ?? 0.1,
    margin: options.margin ?? 1,
    unit: context.timeUnit,
  };
  const period = { ...context, calibrationCut: endOfDayUtc(context.calibrationEnd, context.timeZone) };
  try {
    step("summary statistics");
    const counts = await buildCustomerStats(engine, period);
    await writePredictions(engine, purchaseModel.fit, spend, o, options.out, {
      onStep: step,
      ...(options.raw ? { raw: true } : {}),
    });
    return {
      path: options.out,
      rows: counts.customers,
      purchaseModel,
      spendModel,
      horizon: o.horizon,
      timeUnit: context.timeUnit,
      discountRate: o.discountRate,
      margin: o.margin,
    };
  } finally {
    await engine.exec(dropTempSql(CLV_STATS_TABLE));
  }
}

/**
 * Write the predictions of every customer of the session's statistics table
 * (built by `buildCustomerStats`) to `out` (.csv, .parquet or .json).
 */
export async function writePredictions(
  engine: Engine,
  purchase: PurchaseFit,
  spend: FitResult<GammaGammaParams> | undefined,
  o: ClvOptions,
  out: string,
  more: {
    readonly onStep?: (name: string) => void;
    /** The purchase groups, when the caller has read them already (for the fit). */
    readonly groups?: PurchaseGroupsInDays;
    /** Text cells as they are in a CSV file (no formula guard). */
    readonly raw?: boolean;
  } = {},
): Promise<void> {
  const step = more.onStep ?? (() => undefined);
  const format = extname(out).toLowerCase();
  if (![".csv", ".json", ".parquet"].includes(format)) throw new TierwiseError("EXPORT_FORMAT", { path: out });
  const unitDays = UNIT_DAYS[o.unit];
  const work = await mkdtemp(join(tmpdir(), "tierwise-clv-"));
  const dir = await stagingFolder(out, ".tierwise-clv-");
  try {
    step("group predictions");
    const groups = more.groups ?? (await readPurchaseGroups(engine));
    await writeGroupPredictions(join(work, "groups.csv"), groups, purchase, o, unitDays);
    step("loading group predictions");
    await loadTable(engine, join(work, "groups.csv"), 6, CLV_GROUP_TABLE, groupPredictionsSql);
    if (spend) {
      await writeSpendCoefficients(join(work, "spend.csv"), groups, spend);
      await loadTable(engine, join(work, "spend.csv"), 3, CLV_SPEND_TABLE, spendCoefficientsSql);
    }
    const inner = predictionsSql(unitDays === 7 ? 7 : 1, spend !== undefined);
    step("checking a sample");
    await checkSample(
      engine,
      predictionsSql(unitDays === 7 ? 7 : 1, spend !== undefined, 20),
      purchase,
      spend,
      o,
      unitDays,
    );
    step("writing predictions");
    const staging = join(dir, "out.csv");
    await engine.exportCsv(predictionsOutputSql(inner, format === ".csv" && more.raw !== true), staging);
    await placeStagedCsv(staging, out, dir, convertPredictionsSql);
  } finally {
    for (const t of [CLV_GROUP_TABLE, CLV_SPEND_TABLE]) await engine.exec(dropTempSql(t));
    await rm(work, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
}

/** Per (x, t_x, T) group: P(alive), expected purchases over the horizon, CLV per unit of spend. */
async function writeGroupPredictions(
  path: string,
  g: PurchaseGroupsInDays,
  fit: PurchaseFit,
  o: ClvOptions,
  unitDays: number,
): Promise<void> {
  await writeCsv(path, "x,tx_days,t_days,p_alive,expected_purchases,clv_per_spend", async (write) => {
    // Rows are joined in chunks: one await per chunk, not per group.
    let chunk: string[] = [];
    for (let i = 0; i < g.x.length; i++) {
      const x = g.x[i] as number;
      const tx = (g.txDays[i] as number) / unitDays;
      const T = (g.tDays[i] as number) / unitDays;
      chunk.push(
        `${x},${g.txDays[i]},${g.tDays[i]},${pAlive(fit, x, tx, T)},${expectedPurchases(fit, o.horizon, x, tx, T)},${clv(fit, undefined, x, tx, T, 1, o)}`,
      );
      if (chunk.length === 4096) {
        await write(chunk.join("\n"));
        chunk = [];
      }
    }
    if (chunk.length > 0) await write(chunk.join("\n"));
  });
}

/**
 * Per distinct x: the Gamma-Gamma expected spend as a + b · m (it is affine
 * in the mean repeat value m for a given x; checked here on a third point).
 */
export async function writeSpendCoefficients(
  path: string,
  g: PurchaseGroupsInDays,
  spend: FitResult<GammaGammaParams>,
) {
  const xs = [...new Set(g.x)].sort((a, b) => a - b);
  await writeCsv(path, "x,a,b", async (write) => {
    for (const x of xs) {
      const a = expectedSpend(spend, x, 0);
      const b = expectedSpend(spend, x, 1) - a;
      const at = expectedSpend(spend, x, 100);
      if (Math.abs(a + 100 * b - at) > 1e-9 * Math.max(1, Math.abs(at))) {
        throw new InternalError("expected spend is not affine in the mean repeat value");
      }
      await write(`${x},${a},${b}`);
    }
  });
}

/** The set-based values of the first customers must equal the model's own per-customer functions. */
async function checkSample(
  engine: Engine,
  inner: SqlFragment,
  fit: PurchaseFit,
  spend: FitResult<GammaGammaParams> | undefined,
  o: ClvOptions,
  unitDays: number,
): Promise<void> {
  for (const r of await engine.query(predictionsSampleSql(inner, 20))) {
    const x = r.frequency;
    const tx = r.tx_days / unitDays;
    const T = r.t_days / unitDays;
    const m = x > 0 ? Math.max(0, (r.repeat_value ?? 0) / x) : 0;
    if (x === 0 && !spend) continue;
    const want = clv(fit, spend, x, tx, T, m, o);
    const got = r.clv ?? 0;
    if (!(Math.abs(want - got) <= 1e-9 * Math.max(1, Math.abs(want)))) {
      throw new InternalError(`set-based CLV ${got} differs from the model's ${want}`);
    }
  }
}
