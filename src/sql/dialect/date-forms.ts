import type { DurationUnit } from "../../plan/expression.js";
import { raw, type SqlFragment, sql } from "../fragment.js";
import type { Dialect } from "./dialect.js";

/**
 * The date forms of the expression language that DuckDB and PostgreSQL spell
 * alike: a dialect that agrees takes them as they are.
 */

const INTERVALS: Readonly<Record<DurationUnit, SqlFragment>> = {
  day: raw("INTERVAL '1 day'"),
  week: raw("INTERVAL '7 days'"),
  month: raw("INTERVAL '1 month'"),
  year: raw("INTERVAL '1 year'"),
};

export const standardDateForms: Pick<Dialect, "dateLiteral" | "shiftDate" | "daysBetween"> = {
  dateLiteral: (text) => sql`CAST(${text} AS DATE)`,
  shiftDate: (date, sign, amount, unit) => sql`(${date} ${raw(sign)} CAST(${amount} AS INTEGER) * ${INTERVALS[unit]})`,
  daysBetween: (from, to) => sql`(CAST(${to} AS DATE) - CAST(${from} AS DATE))`,
};
