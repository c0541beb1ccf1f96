import { type SqlFragment, sql } from "../fragment.js";
import { idText, instant, type OutputFormat } from "./output.js";
import { DAY, type GenParams } from "./params.js";
import { pick, rowKey, uniform } from "./random.js";

/** The catalogue as the generator sees it: category names, name nouns, and how many open late. */
export interface Catalogue {
  readonly categories: readonly string[];
  readonly nouns: readonly string[];
  readonly newCategories: number;
  readonly adjectives: readonly string[];
}

/**
 * Products numbered by category, then launch date, so that "the k products
 * of a category launched before day d" is a contiguous range of numbers.
 * In the established categories about half the products predate the history
 * and the rest launch throughout it; the last `newCategories` categories open
 * at 30%, 50%, 70% … of the period, so customers can expand into them.
 * Draws use salts 50–99.
 */
export function createProductsSql(p: GenParams, catalogue: Catalogue): SqlFragment {
  const cats = catalogue.categories.length;
  const firstNew = cats - catalogue.newCategories;
  const startDay = Math.floor(p.startSec / DAY);
  const asOfDay = Math.floor(p.asOfSec / DAY);
  const span = asOfDay - startDay;
  const u = (salt: number) => uniform(sql`rk`, salt);
  return sql`CREATE OR REPLACE TEMP TABLE gen_products AS
WITH keyed AS (
  SELECT i, ${rowKey(p.seed, sql`i`)} AS rk FROM range(0, ${p.products}::BIGINT) AS r(i)
), drawn AS (
  SELECT i AS raw_no,
    CASE WHEN i < ${cats}::INTEGER * 3 THEN i % ${cats}::INTEGER
         ELSE least(floor(${cats}::INTEGER * pow(${u(51)}, 1.3))::INTEGER, ${cats - 1}::INTEGER) END AS cat,
    ${u(52)} AS u_pre, ${u(53)} AS u_when, ${u(54)} AS u_adj
  FROM keyed
), opened AS (
  SELECT *, CASE WHEN cat >= ${firstNew}::INTEGER
    THEN ${startDay}::BIGINT + CAST(${span}::BIGINT * (0.3 + 0.2 * (cat - ${firstNew}::INTEGER)) AS BIGINT)
    ELSE NULL END AS open_day
  FROM drawn
), dated AS (
  SELECT *, CASE
    WHEN open_day IS NOT NULL AND raw_no < ${cats}::INTEGER THEN open_day
    WHEN open_day IS NOT NULL THEN open_day + floor(u_when * (${asOfDay}::BIGINT - open_day))::BIGINT
    WHEN raw_no < ${cats}::INTEGER * 3 OR u_pre < 0.55 THEN ${startDay}::BIGINT - 1 - floor(u_when * 1095)::BIGINT
    ELSE ${startDay}::BIGINT + floor(u_when * ${span}::BIGINT)::BIGINT
  END AS launched_day
  FROM opened
)
SELECT row_number() OVER (ORDER BY cat, launched_day, raw_no) AS product_no, cat, launched_day,
  ${pick(catalogue.adjectives, sql`u_adj`)} || ' ' || list_extract(${catalogue.nouns}::VARCHAR[], cat + 1)
    || ' ' || CAST(10 + raw_no % 90 AS VARCHAR) AS name,
  list_extract(${catalogue.categories}::VARCHAR[], cat + 1) AS category
FROM dated
ORDER BY product_no`;
}

/**
 * For every order day of the history and every category: how many of its
 * products were launched before that day (`k`), and the category's first
 * product number (`base_no`). An order line picks `base_no + j` with
 * `0 <= j < k`, so it only ever references products already on sale.
 */
export function createAvailabilitySql(p: GenParams, categories: number): SqlFragment {
  const startDay = Math.floor(p.startSec / DAY);
  const asOfDay = Math.floor(p.asOfSec / DAY);
  return sql`CREATE OR REPLACE TEMP TABLE gen_availability AS
WITH cats AS (
  SELECT c AS cat, (SELECT min(product_no) FROM gen_products AS gp WHERE gp.cat = c) AS base_no
  FROM range(0, ${categories}::INTEGER) AS r(c)
), days AS (SELECT d AS day FROM range(${startDay}::BIGINT, ${asOfDay}::BIGINT) AS r(d))
SELECT c.cat, d.day, coalesce(c.base_no, 0) AS base_no, count(gp.product_no) AS k
FROM cats AS c CROSS JOIN days AS d
LEFT JOIN gen_products AS gp ON gp.cat = c.cat AND gp.launched_day < d.day
GROUP BY c.cat, d.day, c.base_no`;
}

/**
 * The availability as two flat lists indexed by `(day - first day) *
 * categories + cat + 1`: products on sale (`ks`) and first product numbers
 * (`bases`). A one-row table: order lines look a value up in a constant
 * list instead of joining millions of rows.
 */
export function availabilityListsSql(): SqlFragment {
  return sql`SELECT list(k ORDER BY day, cat) AS ks, list(base_no ORDER BY day, cat) AS bases FROM gen_availability`;
}

/** The products table as written: product_id, name, category, launched_at. */
export function selectProductsSql(p: GenParams, format: OutputFormat): SqlFragment {
  return sql`SELECT ${productId(p, sql`product_no`)} AS product_id, name, category,
  ${instant(sql`launched_day * ${DAY}::BIGINT`, format)} AS launched_at
FROM gen_products ORDER BY product_no`;
}

/** The text id of product number `n` (`P-00042`). */
export function productId(p: GenParams, n: SqlFragment): SqlFragment {
  return idText("P-", n, p.widths.product);
}
