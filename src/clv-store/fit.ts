import { createHash } from "node:crypto";
import {
  type ClvModel,
  type FitOptions,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  type Prior,
  type PurchaseFit,
  type TimeUnit,
} from "../clv/index.js";
import type { Engine } from "../engine/engine.js";
import { CLV_STATS_TABLE } from "../sql/clv-store/stats.js";
import { dropTempSql } from "../sql/run/snapshot.js";
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
  /** `weak`: maximum a posteriori with the weak priors (docs/clv.md, Priors). Default `none`. */
  readonly prior?: Prior;
  /** Leave repeat buyers whose repeat purchases are worth ≤ 0 out of the Gamma-Gamma fit. */
  readonly excludeNonpositive?: boolean;
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

/** A fingerprint of the data a model was fitted on and the options that shaped it. */
export function dataKey(columns: readonly Float64Array[], options: Readonly<Record<string, unknown>>): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(options));
  for (const c of columns) {
    hash.update(String(c.length));
    hash.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  }
  return hash.digest("hex");
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
 * likelihood (or a posteriori with `prior: weak`) and store them all in one
 * transaction (tw_clv_models, with the latest run's id): every model is
 * stored or none. A model identical to one stored already (same data,
 * options and parameters) is not stored again but returned `unchanged`.
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
    const prior = options.prior ?? options.fit?.prior ?? "none";
    const fitOptions: FitOptions = { ...options.fit, prior };
    const fits: { fit: StoredClvModel["fit"]; key: string }[] = [];
    let purchaseGroups = 0;
    // Fit every model first; a failure stores nothing.
    for (const model of models) {
      step(`fitting ${model}`);
      if (model === "gamma-gamma") {
        const exclude = options.excludeNonpositive === true;
        const summary = await readSpendSummary(engine, { excludeNonpositive: exclude });
        const key = dataKey([summary.x, summary.m, summary.weight], {
          model,
          ...context,
          prior,
          exclude,
          fit: options.fit ?? null,
        });
        fits.push({ fit: fitGammaGamma(summary, fitOptions), key });
      } else {
        const groups = await readPurchaseGroups(engine);
        purchaseGroups = groups.x.length;
        const key = dataKey([groups.x, groups.txDays, groups.tDays, groups.weight], {
          model,
          ...context,
          prior,
          fit: options.fit ?? null,
        });
        fits.push({ fit: fitPurchase(model, inUnit(groups, UNIT_DAYS[timeUnit]), fitOptions), key });
      }
    }
    step("storing");
    const stored = await engine.transaction(async () => {
      const out: StoredClvModel[] = [];
      for (const f of fits) out.push(await storeModel(engine, f.fit, context, f.key));
      return out;
    });
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
