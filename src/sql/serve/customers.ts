import { ident, integer, join, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/** What `GET /customers` filters by; every value is bound, never written into the text. */
export interface CustomerSearch {
  /** The run whose grades are shown and filtered on. */
  readonly runId: number;
  /** Only ids after this one (the cursor of the previous page). */
  readonly after: string | null;
  /** An id prefix or a part of the name (case-insensitive). */
  readonly q: string | null;
  readonly scheme: string | null;
  /** Only customers with this tier in `scheme` (needs `scheme`). */
  readonly tier: string | null;
  /** The page size; one more row is read to tell whether a next page exists. */
  readonly limit: number;
}

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";

/**
 * Case folded for A–Z only, the same on both engines: `lower()` follows
 * the database's locale on PostgreSQL (a C-locale database leaves Ł as it
 * is) and Unicode on DuckDB. Other letters match as typed.
 */
const foldAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
const foldedSql = (value: SqlFragment) => sql`translate(${value}, ${UPPER}, ${LOWER})`;

/** `%` and `_` (and the escape itself) match themselves in a LIKE pattern. */
const likeText = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of customers by id (keyset pagination: `customer_id > after`,
 * so a page costs the same wherever it is), with the tiers each has in the
 * run's customer schemes: one row per customer and scheme (a customer
 * outside every scheme has one row with NULL scheme and tier).
 */
export function customerPageSql(s: CustomerSearch) {
  const where: SqlFragment[] = [sql`TRUE`];
  if (s.after !== null) where.push(sql`c.customer_id > ${s.after}`);
  if (s.q !== null) {
    const text = likeText(foldAscii(s.q));
    const id = foldedSql(sql`c.customer_id`);
    const name = foldedSql(sql`coalesce(c.name, '')`);
    where.push(sql`(${id} LIKE ${`${text}%`} ESCAPE '\\' OR ${name} LIKE ${`%${text}%`} ESCAPE '\\')`);
  }
  if (s.scheme !== null) {
    const tier = s.tier === null ? sql`` : sql` AND t.tier = ${s.tier}`;
    where.push(sql`EXISTS (SELECT 1 FROM ${ident("tw_grades")} g
    JOIN ${ident("tw_run_schemes")} rs ON rs.run_id = g.run_id AND rs.scheme_no = g.scheme_no
    JOIN ${ident("tw_run_tiers")} t ON t.run_id = g.run_id AND t.scheme_no = g.scheme_no AND t.tier_rank = g.tier_rank
    WHERE g.run_id = ${integer(s.runId)} AND g.entity_id = c.customer_id AND rs.scheme = ${s.scheme}${tier})`);
  }
  return select(
    { id: col.text, name: col.nullable(col.text), scheme: col.nullable(col.text), tier: col.nullable(col.text) },
    sql`WITH page AS (
  SELECT c.customer_id AS id, c.name AS name FROM ${ident("customers")} c
  WHERE ${join(where, " AND ")}
  ORDER BY c.customer_id LIMIT ${integer(s.limit + 1)})
SELECT p.id, p.name, rs.scheme, t.tier
FROM page p
LEFT JOIN ${ident("tw_grades")} g ON g.run_id = ${integer(s.runId)} AND g.entity_id = p.id
LEFT JOIN ${ident("tw_run_schemes")} rs ON rs.run_id = g.run_id AND rs.scheme_no = g.scheme_no AND rs.entity = 'customers'
LEFT JOIN ${ident("tw_run_tiers")} t ON t.run_id = g.run_id AND t.scheme_no = g.scheme_no AND t.tier_rank = g.tier_rank
ORDER BY p.id, rs.scheme`,
  );
}

/** The customer schemes of a run and their tiers, best first: what `scheme` and `tier` may name. */
export function runSchemesSql(runId: number) {
  return select(
    { scheme: col.text, tier: col.text },
    sql`SELECT rs.scheme, t.tier FROM ${ident("tw_run_schemes")} rs
  JOIN ${ident("tw_run_tiers")} t ON t.run_id = rs.run_id AND t.scheme_no = rs.scheme_no
  WHERE rs.run_id = ${integer(runId)} AND rs.entity = 'customers' ORDER BY rs.scheme, t.tier_rank`,
  );
}
