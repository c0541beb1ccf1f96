import {
  expectedPurchases,
  expectedPurchasesNew,
  type FitOptions,
  type Prior,
  type PurchaseFit,
  type TimeUnit,
} from "../clv/index.js";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { isCalendarDate } from "../plan/calendar-date.js";
import {
  CLV_STATS_TABLE,
  firstDaysSql,
  holdoutBucketsSql,
  latestOrderDaySql,
  weeklyRepeatsSql,
} from "../sql/clv-store/stats.js";
import { dropTempSql } from "../sql/run/snapshot.js";
import { type CumulativeSeries, clvChartSvg } from "./chart.js";
import { fitPurchase } from "./fit.js";
import { daysBetween, endOfDayUtc, resolvePeriod, UNIT_DAYS } from "./period.js";
import { buildCustomerStats, inUnit, readPurchaseGroups } from "./stats.js";

/** Frequencies 0 … 6 have a bucket each; 7 and more share the last. */
const BUCKET_CAP = 7;

export interface ClvValidateOptions {
  readonly calibrationEnd: string;
  /** Last day of the holdout (default: the day of the latest completed order). */
  readonly holdoutEnd?: string;
  readonly model?: "bgnbd" | "pareto-nbd";
  readonly timeUnit?: TimeUnit;
  readonly timeZone?: string;
  readonly fit?: FitOptions;
  /** `weak`: maximum a posteriori with the weak priors. Default `none`. */
  readonly prior?: Prior;
  readonly onStep?: (step: string) => void;
}

export interface FrequencyBucket {
  /** `0` … `6`, `7+`: repeat purchases in the calibration period. */
  readonly frequency: string;
  readonly customers: number;
  /** Repeat purchases in the holdout, summed over the bucket's customers. */
  readonly actual: number;
  readonly predicted: number;
}

export interface ClvValidation {
  readonly calibrationEnd: string;
  readonly holdoutEnd: string;
  readonly timeUnit: TimeUnit;
  /** Holdout length in time units. */
  readonly holdoutLength: number;
  readonly fit: PurchaseFit;
  readonly buckets: readonly FrequencyBucket[];
  readonly total: { readonly customers: number; readonly actual: number; readonly predicted: number };
  /** Mean over buckets of |predicted − actual| repeat purchases per customer. */
  readonly meanAbsoluteError: number;
  /** (predicted − actual) / actual of the total, in percent (null when nothing was bought). */
  readonly totalErrorPercent: number | null;
  readonly chart: CumulativeSeries;
  /** The chart as a self-contained SVG document. */
  readonly svg: string;
}

/**
 * Fit on the calibration period and compare predicted with actual repeat
 * purchases in the holdout, per calibration frequency and in total, with a
 * chart of cumulative repeat purchases over both periods.
 */
export async function validateClv(engine: Engine, options: ClvValidateOptions): Promise<ClvValidation> {
  const step = options.onStep ?? (() => undefined);
  const timeUnit = options.timeUnit ?? "week";
  const zone = options.timeZone ?? "UTC";
  const unitDays = UNIT_DAYS[timeUnit];
  const period = await resolvePeriod(engine, options.calibrationEnd, zone);
  let holdoutEnd = options.holdoutEnd;
  if (holdoutEnd !== undefined && !isCalendarDate(holdoutEnd)) {
    throw TierwiseError.of("clv.holdout-end", { value: JSON.stringify(holdoutEnd) });
  }
  holdoutEnd ??= (await engine.query(latestOrderDaySql(zone)))[0]?.latest?.slice(0, 10);
  if (holdoutEnd === undefined || holdoutEnd <= period.calibrationEnd) {
    throw holdoutEnd
      ? TierwiseError.of("clv.holdout-not-after", { end: period.calibrationEnd, holdout: holdoutEnd })
      : TierwiseError.of("clv.no-later-orders", { end: period.calibrationEnd });
  }
  const holdoutCut = endOfDayUtc(holdoutEnd, zone);
  const holdoutLength = daysBetween(period.calibrationEnd, holdoutEnd) / unitDays;
  step("summary statistics");
  const counts = await buildCustomerStats(engine, period);
  try {
    const groups = await readPurchaseGroups(engine);
    step(`fitting ${options.model ?? "bgnbd"}`);
    const fit = fitPurchase(options.model ?? "bgnbd", inUnit(groups, unitDays), {
      ...options.fit,
      prior: options.prior ?? options.fit?.prior ?? "none",
    });

    step("holdout");
    const predictedBy = new Float64Array(BUCKET_CAP + 1);
    for (let i = 0; i < groups.x.length; i++) {
      const x = groups.x[i] as number;
      const e = expectedPurchases(
        fit,
        holdoutLength,
        x,
        (groups.txDays[i] as number) / unitDays,
        (groups.tDays[i] as number) / unitDays,
      );
      const b = Math.min(x, BUCKET_CAP);
      predictedBy[b] = (predictedBy[b] as number) + e * (groups.weight[i] as number);
    }
    const rows = await engine.query(holdoutBucketsSql(period, holdoutCut, BUCKET_CAP));
    const buckets: FrequencyBucket[] = rows.map((r) => {
      const b = r.bucket;
      return {
        frequency: b === BUCKET_CAP ? `${BUCKET_CAP}+` : String(b),
        customers: r.customers,
        actual: r.actual,
        predicted: predictedBy[b] as number,
      };
    });
    const total = {
      customers: counts.customers,
      actual: buckets.reduce((n, b) => n + b.actual, 0),
      predicted: buckets.reduce((n, b) => n + b.predicted, 0),
    };
    const meanAbsoluteError =
      buckets.reduce((n, b) => n + Math.abs(b.predicted - b.actual) / b.customers, 0) / Math.max(1, buckets.length);

    step("chart");
    const chart = await cumulativeSeries(engine, fit, {
      start: counts.firstDay,
      calibrationEnd: period.calibrationEnd,
      holdoutEnd,
      holdoutCut,
      unitDays,
      period,
    });
    const label = fit.model === "bgnbd" ? "BG/NBD" : "Pareto/NBD";
    const svg = clvChartSvg(
      chart,
      `${label}: cumulative repeat purchases, calibration to ${period.calibrationEnd}, holdout to ${holdoutEnd}`,
    );
    return {
      calibrationEnd: period.calibrationEnd,
      holdoutEnd,
      timeUnit,
      holdoutLength,
      fit,
      buckets,
      total,
      meanAbsoluteError,
      totalErrorPercent: total.actual === 0 ? null : (100 * (total.predicted - total.actual)) / total.actual,
      chart,
      svg,
    };
  } finally {
    await engine.exec(dropTempSql(CLV_STATS_TABLE));
  }
}

/**
 * Actual and predicted cumulative repeat purchases at the end of each week
 * since the cohort's first purchase day. A customer who first bought on day
 * d is expected to make E[X(τ − d)] repeat purchases by day τ (the model's
 * expectation for a new customer), summed over first-purchase days.
 */
async function cumulativeSeries(
  engine: Engine,
  fit: PurchaseFit,
  o: {
    start: string;
    calibrationEnd: string;
    holdoutEnd: string;
    holdoutCut: string;
    unitDays: number;
    period: Parameters<typeof weeklyRepeatsSql>[0];
  },
): Promise<CumulativeSeries> {
  const spanDays = daysBetween(o.start, o.holdoutEnd) + 1;
  const weeksTotal = Math.ceil(spanDays / 7);
  const perWeek = new Float64Array(weeksTotal);
  for (const r of await engine.query(weeklyRepeatsSql(o.period, o.holdoutCut, o.start, engine.dialect))) {
    const w = r.week;
    if (w >= 0 && w < weeksTotal) perWeek[w] = (perWeek[w] as number) + r.n;
  }
  const firsts = (await engine.query(firstDaysSql(o.start))).map((r) => ({ offset: r.offset_days, n: r.n }));
  const weeks: number[] = [0];
  const actual: number[] = [0];
  const predicted: number[] = [0];
  let sum = 0;
  for (let k = 1; k <= weeksTotal; k++) {
    sum += perWeek[k - 1] as number;
    const tau = Math.min(7 * k, spanDays);
    let expected = 0;
    for (const f of firsts)
      if (f.offset < tau) expected += f.n * expectedPurchasesNew(fit, (tau - f.offset) / o.unitDays);
    weeks.push(tau / 7);
    actual.push(sum);
    predicted.push(expected);
  }
  return { weeks, actual, predicted, calibrationEndWeek: (daysBetween(o.start, o.calibrationEnd) + 1) / 7 };
}
