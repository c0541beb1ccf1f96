import {
  type BgNbdParams,
  type ClvModel,
  type FitResult,
  type GammaGammaParams,
  type Identification,
  judge,
  type ParetoNbdParams,
  type Prior,
  type PurchaseFit,
  type TimeUnit,
} from "../clv/index.js";
import type { Engine } from "../engine/engine.js";
import { InternalError, TierwiseError } from "../errors/index.js";
import { latestClvModelQuery, type StoredClvModelRow, sameClvModelQuery } from "../sql/clv-store/models.js";
import { type ClvModelRow, insertClvModelSql } from "../sql/store/clv.js";

/** A fitted model as stored in tw_clv_models. */
export interface StoredClvModel {
  readonly modelId: number;
  readonly runId: number | null;
  /** The as-of date of that run (null when it has none, or it was deleted). */
  readonly runAsOf: string | null;
  readonly fittedAt: string;
  readonly calibrationEnd: string;
  readonly timeUnit: TimeUnit;
  readonly timeZone: string;
  readonly fit: FitResult<BgNbdParams> | FitResult<ParetoNbdParams> | FitResult<GammaGammaParams>;
  /** True when an identical model (same data, options and parameters) was already stored: this is that one. */
  readonly unchanged?: boolean;
}

export interface FitContext {
  readonly calibrationEnd: string;
  readonly timeUnit: TimeUnit;
  readonly timeZone: string;
}

/**
 * Store a fit; returns its stored row. `dataKey` fingerprints the fitted
 * data and options: when a model with the same key, context and parameters
 * is stored already, nothing is inserted and that model comes back with
 * `unchanged: true`.
 */
export async function storeModel(
  engine: Engine,
  fit: StoredClvModel["fit"],
  context: FitContext,
  dataKey?: string,
): Promise<StoredClvModel> {
  const row: ClvModelRow = {
    model: fit.model,
    timeUnit: context.timeUnit,
    calibrationEnd: context.calibrationEnd,
    timeZone: context.timeZone,
    params: JSON.stringify(fit.params),
    standardErrors: JSON.stringify(fit.standardErrors),
    logLikelihood: fit.logLikelihood,
    customers: fit.customers,
    repeatBuyers: fit.repeatBuyers,
    converged: fit.converged,
    prior: fit.prior ?? "none",
    identification: JSON.stringify(fit.identification ?? null),
    dataKey: dataKey ?? null,
  };
  const same = dataKey ? (await engine.query(sameClvModelQuery(row)))[0] : undefined;
  if (same) return { ...fromRow(same), fit, unchanged: true };
  await engine.exec(insertClvModelSql(row));
  const stored = await latestModel(engine, [fit.model], context);
  if (!stored) throw new InternalError("the stored CLV model cannot be read back");
  return { ...stored, fit };
}

/** The latest stored model among `models` (optionally of the same period, unit and zone), or undefined. */
export async function latestModel(
  engine: Engine,
  models: readonly ClvModel[],
  like?: FitContext,
): Promise<StoredClvModel | undefined> {
  const row = (await engine.query(latestClvModelQuery(models, like)))[0];
  return row ? fromRow(row) : undefined;
}

/** A model as read from its stored row (diagnostics of rows stored before they existed: from the standard errors). */
function fromRow(row: StoredClvModelRow): StoredClvModel {
  const model = row.model as ClvModel;
  const params = JSON.parse(row.params) as Record<string, number>;
  const standardErrors = JSON.parse(row.standard_errors) as Record<string, number | null>;
  const prior: Prior = row.prior === "weak" ? "weak" : "none";
  let identification: Identification;
  const stored =
    row.identification === null
      ? null
      : (JSON.parse(row.identification) as (Identification & { conditionNumber: number | null }) | null);
  if (stored === null) {
    const parameters = Object.entries(params).map(([name, estimate]) => {
      const standardError = standardErrors[name] ?? Number.NaN;
      return { name, estimate, standardError, ratio: standardError / estimate };
    });
    identification = judge(model, parameters, Number.NaN, prior);
  } else {
    identification = { ...stored, conditionNumber: stored.conditionNumber ?? Number.POSITIVE_INFINITY };
  }
  const fit = {
    model,
    params,
    standardErrors,
    prior,
    identification,
    logLikelihood: row.log_likelihood,
    customers: row.customers,
    repeatBuyers: row.repeat_buyers,
    starts: 0,
    iterations: 0,
    converged: row.converged,
  } as unknown as StoredClvModel["fit"];
  return {
    modelId: row.model_id,
    runId: row.run_id,
    runAsOf: row.run_as_of === null ? null : row.run_as_of.slice(0, 10),
    fittedAt: row.fitted_at.slice(0, 19),
    calibrationEnd: row.calibration_end.slice(0, 10),
    timeUnit: row.time_unit as TimeUnit,
    timeZone: row.time_zone,
    fit,
  };
}

/** The latest stored purchase model (BG/NBD or Pareto/NBD, or the one asked for). */
export async function latestPurchaseModel(
  engine: Engine,
  model?: "bgnbd" | "pareto-nbd",
): Promise<StoredClvModel & { readonly fit: PurchaseFit }> {
  const stored = await latestModel(engine, model ? [model] : ["bgnbd", "pareto-nbd"]);
  if (!stored) throw new TierwiseError("CLV_NO_MODEL", { model: model ?? "purchase (bgnbd or pareto-nbd)" });
  return stored as StoredClvModel & { readonly fit: PurchaseFit };
}
