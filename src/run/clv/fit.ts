import {
  type ClvModel,
  type FitOptions,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  type PurchaseFit,
  type TimeUnit,
} from "../../clv/index.js";
import type { Engine } from "../../engine/engine.js";
import { CLV_STATS_TABLE } from "../../sql/clv/stats-sql.js";
import { dropTempSql } from "../../sql/policy/snapshot-sql.js";
import { type StoredClvModel, storeModel } from "./models.js";
import { resolvePeriod, UNIT_DAYS } from "./period.js";
import { buildCustomerStats, inUnit, readPurchaseGroups, readSpendSummary } from "./stats.js";

export interface ClvFitOptions {
  /** Models to fit, in order (default: BG/NBD and Gamma-Gamma). */
  readonly models?: readonly ClvModel[];
  /** Last day of the calibration period (default: the day of the latest completed order). */
  readonly calibrationEnd?: string;
  readonly timeUnit?: TimeUnit;
  /** Zone of the purchase days (default UTC). */
  readonly timeZone?: string;
  readonly fit?: FitOptions;
  /** Called before each step. */
  readonly onStep?: (step: string) => void;
}

export interface ClvFitReport {
  readonly calibrationEnd: string;
  readonly timeUnit: TimeUnit;
  readonly timeZone: string;
  readonly customers: number;
  readonly repeatBuyers: number;
  /** Distinct (x, t_x, T) groups the purchase models were fitted on. */
  readonly purchaseGroups: number;
  readonly models: readonly StoredClvModel[];
}

/** Fit the purchase model(s) on a purchase summary. */
export function fitPurchase(
  model: "bgnbd" | "pareto-nbd",
  summary: Parameters<typeof fitBgNbd>[0],
  o?: FitOptions,
): PurchaseFit {
  return model === "bgnbd" ? fitBgNbd(summary, o) : fitParetoNbd(summary, o);
}

/**
 * Compute the sufficient statistics in SQL, fit each model by maximum
 * likelihood and store it (tw_clv_models, with the latest run's id).
 * @example await fitClv(engine, { calibrationEnd: "1997-09-30", timeUnit: "week" })
 */
export async function fitClv(engine: Engine, options: ClvFitOptions = {}): Promise<ClvFitReport> {
  const step = options.onStep ?? (() => undefined);
  const timeUnit = options.timeUnit ?? "week";
  const timeZone = options.timeZone ?? "UTC";
  const models = options.models ?? ["bgnbd", "gamma-gamma"];
  const period = await resolvePeriod(engine, options.calibrationEnd, timeZone);
  step("summary statistics");
  const counts = await buildCustomerStats(engine, period);
  try {
    const context = { calibrationEnd: period.calibrationEnd, timeUnit, timeZone };
    const stored: StoredClvModel[] = [];
    let purchaseGroups = 0;
    for (const model of models) {
      step(`fitting ${model}`);
      let fit: StoredClvModel["fit"];
      if (model === "gamma-gamma") {
        fit = fitGammaGamma(await readSpendSummary(engine), options.fit);
      } else {
        const groups = await readPurchaseGroups(engine);
        purchaseGroups = groups.x.length;
        fit = fitPurchase(model, inUnit(groups, UNIT_DAYS[timeUnit]), options.fit);
      }
      stored.push({ ...(await storeModel(engine, fit, context)), fit });
    }
    return {
      ...context,
      customers: counts.customers,
      repeatBuyers: counts.repeatBuyers,
      purchaseGroups,
      models: stored,
    };
  } finally {
    await engine.exec(dropTempSql(CLV_STATS_TABLE));
  }
}
