import { strptimeDirectiveProblem } from "./strptime-directives.js";

/** The strptime directives DuckDB reads (`%x`). */
const DIRECTIVES = new Set("abcdfghjmnpuwxyzABGHIMSTUVWXYZ%");

/**
 * Why DuckDB cannot read dates in `format` (a directive it does not know,
 * a lone `%` at the end), or null when it can: a mapping's date format is
 * refused with DATE_FORMAT_UNSUPPORTED before the load, not by DuckDB's
 * "Failed to parse format specifier" in the middle of it.
 */
export function duckdbStrptimeProblem(format: string): string | null {
  return strptimeDirectiveProblem(
    format,
    (d) => DIRECTIVES.has(d),
    (d) => `%${d} is not a strptime directive DuckDB reads`,
  );
}
