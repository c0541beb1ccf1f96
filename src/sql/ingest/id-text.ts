import { ID_FORBIDDEN, ID_TRIMMED } from "../../model/index.js";
import type { Dialect } from "../dialect/dialect.js";
import { type SqlFragment, sql } from "../fragment.js";

/**
 * The id rule of `model/id-text.ts` in SQL, the same on both engines (the
 * character classes are written with the characters themselves, which RE2
 * and PostgreSQL's regular expressions read alike).
 */

/** Id text without White_Space and default-ignorable code points at either end; NULL when nothing is left. */
export function idTrimmedSql(d: Dialect, text: SqlFragment): SqlFragment {
  return sql`nullif(${d.regexReplaceAll(text, `^${ID_TRIMMED}+|${ID_TRIMMED}+$`, "")}, '')`;
}

/** Whether trimmed id text still holds a control character or a default-ignorable code point. */
export function idForbiddenSql(d: Dialect, text: SqlFragment): SqlFragment {
  return d.regexContains(text, ID_FORBIDDEN);
}

/** `U+200B`: the first forbidden code point of id text, or NULL. */
export function idForbiddenLabelSql(d: Dialect, text: SqlFragment): SqlFragment {
  const only = d.regexReplaceAll(text, ID_FORBIDDEN.replace(/^\[/, "[^"), "");
  const hex = sql`upper(to_hex(ascii(${only})))`;
  // lpad cuts longer text: a code point above U+FFFF keeps all its digits.
  return sql`CASE WHEN ${only} <> '' THEN 'U+' || lpad(${hex}, CAST(greatest(4, length(${hex})) AS INTEGER), '0') END`;
}
