import { type ChurnSqlOptions, churnStateSql } from "../compile/churn.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { createTempSql } from "../run/snapshot.js";

/**
 * What a page of customers is ordered by, then by id: the id, the name
 * (byte order, the same on both engines; no name last), the net spend of the
 * run's revenue window that the run stored with each grade (`revenue`), or
 * the score of `scheme` in the run; `-` sorts descending. Customers without
 * a value come last either way.
 */
export const CUSTOMER_SORTS = ["id", "-id", "name", "-name", "revenue", "-revenue", "score", "-score"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/** Where the previous page ended: its last id and, for a sort by a value, that customer's value as the engine wrote it. */
export interface PageEnd {
  readonly id: string;
  /** The sort value as text (null: the customer has none); absent for `id` and `-id`. */
  readonly key?: string | null;
}

/** What `GET /customers` filters by; every value is bound, never written into the text. */
export interface CustomerSearch {
  /** The run whose grades are shown and filtered on. */
  readonly runId: number;
  readonly dialect: Dialect;
  /** Only customers after this one in the sort order (the cursor of the previous page). */
  readonly after: PageEnd | null;
  readonly sort: CustomerSort;
  /** Only customers at risk (true) or not (false), by the rows of a table holding the ids at risk (`createAtRiskSql`). */
  readonly atRisk: { readonly table: string; readonly value: boolean } | null;
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

/** The sort value of a customer (`c`, joined to `v`): its SQL, its type for a bound cursor value, the join it needs. */
function sortKey(s: CustomerSearch): { value: SqlFragment; type: string; join: SqlFragment } | null {
  const run = integer(s.runId);
  switch (s.sort.replace(/^-/, "")) {
    case "name":
      return { value: s.dialect.byteOrder(sql`c.name`), type: "VARCHAR", join: raw("") };
    case "revenue":
      // The same for every customer scheme of a run (the policy's revenue window); max() keeps one row per customer.
      return {
        value: sql`v.revenue`,
        type: "DECIMAL(38,4)",
        join: sql` LEFT JOIN (SELECT g.entity_id, max(g.revenue) AS revenue FROM ${ident("tw_grades")} g
    JOIN ${ident("tw_run_schemes")} rs ON rs.run_id = g.run_id AND rs.scheme_no = g.scheme_no AND rs.entity = 'customers'
    WHERE g.run_id = ${run} GROUP BY g.entity_id) v ON v.entity_id = c.customer_id`,
      };
    case "score":
      return {
        value: sql`v.score`,
        type: "DOUBLE PRECISION",
        join: sql` LEFT JOIN (SELECT g.entity_id, g.score FROM ${ident("tw_grades")} g
    JOIN ${ident("tw_run_schemes")} rs ON rs.run_id = g.run_id AND rs.scheme_no = g.scheme_no AND rs.entity = 'customers'
    WHERE g.run_id = ${run} AND rs.scheme = ${s.scheme ?? ""}) v ON v.entity_id = c.customer_id`,
      };
    default:
      return null;
  }
}

/**
 * One page of customers in the sort order (keyset pagination: the page
 * starts after the previous page's last customer, by its sort value and id,
 * so a page costs the same wherever it is and paging neither skips nor
 * repeats a customer, ties included), with the tiers each has in the run's
 * customer schemes: one row per customer and scheme (a customer outside
 * every scheme has one row with NULL scheme and tier), and `sort_value`, the
 * customer's sort value as text for the next cursor.
 */
export function customerPageSql(s: CustomerSearch) {
  const where: SqlFragment[] = [sql`TRUE`];
  const descending = s.sort.startsWith("-");
  const key = sortKey(s);
  if (s.after !== null) {
    if (key === null) where.push(descending ? sql`c.customer_id < ${s.after.id}` : sql`c.customer_id > ${s.after.id}`);
    else if (s.after.key === null || s.after.key === undefined)
      where.push(sql`(${key.value} IS NULL AND c.customer_id > ${s.after.id})`);
    else {
      const last =
        key.type === "VARCHAR"
          ? s.dialect.byteOrder(sql`${s.after.key}`)
          : sql`CAST(${s.after.key} AS ${raw(key.type)})`;
      const beyond = descending ? sql`${key.value} < ${last}` : sql`${key.value} > ${last}`;
      where.push(
        sql`(${beyond} OR (${key.value} = ${last} AND c.customer_id > ${s.after.id}) OR ${key.value} IS NULL)`,
      );
    }
  }
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
  if (s.atRisk !== null) {
    const risky = sql`EXISTS (SELECT 1 FROM ${ident(s.atRisk.table)} r WHERE r.customer_id = c.customer_id)`;
    where.push(s.atRisk.value ? risky : sql`NOT ${risky}`);
  }
  const dir = raw(descending ? "DESC" : "ASC");
  const pageOrder = key === null ? sql`c.customer_id ${dir}` : sql`${key.value} ${dir} NULLS LAST, c.customer_id`;
  const outerKey = key?.type === "VARCHAR" ? s.dialect.byteOrder(sql`p.k`) : sql`p.k`;
  const outerOrder = key === null ? sql`p.id ${dir}` : sql`${outerKey} ${dir} NULLS LAST, p.id`;
  const k = key === null ? raw("CAST(NULL AS VARCHAR)") : key.value;
  return select(
    {
      id: col.text,
      name: col.nullable(col.text),
      scheme: col.nullable(col.text),
      tier: col.nullable(col.text),
      sort_value: col.nullable(col.text),
    },
    sql`WITH page AS (
  SELECT c.customer_id AS id, c.name AS name, ${k} AS k FROM ${ident("customers")} c${key?.join ?? raw("")}
  WHERE ${join(where, " AND ")}
  ORDER BY ${pageOrder} LIMIT ${integer(s.limit + 1)})
SELECT p.id, p.name, rs.scheme, t.tier, CAST(p.k AS VARCHAR) AS sort_value
FROM page p
LEFT JOIN ${ident("tw_grades")} g ON g.run_id = ${integer(s.runId)} AND g.entity_id = p.id
LEFT JOIN ${ident("tw_run_schemes")} rs ON rs.run_id = g.run_id AND rs.scheme_no = g.scheme_no AND rs.entity = 'customers'
LEFT JOIN ${ident("tw_run_tiers")} t ON t.run_id = g.run_id AND t.scheme_no = g.scheme_no AND t.tier_rank = g.tier_rank
ORDER BY ${outerOrder}, rs.scheme`,
  );
}

/**
 * The ids of the customers at risk as of a run (churn's definition, the
 * `at_risk` of `churnStateSql`: past their expected next order, not turned),
 * as a temp table indexed by id.
 */
export function createAtRiskSql(table: string, o: ChurnSqlOptions): SqlFragment[] {
  return [
    ...createTempSql(table, sql`SELECT s.customer_id FROM (${churnStateSql(o)}) s WHERE s.at_risk`),
    sql`CREATE INDEX ${ident(`${table}_id`)} ON ${ident(table)} (customer_id)`,
  ];
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
