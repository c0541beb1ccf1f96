import { CLV_METRICS_TABLE, type ClvColumn } from "../clv/metrics-sql.js";
import { ident, join, raw, render, type SqlFragment, sql } from "../fragment.js";

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

/** The FROM of each source, a relation with `customer_id` and the source's columns. */
function sourceRelation(source: FactSource, asOf: SqlFragment): SqlFragment {
  const lines = sql`(SELECT o.customer_id, o.ordered_at, o.status AS order_status, l.order_id, l.line_no, l.product_id,
    COALESCE(l.category, p.category) AS category, l.quantity, l.amount
    FROM ${ident("order_lines")} l JOIN ${ident("orders")} o ON o.order_id = l.order_id
    LEFT JOIN ${ident("products")} p ON p.product_id = l.product_id WHERE o.ordered_at < ${asOf})`;
  switch (source) {
    case "lines":
      return sql`${lines} s`;
    case "categories":
      return sql`(SELECT customer_id, category, min(ordered_at) AS first_at, max(ordered_at) AS last_at FROM ${lines} x
    WHERE order_status = 'completed' AND category IS NOT NULL GROUP BY customer_id, category) s`;
    case "ratings":
      return sql`${ident("tw_ratings")} s`;
    case "clv":
      return sql`${ident(CLV_METRICS_TABLE)} s`;
    default:
      return sql`${ident(source)} s`;
  }
}

export class FactCollector {
  private readonly facts = new Map<FactSource, Map<string, Fact>>();
  private readonly columns = new Set<string>();
  private readonly clv = new Map<string, ClvColumn>();
  private count = 0;

  /** A column of the run's CLV metrics table, which the run builds before the facts (see src/run/clv/run-metrics.ts). */
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

  /**
   * `SELECT entity columns, f_1 … f_n FROM customers LEFT JOIN (one grouped
   * scan per source)`: customers known at as-of (created before it or with no
   * creation date).
   */
  customersQuery(asOf: SqlFragment, columns: readonly string[]): SqlFragment {
    const selects: SqlFragment[] = [sql`c.customer_id AS entity_id`, ...columns.map((c) => sql`c.${ident(c)}`)];
    const joins: SqlFragment[] = [];
    let k = 0;
    for (const [source, facts] of this.facts) {
      k += 1;
      const alias = ident(`s_${k}`);
      const list = [...facts.values()];
      const aggs = join(list.map((f) => sql`${f.aggregate} AS ${ident(f.name)}`));
      const time = ident(SOURCE_TIME[source]);
      const where = CUT_ALREADY.has(source) ? raw("TRUE") : sql`${time} < ${asOf}`;
      joins.push(
        sql` LEFT JOIN (SELECT customer_id, ${aggs} FROM ${sourceRelation(source, asOf)} WHERE ${where} AND customer_id IS NOT NULL GROUP BY customer_id) ${alias} ON ${alias}.customer_id = c.customer_id`,
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
