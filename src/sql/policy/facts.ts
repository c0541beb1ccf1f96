import { ident, join, raw, render, type SqlFragment, sql } from "../fragment.js";

/**
 * The per-entity facts of a run: every aggregate the policy needs, collected
 * while schemes are compiled and then computed with one grouped scan per
 * source table (conditional aggregates with FILTER), joined to the entity.
 */
export type FactSource = "orders" | "interactions" | "invoices" | "leads" | "lines" | "categories" | "ratings";

interface Fact {
  readonly name: string;
  readonly aggregate: SqlFragment;
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
};

/** Order lines with their order's customer, time and status, and the product's category where the line has none. */
function linesRelation(asOf: SqlFragment): SqlFragment {
  return sql`(SELECT o.customer_id, o.ordered_at, o.status AS order_status, l.order_id, l.line_no, l.product_id,
    COALESCE(l.category, p.category) AS category, l.quantity, l.amount
    FROM ${ident("order_lines")} l JOIN ${ident("orders")} o ON o.order_id = l.order_id
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
  /**
   * Completed lines with a category, grouped by customer and category: one
   * row for everything before the first as-of, one per distinct order time
   * from then on, each with min and max ordered_at (first_at, last_at).
   */
  readonly categories?: string;
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
): { shared: SharedSources; statements: SqlFragment[][]; tables: string[] } {
  const shared: { lines?: string; categories?: string } = {};
  const statements: SqlFragment[][] = [];
  if (sources.has("lines")) {
    shared.lines = "tw_shared_lines";
    statements.push(createTemp(shared.lines, sql`SELECT * FROM ${linesRelation(last)} x`));
  }
  if (sources.has("categories")) {
    shared.categories = "tw_shared_categories";
    // Before the first as-of every date reads the same rows: one min/max per customer and category;
    // from then on each order time stays apart, so a date reads exactly the times before it.
    statements.push(
      createTemp(
        shared.categories,
        sql`SELECT customer_id, category, min(ordered_at) AS first_at, max(ordered_at) AS last_at FROM ${linesRelation(last)} x
    WHERE order_status = 'completed' AND category IS NOT NULL
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
      return shared.categories
        ? sql`(SELECT customer_id, category, min(first_at) AS first_at, max(last_at) AS last_at FROM ${ident(shared.categories)} x
    WHERE last_at < ${asOf} GROUP BY customer_id, category) s`
        : sql`(SELECT customer_id, category, min(ordered_at) AS first_at, max(ordered_at) AS last_at FROM ${lines} x
    WHERE order_status = 'completed' AND category IS NOT NULL GROUP BY customer_id, category) s`;
    case "ratings":
      return sql`${ident("tw_ratings")} s`;
    default:
      return sql`${ident(source)} s`;
  }
}

export class FactCollector {
  private readonly facts = new Map<FactSource, Map<string, Fact>>();
  private readonly columns = new Set<string>();
  private count = 0;

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

  /** Register an aggregate over `source` (grouped by customer); returns the facts column that holds it. */
  add(source: FactSource, aggregate: SqlFragment): SqlFragment {
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
    return ident(fact.name);
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
   * creation date).
   */
  customersQuery(asOf: SqlFragment, columns: readonly string[], shared: SharedSources = {}): SqlFragment {
    const selects: SqlFragment[] = [sql`c.customer_id AS entity_id`, ...columns.map((c) => sql`c.${ident(c)}`)];
    const joins: SqlFragment[] = [];
    let k = 0;
    for (const [source, facts] of this.facts) {
      k += 1;
      const alias = ident(`s_${k}`);
      const list = [...facts.values()];
      const aggs = join(list.map((f) => sql`${f.aggregate} AS ${ident(f.name)}`));
      const time = ident(SOURCE_TIME[source]);
      const where = source === "categories" ? raw("TRUE") : sql`${time} < ${asOf}`;
      joins.push(
        sql` LEFT JOIN (SELECT customer_id, ${aggs} FROM ${sourceRelation(source, asOf, shared)} WHERE ${where} AND customer_id IS NOT NULL GROUP BY customer_id) ${alias} ON ${alias}.customer_id = c.customer_id`,
      );
      for (const f of list) selects.push(sql`${alias}.${ident(f.name)}`);
    }
    return sql`SELECT ${join(selects)} FROM ${ident("customers")} c${join(joins, "")} WHERE c.created_at IS NULL OR c.created_at < ${asOf}`;
  }
}

/** Leads known at as-of, one row each, with the lead columns given. */
export function leadsQuery(asOf: SqlFragment, columns: readonly string[]): SqlFragment {
  const cols = [sql`l.lead_id AS entity_id`, ...columns.map((c) => sql`l.${ident(c)}`)];
  return sql`SELECT ${join(cols)} FROM ${ident("leads")} l WHERE l.created_at < ${asOf}`;
}
