import { InternalError } from "../../errors/index.js";
import { type SqlFragment, sql } from "../fragment.js";

/**
 * How generated values are written: ids as zero-padded text, instants as
 * ISO 8601 UTC text in CSV and as UTC timestamps in Parquet, money as
 * decimals with two places.
 */

export type OutputFormat = "csv" | "parquet";

/**
 * A text id: `prefix` followed by `n` zero-padded to at least `width` digits
 * (`C0000042`); a number with more digits is written in full, never cut.
 */
export function idText(prefix: string, n: SqlFragment, width: number): SqlFragment {
  if (prefix.includes("%")) throw new InternalError(`id prefix ${JSON.stringify(prefix)} must not contain %`);
  return sql`printf(${`${prefix}%0${width}d`}, ${n})`;
}

/** An instant held as Unix seconds, as written to the file; NULL stays NULL. */
export function instant(seconds: SqlFragment, format: OutputFormat): SqlFragment {
  return format === "csv"
    ? sql`strftime(make_timestamp(CAST(${seconds} AS BIGINT) * 1000000), '%Y-%m-%dT%H:%M:%SZ')`
    : sql`to_timestamp(CAST(${seconds} AS BIGINT))`;
}

/** An amount held as integer cents, as an exact two-place decimal. */
export function money(cents: SqlFragment): SqlFragment {
  return sql`(CAST(${cents} AS DECIMAL(16,0)) * CAST(0.01 AS DECIMAL(2,2)))`;
}
