/** Letters strptime reads with a dash (`%-d`: no leading zero), on both engines. */
const DASHED = new Set("djmyHIMS");

/**
 * The first problem of a strptime `format` whose directives (`%x`, `%-x`)
 * must satisfy `known`, or null: a dash before a letter that takes none, a
 * lone `%` at the end, or `unknown(d)` for a letter `known` refuses.
 */
export function strptimeDirectiveProblem(
  format: string,
  known: (directive: string) => boolean,
  unknown: (directive: string) => string,
): string | null {
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
    if (!known(d)) return unknown(d);
    i++;
  }
  return null;
}
