import type { Dialect } from "../dialect/dialect.js";
import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";

/**
 * A few ids of `entity` near an unknown `id`, for a did-you-mean: those equal
 * to it ignoring case (`near` 0), then its neighbours in byte order of the
 * lower-cased ids (a typo towards the end) and of the reversed lower-cased ids
 * (a typo towards the start), `perSide` on each side (`near` 1). Set-based:
 * at most `3 + 4 × perSide` rows come back, whatever the table's size; the
 * caller picks the closest by edit distance.
 */
export function entityIdSuggestionsSql(
  d: Dialect,
  entity: "customers" | "leads",
  id: string,
  perSide = 3,
): SqlFragment {
  const key = ident(entity === "customers" ? "customer_id" : "lead_id");
  const table = ident(entity);
  const lowered = sql`lower(${key})`;
  const given = sql`lower(${id})`;
  const side = (value: SqlFragment, target: SqlFragment, op: ">=" | "<", direction: "ASC" | "DESC") =>
    sql`SELECT * FROM (SELECT ${key} AS id, 1 AS near FROM ${table}
    WHERE ${d.byteOrder(value)} ${raw(op)} ${d.byteOrder(target)}
    ORDER BY ${d.byteOrder(value)} ${raw(direction)} LIMIT ${perSide}) AS s`;
  const reversed = sql`reverse(${lowered})`;
  const givenReversed = sql`reverse(${given})`;
  return join(
    [
      sql`SELECT * FROM (SELECT ${key} AS id, 0 AS near FROM ${table} WHERE ${lowered} = ${given} LIMIT 3) AS s`,
      side(lowered, given, ">=", "ASC"),
      side(lowered, given, "<", "DESC"),
      side(reversed, givenReversed, ">=", "ASC"),
      side(reversed, givenReversed, "<", "DESC"),
    ],
    "\nUNION ALL\n",
  );
}
