/** Roughly how wide a name draws, in Latin-letter widths (CJK and other wide characters count twice). */
function units(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  return cp >= 0x1100 &&
    (cp <= 0x115f ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      cp >= 0x20000)
    ? 2
    : 1;
}

/** A name cut to about `max` widths with an ellipsis (the full name stays in the table next to the chart). */
export function clip(name: string, max: number): string {
  let used = 0;
  let out = "";
  for (const ch of name) {
    used += units(ch);
    if (used > max) return `${out}…`;
    out += ch;
  }
  return out;
}
