import type { ColumnType } from "../../model/index.js";
import { raw, type SqlFragment, sql } from "../fragment.js";
import type { Dialect } from "./dialect.js";

const TYPES: Record<ColumnType, string> = {
  id: "VARCHAR",
  text: "VARCHAR",
  timestamp: "TIMESTAMP",
  money: "DECIMAL(18,4)",
  integer: "BIGINT",
  number: "DECIMAL(18,4)",
  enum: "VARCHAR",
  json: "JSON",
};

/** DuckDB, the embedded default engine. */
export const duckdbDialect: Dialect = {
  name: "duckdb",
  columnType: (type) => TYPES[type],
  tryDecimal: (value) => sql`TRY_CAST(${value} AS DECIMAL(18,4))`,
  tryTimestampUtc: (value) => sql`timezone('UTC', TRY_CAST(${value} AS TIMESTAMPTZ))`,
  tryTimestampFormatUtc: (value, formats) =>
    sql`timezone('UTC', CAST(try_strptime(${value}, ${formats}::VARCHAR[]) AS TIMESTAMPTZ))`,
  isJsonObject: (value) => sql`coalesce(json_valid(${value}) AND json_type(${value}) = 'OBJECT', false)`,
  regexFullMatch: (value, pattern) => sql`regexp_full_match(${value}, ${pattern})`,
  regexReplaceAll: (value, pattern, replacement) => sql`regexp_replace(${value}, ${pattern}, ${replacement}, 'g')`,
  setTimeZone: (zone) => sql`SELECT set_config('TimeZone', ${zone})`,
  timeZoneNames: () => raw("SELECT name FROM pg_timezone_names()"),
};
