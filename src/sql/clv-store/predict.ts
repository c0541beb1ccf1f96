import { ident, integer, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { textCell } from "../spreadsheet-safe.js";
import { CLV_STATS_TABLE } from "./stats.js";

/** Session tables of the predictions: one row per (x, t_x, T) group, one per distinct x. */
export const CLV_GROUP_TABLE = "clv_group_predictions";
export const CLV_SPEND_TABLE = "clv_spend_coefficients";

/** A session table's definition (`Dialect.createTempTable`) as the rows of `select`: the typed rows of a staged file. */
export function tableOfRowsSql(select: SqlFragment): SqlFragment {
  return sql`AS ${select}`;
}

/** Typed group predictions from the staged text table (`c1…c6`: x, tx_days, t_days, p_alive, expected, clv per spend). */
export function groupPredictionsSql(staged: string): SqlFragment {
  return sql`SELECT CAST(c1 AS INTEGER) AS x, CAST(c2 AS INTEGER) AS tx_days, CAST(c3 AS INTEGER) AS t_days,
    CAST(c4 AS DOUBLE PRECISION) AS p_alive, CAST(c5 AS DOUBLE PRECISION) AS expected_purchases,
    CAST(c6 AS DOUBLE PRECISION) AS clv_per_spend FROM ${ident(staged)}`;
}

/**
 * The mean repeat value a customer's spend is predicted from: net of
 * credits, and 0 where refunds brought it to 0 or below (a purchase is not
 * worth less than nothing); NULL for one-time buyers.
 */
export const SPEND_M = raw(
  "CASE WHEN s.x > 0 THEN CASE WHEN s.repeat_value > 0 THEN CAST(s.repeat_value AS DOUBLE PRECISION) / s.x ELSE 0 END END",
);

/** Typed spend coefficients from the staged text table (`c1…c3`: x, a, b; expected spend = a + b · m). */
export function spendCoefficientsSql(staged: string): SqlFragment {
  return sql`SELECT CAST(c1 AS INTEGER) AS x, CAST(c2 AS DOUBLE PRECISION) AS a, CAST(c3 AS DOUBLE PRECISION) AS b
  FROM ${ident(staged)}`;
}

/**
 * One row per customer of the statistics table: customer_id, frequency,
 * recency, T (in the unit), monetary_value (mean repeat value), p_alive,
 * expected_purchases, expected_spend and clv, in customer order. No bound
 * parameters (it feeds COPY); `unitDays` is 1 or 7; `firstCustomers`
 * limits it to the first customers by id (a sample to check).
 */
export function predictionsSql(unitDays: 1 | 7, withSpendModel: boolean, firstCustomers?: number): SqlFragment {
  const days = integer(unitDays);
  const m = raw("CASE WHEN s.x > 0 THEN CAST(s.repeat_value AS DOUBLE PRECISION) / s.x END");
  const spend = withSpendModel ? sql`CASE WHEN s.x > 0 THEN c.a + c.b * ${SPEND_M} ELSE c.a END` : SPEND_M;
  const coefficients = withSpendModel ? sql` LEFT JOIN ${ident(CLV_SPEND_TABLE)} c ON c.x = s.x` : raw("");
  // A sample of the first customers reads only them (a top-N of the statistics), not the whole join.
  const stats =
    firstCustomers === undefined
      ? ident(CLV_STATS_TABLE)
      : sql`(SELECT * FROM ${ident(CLV_STATS_TABLE)} ORDER BY customer_id LIMIT ${integer(firstCustomers)})`;
  return sql`SELECT s.customer_id, s.x AS frequency, CAST(s.tx_days AS DOUBLE PRECISION) / ${days} AS recency,
    CAST(s.t_days AS DOUBLE PRECISION) / ${days} AS ${raw('"T"')}, ${m} AS monetary_value, g.p_alive, g.expected_purchases,
    ${spend} AS expected_spend, g.clv_per_spend * ${spend} AS clv,
    s.tx_days, s.t_days, CAST(s.repeat_value AS VARCHAR) AS repeat_value
  FROM ${stats} s JOIN ${ident(CLV_GROUP_TABLE)} g
    ON g.x = s.x AND g.tx_days = s.tx_days AND g.t_days = s.t_days${coefficients}`;
}

/** The output columns of the predictions file (the query's first nine). */
export const PREDICTION_COLUMNS = [
  "customer_id",
  "frequency",
  "recency",
  "T",
  "monetary_value",
  "p_alive",
  "expected_purchases",
  "expected_spend",
  "clv",
] as const;

/** Only the output columns of `predictionsSql`, in customer order. */
export function predictionsOutputSql(inner: SqlFragment, spreadsheet = true): SqlFragment {
  return sql`SELECT ${textCell(sql`p.customer_id`, spreadsheet)} AS customer_id, frequency, recency, ${raw('"T"')},
    monetary_value, p_alive, expected_purchases, expected_spend, clv FROM (${inner}) p ORDER BY p.customer_id`;
}

/** The first customers' predictions with their keys (to check the set-based values against the model). */
export function predictionsSampleSql(inner: SqlFragment, rows: number) {
  return select(
    {
      frequency: col.integer,
      tx_days: col.integer,
      t_days: col.integer,
      repeat_value: col.nullable(col.amount),
      /** NULL for a one-time buyer without a spend model. */
      clv: col.nullable(col.number),
    },
    sql`SELECT * FROM (${inner}) p ORDER BY customer_id LIMIT ${integer(rows)}`,
  );
}

/** Convert a predictions CSV to Parquet or a JSON array with proper types (DuckDB). */
export function convertPredictionsSql(csvPath: string, outPath: string, format: "parquet" | "json"): SqlFragment {
  const options = raw(format === "parquet" ? "(FORMAT parquet)" : "(FORMAT json, ARRAY true)");
  return sql`COPY (SELECT * FROM read_csv(${csvPath}, header = true, auto_detect = false,
    columns = {'customer_id': 'VARCHAR', 'frequency': 'INTEGER', 'recency': 'DOUBLE', 'T': 'DOUBLE',
      'monetary_value': 'DOUBLE', 'p_alive': 'DOUBLE', 'expected_purchases': 'DOUBLE', 'expected_spend': 'DOUBLE',
      'clv': 'DOUBLE'})) TO ${outPath} ${options}`;
}
