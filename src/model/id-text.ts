/**
 * How an id (a customer id, an order id, any key or reference) is read,
 * wherever it enters Tierwise: a file being ingested, or a command-line
 * argument. Invisible characters around an id are noise from copy and paste
 * or spreadsheets and are removed; inside an id they would make a lookalike
 * (`C1` and `C1` + zero-width space), so such an id is refused.
 *
 * 1. Trim, at both ends, every Unicode White_Space character and every
 *    Default_Ignorable_Code_Point (zero-width space and joiners, word
 *    joiner, byte-order mark, soft hyphen, variation selectors, …).
 * 2. Refuse an id that still contains a control character (C0, DEL, C1) or
 *    a default-ignorable code point (`INVALID_ID`, naming it, e.g. U+200B).
 *
 * Ingest applies the rule in SQL (`sql/ingest`, from these tables);
 * commands apply `normaliseId`. A shared table of cases checks both agree.
 */

/** [first, last] code point ranges of Unicode's White_Space property. */
export const WHITE_SPACE: ReadonlyArray<readonly [number, number]> = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0x85, 0x85],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];

/** [first, last] code point ranges of Unicode's Default_Ignorable_Code_Point property (Unicode 15). */
export const DEFAULT_IGNORABLE: ReadonlyArray<readonly [number, number]> = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfff8],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe0fff],
];

/** Control characters (Unicode category Cc): C0, DEL and C1. */
export const CONTROL: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
];

/** The longest id, in characters. */
export const MAX_ID_LENGTH = 200;

/**
 * A regular-expression bracket class (`[…]`) of the ranges, written with the
 * characters themselves: RE2 (DuckDB), PostgreSQL's ARE and JavaScript all
 * read it alike. NUL is left out (no engine's text can hold it).
 */
export function characterClass(ranges: ReadonlyArray<readonly [number, number]>): string {
  const literal = (cp: number) => {
    const c = String.fromCodePoint(cp);
    return /[\\\]^-]/.test(c) ? `\\${c}` : c;
  };
  const parts = ranges.map(([a, b]) => {
    const from = Math.max(a, 1);
    return from === b ? literal(from) : `${literal(from)}-${literal(b)}`;
  });
  return `[${parts.join("")}]`;
}

/** What is trimmed from both ends of an id. */
export const ID_TRIMMED = characterClass([...WHITE_SPACE, ...DEFAULT_IGNORABLE]);
/** What an id may not contain once trimmed. */
export const ID_FORBIDDEN = characterClass([...CONTROL, ...DEFAULT_IGNORABLE]);

/** `U+200B`: a code point as Unicode writes it. */
export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
}

export type IdText =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly problem: "empty" | "too long" | "forbidden"; readonly codePoint?: string };

const TRIM = new RegExp(`^${ID_TRIMMED}+|${ID_TRIMMED}+$`, "gu");
const FORBIDDEN = new RegExp(ID_FORBIDDEN, "u");

/** An id as typed or read, normalised by the rule above, or why it is not one. */
export function normaliseId(text: string): IdText {
  const id = text.replace(TRIM, "");
  if (id === "") return { ok: false, problem: "empty" };
  const bad = FORBIDDEN.exec(id) ?? (id.includes("\0") ? ["\0"] : null);
  if (bad) return { ok: false, problem: "forbidden", codePoint: codePointLabel(bad[0].codePointAt(0) ?? 0) };
  if ([...id].length > MAX_ID_LENGTH) return { ok: false, problem: "too long" };
  return { ok: true, id };
}
