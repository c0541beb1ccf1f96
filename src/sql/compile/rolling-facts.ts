import type { Window } from "../../plan/expression.js";
import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";
import { windowStartDate } from "./as-of.js";
import { asOfInstant } from "./compile-run.js";
import { type FactSource, type KeyedParts, type RolledSource, SOURCE_TIME } from "./facts.js";
import { netOrdersRelation } from "./net-orders.js";

/**
 * Facts a backfill rolls from one as-of date to the next instead of scanning
 * the source again: per customer, the previous date's counts, sums, minima
 * and maxima, plus the rows that entered the windows since (time in [previous
 * as-of, as-of)), minus the rows that left them (time in [previous start,
 * start)). Exact for counts, decimal sums (kept with the count of rows they
 * add, so an empty sum is NULL as in a scan) and lifetime min/max; a source
 * is rolled only when every aggregate over it has such parts.
 */

/** Sources that are tables with the customer and a time column (derived relations are not rolled). */
export const ROLLABLE_SOURCES: ReadonlySet<FactSource> = new Set(["orders", "interactions", "invoices", "leads"]);

/** Column names of the rolled table of `source`, one value (and row count, for sums) per fact. */
export function rolledColumns(facts: readonly KeyedParts[]): RolledSource["columns"] {
  return new Map(
    facts.map((f, i) => [
      f.key,
      f.parts.combine === "sum" ? { value: `v_${i + 1}`, count: `c_${i + 1}` } : { value: `v_${i + 1}` },
    ]),
  );
}

function startOf(w: Window, date: string, timeZone: string): SqlFragment | undefined {
  const start = windowStartDate(date, w);
  return start === undefined ? undefined : asOfInstant(start, timeZone);
}

const all = (parts: readonly SqlFragment[]) =>
  join(
    parts.map((p) => sql`(${p})`),
    " AND ",
  );

/**
 * `CREATE TEMP TABLE table AS …` holding the facts of `source` as of `date`:
 * from a scan when `previous` is undefined, else rolled from the table of
 * the previous date.
 */
export function rollSql(
  source: FactSource,
  facts: readonly KeyedParts[],
  target: string,
  at: { readonly date: string; readonly timeZone: string },
  previous?: { readonly table: string; readonly date: string },
): SqlFragment[] {
  const columns = rolledColumns(facts);
  const time = ident(SOURCE_TIME[source]);
  const asOf = asOfInstant(at.date, at.timeZone);
  const from = source === "orders" ? sql`${netOrdersRelation()} s` : sql`${ident(source)} s`;
  const col = (f: KeyedParts) => columns.get(f.key) ?? { value: "", count: undefined };
  let query: SqlFragment;
  if (!previous) {
    const aggs = facts.flatMap((f) => {
      const start = startOf(f.parts.window, at.date, at.timeZone);
      const where = all([f.parts.where, ...(start ? [sql`${time} >= ${start}`] : [])]);
      const c = col(f);
      return [
        sql`${f.parts.call} FILTER (WHERE ${where}) AS ${ident(c.value)}`,
        ...(c.count ? [sql`count(*) FILTER (WHERE ${where}) AS ${ident(c.count)}`] : []),
      ];
    });
    query = sql`SELECT customer_id, count(*) AS n, ${join(aggs)} FROM ${from}
  WHERE ${time} < ${asOf} AND customer_id IS NOT NULL GROUP BY customer_id`;
  } else {
    const before = asOfInstant(previous.date, at.timeZone);
    const ranges: SqlFragment[] = [sql`(${time} >= ${before})`];
    const deltas: SqlFragment[] = [sql`count(*) FILTER (WHERE ${time} >= ${before}) AS n`];
    const rolled: SqlFragment[] = [sql`coalesce(p.n, 0) + coalesce(d.n, 0) AS n`];
    for (const [i, f] of facts.entries()) {
      const start = startOf(f.parts.window, at.date, at.timeZone);
      const startBefore = startOf(f.parts.window, previous.date, at.timeZone);
      const c = col(f);
      const entered = all([f.parts.where, sql`${time} >= ${before}`, ...(start ? [sql`${time} >= ${start}`] : [])]);
      const inValue = ident(`i_${i + 1}`);
      const inCount = ident(`ic_${i + 1}`);
      deltas.push(sql`${f.parts.call} FILTER (WHERE ${entered}) AS ${inValue}`);
      if (f.parts.combine === "min" || f.parts.combine === "max") {
        if (start) throw new Error("internal: only lifetime min and max roll");
        const pick = raw(f.parts.combine === "min" ? "least" : "greatest");
        rolled.push(sql`${pick}(p.${ident(c.value)}, d.${inValue}) AS ${ident(c.value)}`);
        continue;
      }
      let outValue: SqlFragment | undefined;
      let outCount: SqlFragment | undefined;
      if (start && startBefore) {
        // Rows of the previous window that the new one no longer holds.
        const left = all([
          f.parts.where,
          sql`${time} >= ${startBefore}`,
          sql`${time} < ${start}`,
          sql`${time} < ${before}`,
        ]);
        ranges.push(sql`(${time} >= ${startBefore} AND ${time} < ${start})`);
        outValue = ident(`o_${i + 1}`);
        outCount = ident(`oc_${i + 1}`);
        deltas.push(sql`${f.parts.call} FILTER (WHERE ${left}) AS ${outValue}`);
        if (c.count) deltas.push(sql`count(*) FILTER (WHERE ${left}) AS ${outCount}`);
      }
      if (c.count) deltas.push(sql`count(*) FILTER (WHERE ${entered}) AS ${inCount}`);
      const minus = (x: SqlFragment | undefined) => (x ? sql` - coalesce(d.${x}, 0)` : raw(""));
      rolled.push(
        sql`coalesce(p.${ident(c.value)}, 0) + coalesce(d.${inValue}, 0)${minus(outValue)} AS ${ident(c.value)}`,
      );
      if (c.count)
        rolled.push(
          sql`coalesce(p.${ident(c.count)}, 0) + coalesce(d.${inCount}, 0)${minus(outCount)} AS ${ident(c.count)}`,
        );
    }
    const delta = sql`SELECT customer_id, ${join(deltas)} FROM ${from}
  WHERE ${time} < ${asOf} AND customer_id IS NOT NULL AND (${join(ranges, " OR ")}) GROUP BY customer_id`;
    query = sql`SELECT coalesce(p.customer_id, d.customer_id) AS customer_id, ${join(rolled)}
  FROM ${ident(previous.table)} p FULL OUTER JOIN (${delta}) d ON d.customer_id = p.customer_id`;
  }
  return [sql`DROP TABLE IF EXISTS ${ident(target)}`, sql`CREATE TEMP TABLE ${ident(target)} AS ${query}`];
}
