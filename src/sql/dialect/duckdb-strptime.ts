/** The strptime directives DuckDB reads (`%x`), and those it reads with a dash (`%-x`, no leading zero). */
const DIRECTIVES = new Set("abcdfghjmnpuwxyzABGHIMSTUVWXYZ%");
const DASHED = new Set("djmyHIMS");

/**
 * Why DuckDB cannot read dates in `format` (a directive it does not know,
 * a lone `%` at the end), or null when it can: a mapping's date format is
 * refused with DATE_FORMAT_UNSUPPORTED before the load, not by DuckDB's
 * "Failed to parse format specifier" in the middle of it.
 */
export function duckdbStrptimeProblem(format: string): string | null {
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") continue;
    let d = format[i + 1];
    if (d === "-") {
      const next = format[i + 2];
      if (next === undefined || !DASHED.has(next)) return `%-${next ?? ""} is not a supported directive`;
      d = next;
      i++;
    }
    if (d === undefined) return "the format ends with a lone %";
    if (!DIRECTIVES.has(d)) return `%${d} is not a strptime directive DuckDB reads`;
    i++;
  }
  return null;
}
