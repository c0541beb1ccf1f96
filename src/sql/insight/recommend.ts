import { netOrdersRelation } from "../compile/net-orders.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { textCell } from "../spreadsheet-safe.js";

/**
 * Cross-selling within a tier (docs/schemes.md §11), set-based, in session
 * tables built one after the other (docs/recommend.md has the scoring and
 * the reasons for each bound):
 *
 * - `tw_rec_people`: the customers the run graded in the scheme (one tier
 *   or all), with their tier and a number (joins and sorts on numbers are
 *   several times faster than on text at a million customers).
 * - `tw_rec_dict`: every item (product, or category) numbered in item order,
 *   with its name (a product's `products.name`, else its id; a category is
 *   its own name).
 * - `tw_rec_basket`: per customer, each distinct item of their completed
 *   orders before as-of, with the number of lines.
 * - `tw_rec_tiers`: per tier its name, graded customers and buyers
 *   (customers with at least one item): the denominator of support.
 * - `tw_rec_items`: per tier and item its buyers and its popularity rank.
 * - `tw_rec_rules`: per tier, rules A → B for B among the tier's top
 *   `candidates` items and A any item, with at least `minCustomers`
 *   customers who bought both and lift above 1 (compared in whole numbers);
 *   each rule numbered within its antecedent.
 * - `tw_rec_out`: the top `top` items per customer.
 *
 * Support, confidence and lift are divisions of whole counts in double
 * precision (exact quotients rounded once), so both engines rank alike.
 */
export const REC_TABLES = {
  people: "tw_rec_people",
  dict: "tw_rec_dict",
  basket: "tw_rec_basket",
  tiers: "tw_rec_tiers",
  items: "tw_rec_items",
  rules: "tw_rec_rules",
  out: "tw_rec_out",
} as const;

export type RecommendLevel = "product" | "category";

export interface RecommendSqlOptions {
  readonly dialect: Dialect;
  /** The run's as-of date (YYYY-MM-DD): completed orders before it count. */
  readonly asOf: string;
  readonly run: { readonly runId: number; readonly schemeNo: number };
  /** Only this tier (its rank); all tiers when absent. */
  readonly tierRank?: number;
  readonly level: RecommendLevel;
}

/** The bounds of the scoring (whole numbers ≥ 1, checked by the caller). */
export interface RecommendBounds {
  /** Items recommended per customer. */
  readonly top: number;
  /** Candidate items per tier: the tier's most bought. */
  readonly candidates: number;
  /** A customer's antecedents: their items with the most lines. */
  readonly antecedents: number;
  /** Least customers of the tier who bought both items of a rule. */
  readonly minCustomers: number;
}

const t = (name: keyof typeof REC_TABLES) => ident(REC_TABLES[name]);

/** The graded customers of the run's scheme (one tier or all): customer_id, cust_no (by customer_id), tier_rank. */
export function recPeopleSql(o: RecommendSqlOptions): SqlFragment {
  const tier = o.tierRank === undefined ? raw("") : sql` AND g.tier_rank = ${o.tierRank}`;
  return sql`AS SELECT g.entity_id AS customer_id, row_number() OVER (ORDER BY g.entity_id) AS cust_no, g.tier_rank
  FROM ${ident("tw_grades")} g
  WHERE g.run_id = ${integer(o.run.runId)} AND g.scheme_no = ${integer(o.run.schemeNo)}${tier}`;
}

const itemOf = (level: RecommendLevel) =>
  level === "product" ? raw("ol.product_id") : raw("COALESCE(ol.category, p.category)");
const productsJoin = (level: RecommendLevel) =>
  level === "product" ? raw("") : sql`\n  LEFT JOIN ${ident("products")} p ON p.product_id = ol.product_id`;

/** Every item of the order lines, numbered in item order: item, item_no (all work is on numbers), name. */
export function recDictSql(o: RecommendSqlOptions): SqlFragment {
  const item = itemOf(o.level);
  const name =
    o.level === "product"
      ? sql`COALESCE((SELECT max(NULLIF(pn.name, '')) FROM ${ident("products")} pn WHERE pn.product_id = x.item), x.item)`
      : raw("x.item");
  return sql`AS SELECT item, row_number() OVER (ORDER BY item) AS item_no, ${name} AS name FROM (
    SELECT DISTINCT ${item} AS item FROM ${ident("order_lines")} ol${productsJoin(o.level)} WHERE ${item} IS NOT NULL
  ) x`;
}

/** Each graded customer's distinct items before as-of: cust_no, tier_rank, item_no, line_count. */
export function recBasketSql(o: RecommendSqlOptions): SqlFragment {
  const asOf = o.dialect.dateLiteral(sql`${o.asOf}`);
  const item = itemOf(o.level);
  return sql`AS SELECT c.cust_no, c.tier_rank, d.item_no, count(*) AS line_count
  FROM ${t("people")} c
  JOIN ${netOrdersRelation()} o ON o.customer_id = c.customer_id AND o.status = 'completed' AND o.kind = 'order'
    AND o.ordered_at < ${asOf}
  JOIN ${ident("order_lines")} ol ON ol.order_id = o.order_id${productsJoin(o.level)}
  JOIN ${t("dict")} d ON d.item = ${item}
  GROUP BY c.cust_no, c.tier_rank, d.item_no`;
}

/** Per tier of the scheme: tier_rank, tier, customers (graded), buyers (with an item). */
export function recTiersSql(o: RecommendSqlOptions): SqlFragment {
  const tier = o.tierRank === undefined ? raw("") : sql` AND rt.tier_rank = ${o.tierRank}`;
  return sql`AS SELECT rt.tier_rank, rt.tier, COALESCE(pc.customers, 0) AS customers, COALESCE(bc.buyers, 0) AS buyers
  FROM ${ident("tw_run_tiers")} rt
  LEFT JOIN (SELECT tier_rank, count(*) AS customers FROM ${t("people")} GROUP BY tier_rank) pc ON pc.tier_rank = rt.tier_rank
  LEFT JOIN (SELECT tier_rank, count(DISTINCT cust_no) AS buyers FROM ${t("basket")} GROUP BY tier_rank) bc
    ON bc.tier_rank = rt.tier_rank
  WHERE rt.run_id = ${integer(o.run.runId)} AND rt.scheme_no = ${integer(o.run.schemeNo)}${tier}`;
}

/** Per tier and item: buyers, and pop_rank (1 = most bought; ties by item). */
export function recItemsSql(): SqlFragment {
  return sql`AS SELECT tier_rank, item_no, count(*) AS buyers,
    row_number() OVER (PARTITION BY tier_rank ORDER BY count(*) DESC, item_no) AS pop_rank
  FROM ${t("basket")} GROUP BY tier_rank, item_no`;
}

/**
 * Rules A → B within each tier: B among the tier's top candidates, A any
 * other item, both_n ≥ minCustomers and lift > 1 (both_n · n > n_A · n_B).
 * Columns: tier_rank, antecedent, consequent (item numbers), both_n,
 * antecedent_n, consequent_n, tier_n, confidence, lift, rule_no (within
 * the antecedent, in the order recommendations rank: lift, confidence,
 * the consequent's buyers, the consequent).
 */
export function recRulesSql(d: Dialect, b: RecommendBounds): SqlFragment {
  const lift = d.divide(sql`p.both_n * tn.buyers`, sql`ia.buyers * ib.buyers`);
  const confidence = d.divide(sql`p.both_n`, sql`ia.buyers`);
  return sql`AS SELECT p.tier_rank, p.antecedent, p.consequent, p.both_n, ia.buyers AS antecedent_n,
    ib.buyers AS consequent_n, tn.buyers AS tier_n, ${confidence} AS confidence, ${lift} AS lift,
    row_number() OVER (PARTITION BY p.tier_rank, p.antecedent
      ORDER BY ${lift} DESC, ${confidence} DESC, ib.buyers DESC, p.consequent) AS rule_no
  FROM (
    SELECT cb.tier_rank, ab.item_no AS antecedent, cb.item_no AS consequent, count(*) AS both_n
    FROM ${t("basket")} cb
    JOIN ${t("items")} ci ON ci.tier_rank = cb.tier_rank AND ci.item_no = cb.item_no AND ci.pop_rank <= ${b.candidates}
    JOIN ${t("basket")} ab ON ab.cust_no = cb.cust_no AND ab.item_no <> cb.item_no
    GROUP BY cb.tier_rank, ab.item_no, cb.item_no
    HAVING count(*) >= ${b.minCustomers}
  ) p
  JOIN ${t("items")} ia ON ia.tier_rank = p.tier_rank AND ia.item_no = p.antecedent
  JOIN ${t("items")} ib ON ib.tier_rank = p.tier_rank AND ib.item_no = p.consequent
  JOIN ${t("tiers")} tn ON tn.tier_rank = p.tier_rank
  WHERE p.both_n * tn.buyers > ia.buyers * ib.buyers`;
}

/**
 * The top items per customer. `held` is the number of the tier's top
 * candidates the customer bought: at most that many of any ranked list of
 * candidates are dropped as bought, so the first top + held rules of each
 * antecedent and the first top + held popular items hold the customer's
 * whole top (docs/recommend.md). Candidates are the consequents of the
 * rules of the customer's top antecedents and the tier's most bought
 * items; items the customer bought are dropped. Per item the strongest
 * rule (the highest lift, which for a fixed consequent is also the highest
 * confidence); ranked by lift, confidence, the item's buyers, item; items
 * without a rule after those with one. A customer has one tier, so the
 * work is keyed by customer and item alone. Columns: cust_no, rank,
 * item_no, buyers (of the item in the tier), confidence, lift.
 */
export function recOutSql(b: RecommendBounds): SqlFragment {
  return sql`AS WITH held AS (
  SELECT hb.cust_no, count(*) AS n FROM ${t("basket")} hb
  JOIN ${t("items")} hi ON hi.tier_rank = hb.tier_rank AND hi.item_no = hb.item_no AND hi.pop_rank <= ${b.candidates}
  GROUP BY hb.cust_no
), ant AS (
  SELECT cust_no, tier_rank, item_no FROM (
    SELECT cust_no, tier_rank, item_no,
      row_number() OVER (PARTITION BY cust_no ORDER BY line_count DESC, item_no) AS k
    FROM ${t("basket")}
  ) x WHERE k <= ${b.antecedents}
), cand AS (
  SELECT a.cust_no, r.consequent AS item_no, r.consequent_n AS buyers, r.confidence, r.lift
  FROM ant a LEFT JOIN held h ON h.cust_no = a.cust_no
  JOIN ${t("rules")} r ON r.tier_rank = a.tier_rank AND r.antecedent = a.item_no
    AND r.rule_no <= ${b.top} + COALESCE(h.n, 0)
  UNION ALL
  SELECT c.cust_no, i.item_no, i.buyers, CAST(NULL AS DOUBLE PRECISION), CAST(NULL AS DOUBLE PRECISION)
  FROM ${t("people")} c LEFT JOIN held h ON h.cust_no = c.cust_no
  JOIN ${t("items")} i ON i.tier_rank = c.tier_rank AND i.pop_rank <= ${b.candidates}
    AND i.pop_rank <= ${b.top} + COALESCE(h.n, 0)
), fresh AS (
  SELECT f.cust_no, f.item_no, max(f.buyers) AS buyers, max(f.confidence) AS confidence, max(f.lift) AS lift
  FROM cand f
  WHERE NOT EXISTS (SELECT 1 FROM ${t("basket")} fb WHERE fb.cust_no = f.cust_no AND fb.item_no = f.item_no)
  GROUP BY f.cust_no, f.item_no
), ranked AS (
  SELECT cust_no, item_no, buyers, confidence, lift,
    row_number() OVER (PARTITION BY cust_no
      ORDER BY lift DESC NULLS LAST, confidence DESC NULLS LAST, buyers DESC, item_no) AS rank
  FROM fresh
)
SELECT cust_no, rank, item_no, buyers, confidence, lift FROM ranked WHERE rank <= ${b.top}`;
}

/**
 * A double as text, the same on both engines: whole numbers without a
 * fraction (DuckDB would write `1.0`, PostgreSQL `1`), others in the
 * shortest form that reads back to the same double (both engines' own).
 * Values here are below 10^15, where both write no exponent for whole numbers.
 */
function numberText(v: SqlFragment): SqlFragment {
  return sql`CASE WHEN ${v} = floor(${v}) THEN CAST(CAST(${v} AS BIGINT) AS VARCHAR) ELSE CAST(${v} AS VARCHAR) END`;
}

/** The output columns of the recommendations file. */
export const RECOMMENDATION_COLUMNS = [
  "customer_id",
  "tier",
  "rank",
  "item",
  "name",
  "support",
  "confidence",
  "lift",
] as const;

/** The recommendations file's rows, by customer and rank. No bound parameters (it feeds COPY). */
export function recOutputSql(d: Dialect, csv = false): SqlFragment {
  const text = (value: SqlFragment) => textCell(value, csv);
  return sql`SELECT ${text(sql`c.customer_id`)} AS customer_id, ${text(sql`tn.tier`)} AS tier, r.rank,
    ${text(sql`d.item`)} AS item, ${text(sql`d.name`)} AS name, ${numberText(d.divide(sql`r.buyers`, sql`tn.buyers`))} AS support,
    ${numberText(sql`r.confidence`)} AS confidence, ${numberText(sql`r.lift`)} AS lift
  FROM ${t("out")} r JOIN ${t("people")} c ON c.cust_no = r.cust_no
  JOIN ${t("tiers")} tn ON tn.tier_rank = c.tier_rank JOIN ${t("dict")} d ON d.item_no = r.item_no
  ORDER BY r.cust_no, r.rank`;
}

/** Rows and customers of the recommendations. */
export function recCountsSql() {
  return select(
    { rows: col.integer, customers: col.integer },
    sql`SELECT count(*) AS rows, count(DISTINCT cust_no) AS customers FROM ${t("out")}`,
  );
}

/** The tiers of the session tables, by rank. */
export function recTierRowsSql() {
  return select(
    { tier_rank: col.integer, tier: col.text, customers: col.integer, buyers: col.integer },
    sql`SELECT tier_rank, tier, customers, buyers FROM ${t("tiers")} ORDER BY tier_rank`,
  );
}

/** The top `limit` rules of each tier: by lift, customers who bought both, antecedent, consequent. */
export function recTopRulesSql(limit: number) {
  return select(
    {
      tier_rank: col.integer,
      antecedent: col.text,
      consequent: col.text,
      antecedent_name: col.nullable(col.text),
      consequent_name: col.nullable(col.text),
      both_n: col.integer,
      antecedent_n: col.integer,
      consequent_n: col.integer,
      tier_n: col.integer,
    },
    sql`SELECT x.tier_rank, da.item AS antecedent, db.item AS consequent, da.name AS antecedent_name,
    db.name AS consequent_name, x.both_n, x.antecedent_n, x.consequent_n,
    x.tier_n FROM (
    SELECT r.*, row_number() OVER (PARTITION BY r.tier_rank ORDER BY r.lift DESC, r.both_n DESC, r.antecedent, r.consequent) AS n
    FROM ${t("rules")} r
  ) x JOIN ${t("dict")} da ON da.item_no = x.antecedent JOIN ${t("dict")} db ON db.item_no = x.consequent
  WHERE x.n <= ${limit} ORDER BY x.tier_rank, x.n`,
  );
}

/** Convert a recommendations CSV to Parquet or a JSON array with proper types (DuckDB). */
export function convertRecommendationsSql(csvPath: string, outPath: string, format: "parquet" | "json"): SqlFragment {
  const options = raw(format === "parquet" ? "(FORMAT parquet)" : "(FORMAT json, ARRAY true)");
  return sql`COPY (SELECT * FROM read_csv(${csvPath}, header = true, auto_detect = false,
    columns = {'customer_id': 'VARCHAR', 'tier': 'VARCHAR', 'rank': 'INTEGER', 'item': 'VARCHAR', 'name': 'VARCHAR',
      'support': 'DOUBLE', 'confidence': 'DOUBLE', 'lift': 'DOUBLE'})) TO ${outPath} ${options}`;
}

/** A customer's tier rank in a run's scheme (no row: the run did not grade them in it). */
export function recCustomerTierSql(run: RecommendSqlOptions["run"], customerId: string) {
  return select(
    { tier_rank: col.integer },
    sql`SELECT tier_rank FROM ${ident("tw_grades")}
  WHERE run_id = ${integer(run.runId)} AND scheme_no = ${integer(run.schemeNo)} AND entity_id = ${customerId}`,
  );
}

/** One customer's rows of `tw_rec_out` as the recommendations file has them (numbers as doubles), by rank. */
export function recOfCustomerSql(d: Dialect, customerId: string) {
  return select(
    {
      rank: col.integer,
      item: col.text,
      name: col.nullable(col.text),
      support: col.number,
      confidence: col.nullable(col.number),
      lift: col.nullable(col.number),
    },
    sql`SELECT r.rank, d.item, d.name, ${d.divide(sql`r.buyers`, sql`tn.buyers`)} AS support, r.confidence, r.lift
  FROM ${t("out")} r JOIN ${t("people")} c ON c.cust_no = r.cust_no
  JOIN ${t("tiers")} tn ON tn.tier_rank = c.tier_rank JOIN ${t("dict")} d ON d.item_no = r.item_no
  WHERE c.customer_id = ${customerId}
  ORDER BY r.rank`,
  );
}
