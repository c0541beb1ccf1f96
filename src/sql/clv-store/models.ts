import { col, type RowOf, select } from "../row.js";
import { type ClvModelRow, latestClvModelSql, sameClvModelSql } from "../store/clv.js";

/**
 * A stored CLV model as `tw_clv_models` holds it, with the as-of date of the
 * run it was fitted with (`run_as_of`: null when it has none or the run was
 * deleted): the rows of latestClvModelSql and sameClvModelSql.
 */
export type StoredClvModelRow = RowOf<typeof storedClvModelShape>;
const storedClvModelShape = {
  model_id: col.integer,
  run_id: col.nullable(col.integer),
  run_as_of: col.nullable(col.date),
  fitted_at: col.timestamp,
  model: col.text,
  time_unit: col.text,
  calibration_end: col.date,
  time_zone: col.text,
  params: col.text,
  standard_errors: col.text,
  log_likelihood: col.number,
  customers: col.integer,
  repeat_buyers: col.integer,
  converged: col.boolean,
  /** Null in rows stored before priors existed. */
  prior: col.nullable(col.text),
  /** JSON text; null in rows stored before the diagnostics existed. */
  identification: col.nullable(col.text),
} as const;

/** The latest stored model among `models` (optionally of the same period, unit and zone). */
export function latestClvModelQuery(...args: Parameters<typeof latestClvModelSql>) {
  return select(storedClvModelShape, latestClvModelSql(...args));
}

/** The stored model identical to `row` (same data key, parameters and context), if any. */
export function sameClvModelQuery(row: ClvModelRow) {
  return select(storedClvModelShape, sameClvModelSql(row));
}
