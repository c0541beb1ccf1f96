import { InternalError } from "../../errors/index.js";
import type { Window } from "../../plan/expression.js";
import { CLV_METRICS_TABLE, type ClvColumn } from "../clv-store/metrics.js";
import { ident, join, raw, render, type SqlFragment, sql } from "../fragment.js";
import { netOrdersRelation } from "./net-orders.js";

/**
 * The per-entity facts of a run: every aggregate the policy needs, collected
 * while schemes are compiled and then computed with one grouped scan per
 * source table (conditional aggregates with FILTER), joined to the entity.
 */
export type FactSource = "orders" | "interactions" | "invoices" | "leads" | "lines" | "categories" | "ratings" | "clv";

interface Fact {
  readonly name: string;
  readonly aggregate: SqlFragment;
}

/**
 * An aggregate taken apart, for facts a backfill rolls from one date to the
 * next (src/sql/compile/rolling-facts.ts): `call FILTER (WHERE where AND the
 * source's time column >= the window's start)`. Only for aggregates whose
 * value depends on the date through the window alone.
 */
export interface FactParts {
  /** How results over parts of the rows combine: counts and sums add up; min and max (lifetime only) compare. */
  readonly combine: "count" | "sum" | "min" | "max";
  /** The aggregate call, e.g. `sum(amount)`. */
  readonly call: SqlFragment;
  /** The row condition besides the window. */
  readonly where: SqlFragment;
  readonly window: Window;
}

/** A fact's parts with a text that names them the same at every as-of date. */
export interface KeyedParts {
  readonly key: string;
  readonly parts: FactParts;
}

/** Where the facts of a source come from when a backfill rolls them: a table with one row per customer. */
export interface RolledSource {
  readonly table: string;
  /** Per fact (by `KeyedParts.key`), the table's value column, and its count of rows where it is a sum. */
  readonly columns: ReadonlyMap<string, { readonly value: string; readonly count?: string }>;
}

/** The time column of each source: only rows before as-of are read. */
export const SOURCE_TIME: Readonly<Record<FactSource, string>> = {
  orders: "ordered_at",
  interactions: "at",
  invoices: "due_at",
  leads: "created_at",
  lines: "ordered_at",
  categories: "first_at",
  ratings: "rated_at",
  clv: "customer_id",
};

/** Sources that are already one row per customer as of the run (no time column to cut). */
const CUT_ALREADY: ReadonlySet<FactSource> = new Set(["categories", "clv"]);

/**
 * Order lines with their order's customer, time, status and kind (a credit
 * note's lines are returns: categories read only lines of kind `order`), and
 * the product's category where the line has none.
 */
function linesRelation(asOf: SqlFragment): SqlFragment {
  return sql`(SELECT o.customer_id, o.ordered_at, o.status AS order_status, o.kind AS order_kind, l.order_id, l.line_no, l.product_id,
    COALESCE(l.category, p.category) AS category, l.quantity, l.amount
    FROM ${ident("order_lines")} l JOIN ${netOrdersRelation()} o ON o.order_id = l.order_id
    LEFT JOIN ${ident("products")} p ON p.product_id = l.product_id WHERE o.ordered_at < ${asOf})`;
}

/**
 * Relations several as-of dates read (a backfill), built once as temp tables
 * by `sharedSourcesSql` and read in place of the per-date joins of order
 * lines to orders and products.
 */
export interface SharedSources {
  /** The lines relation up to the last as-of (the per-date WHERE on ordered_at still applies). */
  readonly lines?: string;
  /** Sources whose facts are rolled from the previous date (with rows `n` > 0 where the source has any). */
  readonly rolled?: Partial<Readonly<Record<FactSource, RolledSource>>>;
  /**
   * Completed lines with a category, grouped by customer and category: one
   * row for everything before the first as-of, one per distinct order time
   * from then on, each with min and max ordered_at (first_at, last_at).
   */
  readonly categories?: string;
  /**
   * Set when no fact reads `last_at`: then `categories` holds one row per
   * customer and category with its first order time only, and a date reads
   * the rows with first_at before it (the relation has no last_at column).
   */
  readonly categoriesFirstOnly?: boolean;
}

/**
 * The temp tables of `SharedSources` for the sources a policy reads, for
 * as-of instants from `first` to `last`: rows at or after `last` are never
 * read. Lines are kept when a fact reads them; categories when one reads
 * categories.
 */
export function sharedSourcesSql(
  sources: ReadonlySet<FactSource>,
  first: SqlFragment,
  last: SqlFragment,
  categoriesFirstOnly = false,
): { shared: SharedSources; statements: SqlFragment[][]; tables: string[] } {
  const shared: { lines?: string; categories?: string; categoriesFirstOnly?: boolean } = {};
  const statements: SqlFragment[][] = [];
  if (sources.has("lines")) {
    shared.lines = "tw_shared_lines";
    statements.push(createTemp(shared.lines, sql`SELECT * FROM ${linesRelation(last)} x`));
  }
  if (sources.has("categories") && categoriesFirstOnly) {
    shared.categories = "tw_shared_categories";
    shared.categoriesFirstOnly = true;
    statements.push(
      createTemp(
        shared.categories,
        sql`SELECT customer_id, category, min(ordered_at) AS first_at FROM ${linesRelation(last)} x
    WHERE order_status = 'completed' AND order_kind = 'order' AND category IS NOT NULL GROUP BY customer_id, category`,
      ),
    );
  } else if (sources.has("categories")) {
    shared.categories = "tw_shared_categories";
    // Before the first as-of every date reads the same rows: one min/max per customer and category;
    // from then on each order time stays apart, so a date reads exactly the times before it.
    statements.push(
      createTemp(
        shared.categories,
        sql`SELECT customer_id, category, min(ordered_at) AS first_at, max(ordered_at) AS last_at FROM ${linesRelation(last)} x
    WHERE order_status = 'completed' AND order_kind = 'order' AND category IS NOT NULL
    GROUP BY customer_id, category, CASE WHEN ordered_at < ${first} THEN NULL ELSE ordered_at END`,
      ),
    );
  }
  return { shared, statements, tables: [shared.lines, shared.categories].filter((t): t is string => t !== undefined) };
}

function createTemp(name: string, query: SqlFragment): SqlFragment[] {
  return [sql`DROP TABLE IF EXISTS ${ident(name)}`, sql`CREATE TEMP TABLE ${ident(name)} AS ${query}`];
}

/** The FROM of each source, a relation with `customer_id` and the source's columns. */
function sourceRelation(source: FactSource, asOf: SqlFragment, shared: SharedSources): SqlFragment {
  const lines = shared.lines ? ident(shared.lines) : linesRelation(asOf);
  switch (source) {
    case "lines":
      return sql`${lines} s`;
    case "categories":
      if (shared.categories && shared.categoriesFirstOnly)
        return sql`(SELECT customer_id, category, first_at FROM ${ident(shared.categories)} x WHERE first_at < ${asOf}) s`;
      return shared.categories
        ? sql`(SELECT customer_id, category, min(first_at) AS first_at, max(last_at) AS last_at FROM ${ident(shared.categories)} x
    WHERE last_at < ${asOf} GROUP BY customer_id, category) s`
        : sql`(SELECT customer_id, category, min(ordered_at) AS first_at, max(ordered_at) AS last_at FROM ${lines} x
    WHERE order_status = 'completed' AND order_kind = 'order' AND category IS NOT NULL GROUP BY customer_id, category) s`;
    case "ratings":
      return sql`${ident("tw_ratings")} s`;
    case "clv":
      return sql`${ident(CLV_METRICS_TABLE)} s`;
    case "orders":
      return sql`${netOrdersRelation()} s`;
    default:
      return sql`${ident(source)} s`;
  }
}

export class FactCollector {
  private readonly facts = new Map<FactSource, Map<string, Fact>>();
  /** Per source, every registration's parts (also of duplicates) with the fact holding it; absent once one had none. */
  private readonly parts = new Map<FactSource, Map<string, { parts: FactParts; name: string }> | null>();
  private readonly columns = new Set<string>();
  private readonly clv = new Map<string, ClvColumn>();
  private count = 0;

  /** A column of the run's CLV metrics table, which the run builds before the facts (see src/clv-store/run-metrics.ts). */
  clvColumn(column: ClvColumn): SqlFragment {
    this.clv.set(column.name, column);
    return ident(column.name);
  }

  /** The CLV metrics the policy names (empty: no model is fitted). */
  clvColumns(): ClvColumn[] {
    return [...this.clv.values()];
  }

  /**
   * An entity column read by a scheme (population, rule, metric); only such
   * columns are copied into the facts table, which keeps it narrow.
   */
  column(name: string): SqlFragment {
    this.columns.add(name);
    return ident(name);
  }

  /** Of `columns`, those some scheme reads, in the same order. */
  usedColumns(columns: readonly string[]): string[] {
    return columns.filter((c) => this.columns.has(c));
  }

  /**
   * Register an aggregate over `source` (grouped by customer); returns the
   * facts column that holds it. `parts`, when given, must describe the same
   * aggregate; a source all of whose aggregates have them can be rolled.
   */
  add(source: FactSource, aggregate: SqlFragment, parts?: FactParts): SqlFragment {
    const r = render(aggregate);
    const key = `${r.text}\u0000${JSON.stringify(r.params)}`;
    let bySource = this.facts.get(source);
    if (!bySource) {
      bySource = new Map();
      this.facts.set(source, bySource);
    }
    let fact = bySource.get(key);
    if (!fact) {
      this.count += 1;
      fact = { name: `f_${this.count}`, aggregate };
      bySource.set(key, fact);
    }
    const known = this.parts.get(source);
    if (parts && known !== null) {
      const map = known ?? new Map<string, { parts: FactParts; name: string }>();
      map.set(partsKey(parts), { parts, name: fact.name });
      this.parts.set(source, map);
    } else this.parts.set(source, null);
    return ident(fact.name);
  }

  /** The parts of every aggregate over `source`, when all have them (undefined otherwise). */
  keyedParts(source: FactSource): KeyedParts[] | undefined {
    const map = this.parts.get(source);
    return map ? [...map.entries()].map(([key, v]) => ({ key, parts: v.parts })) : undefined;
  }

  get size(): number {
    return this.count;
  }

  /** The sources some fact reads. */
  get sources(): ReadonlySet<FactSource> {
    return new Set(this.facts.keys());
  }

  /**
   * `SELECT entity columns, f_1 … f_n FROM customers LEFT JOIN (one grouped
   * scan per source)`: customers known at as-of (created before it or with no
   * creation date). `only`: just that customer (real-time grading), every
   * grouped scan cut to its rows.
   */
  customersQuery(
    asOf: SqlFragment,
    columns: readonly string[],
    shared: SharedSources = {},
    only?: string,
  ): SqlFragment {
    const mine = only === undefined ? raw("") : sql` AND customer_id = ${only}`;
    const selects: SqlFragment[] = [sql`c.customer_id AS entity_id`, ...columns.map((c) => sql`c.${ident(c)}`)];
    const joins: SqlFragment[] = [];
    let k = 0;
    for (const [source, facts] of this.facts) {
      k += 1;
      const alias = ident(`s_${k}`);
      const list = [...facts.values()];
      const rolled = shared.rolled?.[source];
      const map = this.parts.get(source);
      if (rolled && map) {
        // Facts rolled to this date: each fact read from the column of one of its registrations.
        const values = list.map((f) => {
          const key = [...map.entries()].find(([, v]) => v.name === f.name)?.[0];
          const column = key === undefined ? undefined : rolled.columns.get(key);
          if (!column) throw new InternalError(`no rolled column for ${f.name}`);
          const value = column.count
            ? sql`CASE WHEN ${ident(column.count)} = 0 THEN NULL ELSE ${ident(column.value)} END`
            : ident(column.value);
          return sql`${value} AS ${ident(f.name)}`;
        });
        joins.push(
          sql` LEFT JOIN (SELECT customer_id, ${join(values)} FROM ${ident(rolled.table)} WHERE n > 0) ${alias} ON ${alias}.customer_id = c.customer_id`,
        );
        for (const f of list) selects.push(sql`${alias}.${ident(f.name)}`);
        continue;
      }
      const aggs = join(list.map((f) => sql`${f.aggregate} AS ${ident(f.name)}`));
      const time = ident(SOURCE_TIME[source]);
      const where = CUT_ALREADY.has(source) ? raw("TRUE") : sql`${time} < ${asOf}`;
      joins.push(
        sql` LEFT JOIN (SELECT customer_id, ${aggs} FROM ${sourceRelation(source, asOf, shared)} WHERE ${where} AND customer_id IS NOT NULL${mine} GROUP BY customer_id) ${alias} ON ${alias}.customer_id = c.customer_id`,
      );
      for (const f of list) selects.push(sql`${alias}.${ident(f.name)}`);
    }
    const known = sql`c.created_at IS NULL OR c.created_at < ${asOf}`;
    const where = only === undefined ? known : sql`c.customer_id = ${only} AND (${known})`;
    return sql`SELECT ${join(selects)} FROM ${ident("customers")} c${join(joins, "")} WHERE ${where}`;
  }
}

/** A text naming parts the same at every date (they hold no date). */
export function partsKey(parts: FactParts): string {
  const call = render(parts.call);
  const where = render(parts.where);
  const w =
    parts.window.kind === "lifetime"
      ? "lifetime"
      : parts.window.kind === "calendar"
        ? `calendar_${parts.window.unit}`
        : `${parts.window.amount} ${parts.window.unit}`;
  return JSON.stringify([parts.combine, call.text, call.params, where.text, where.params, w]);
}

/** Leads known at as-of, one row each, with the lead columns given. */
export function leadsQuery(asOf: SqlFragment, columns: readonly string[]): SqlFragment {
  const cols = [sql`l.lead_id AS entity_id`, ...columns.map((c) => sql`l.${ident(c)}`)];
  return sql`SELECT ${join(cols)} FROM ${ident("leads")} l WHERE l.created_at < ${asOf}`;
}
