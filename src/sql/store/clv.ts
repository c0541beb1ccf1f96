import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";
import { latestRunIdSql } from "../run/run-order.js";

/**
 * Fitted CLV models (`tierwise clv fit`): one row per fitted model with its
 * period, time unit, parameters and standard errors (JSON text), the fit's
 * log-likelihood and sample, and the latest run at fit time (NULL if none).
 */
export function createClvTablesSql(): SqlFragment[] {
  return [
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_clv_models")} (model_id BIGINT NOT NULL, run_id BIGINT, fitted_at TIMESTAMP NOT NULL,
  model VARCHAR NOT NULL, time_unit VARCHAR NOT NULL, calibration_end DATE NOT NULL, time_zone VARCHAR NOT NULL,
  params VARCHAR NOT NULL, standard_errors VARCHAR NOT NULL, log_likelihood DOUBLE PRECISION NOT NULL,
  customers BIGINT NOT NULL, repeat_buyers BIGINT NOT NULL, converged BOOLEAN NOT NULL)`,
    // The prior (none | weak), the identification diagnostics (JSON text) and a fingerprint of the fitted data and options.
    sql`ALTER TABLE ${ident("tw_clv_models")} ADD COLUMN IF NOT EXISTS prior VARCHAR`,
    sql`ALTER TABLE ${ident("tw_clv_models")} ADD COLUMN IF NOT EXISTS identification VARCHAR`,
    sql`ALTER TABLE ${ident("tw_clv_models")} ADD COLUMN IF NOT EXISTS data_key VARCHAR`,
  ];
}

/** A model row to store. */
export interface ClvModelRow {
  readonly model: string;
  readonly timeUnit: string;
  readonly calibrationEnd: string;
  readonly timeZone: string;
  readonly params: string;
  readonly standardErrors: string;
  readonly logLikelihood: number;
  readonly customers: number;
  readonly repeatBuyers: number;
  readonly converged: boolean;
  readonly prior: string;
  readonly identification: string;
  /** Null: never matched as the same model. */
  readonly dataKey: string | null;
}

/** Insert a model with the next id and the latest run's id (the latest as-of, ties to the newest run); returns nothing (read the id back with latestClvModelSql). */
export function insertClvModelSql(row: ClvModelRow): SqlFragment {
  return sql`INSERT INTO ${ident("tw_clv_models")} (model_id, run_id, fitted_at, model, time_unit, calibration_end,
    time_zone, params, standard_errors, log_likelihood, customers, repeat_buyers, converged, prior, identification, data_key)
  SELECT (SELECT coalesce(max(model_id), 0) + 1 FROM ${ident("tw_clv_models")}), (${latestRunIdSql()}),
    CAST(now() AS TIMESTAMP), ${row.model}, ${row.timeUnit}, CAST(${row.calibrationEnd} AS DATE), ${row.timeZone},
    ${row.params}, ${row.standardErrors}, CAST(${row.logLikelihood} AS DOUBLE PRECISION), CAST(${row.customers} AS BIGINT),
    CAST(${row.repeatBuyers} AS BIGINT), ${row.converged}, CAST(${row.prior} AS VARCHAR),
    CAST(${row.identification} AS VARCHAR), CAST(${row.dataKey} AS VARCHAR)`;
}

const COLUMNS = sql`model_id, run_id,
  (SELECT CAST(r.as_of AS VARCHAR) FROM ${ident("tw_runs")} r WHERE r.run_id = ${ident("tw_clv_models")}.run_id) AS run_as_of,
  CAST(fitted_at AS VARCHAR) AS fitted_at, model, time_unit,
  CAST(calibration_end AS VARCHAR) AS calibration_end, time_zone, params, standard_errors, log_likelihood, customers,
  repeat_buyers, converged, prior, identification`;

/**
 * The latest stored model among `models`; with `like`, only one fitted on
 * the same calibration end, time unit and zone.
 */
export function latestClvModelSql(
  models: readonly string[],
  like?: { readonly calibrationEnd: string; readonly timeUnit: string; readonly timeZone: string },
): SqlFragment {
  const match = like
    ? sql` AND calibration_end = CAST(${like.calibrationEnd} AS DATE) AND time_unit = ${like.timeUnit} AND time_zone = ${like.timeZone}`
    : raw("");
  const only = join(
    models.map((m) => sql`model = ${m}`),
    " OR ",
  );
  return sql`SELECT ${COLUMNS} FROM ${ident("tw_clv_models")} WHERE (${only})${match}
  ORDER BY model_id DESC LIMIT 1`;
}

/**
 * The latest stored model fitted on the same data with the same options
 * (`data_key`) that came out with the same parameters, if any: a refit that
 * changes nothing is not stored again.
 */
export function sameClvModelSql(row: ClvModelRow): SqlFragment {
  return sql`SELECT ${COLUMNS} FROM ${ident("tw_clv_models")} WHERE model = ${row.model} AND data_key = ${row.dataKey}
    AND params = ${row.params} AND calibration_end = CAST(${row.calibrationEnd} AS DATE) AND time_unit = ${row.timeUnit}
    AND time_zone = ${row.timeZone} ORDER BY model_id DESC LIMIT 1`;
}
