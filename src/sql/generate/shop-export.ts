import { type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { money } from "./output.js";
import { DAY, type GenParams } from "./params.js";
import { normal, pick, rowKey, uniform } from "./random.js";

/**
 * The raw line-item export of a shop (`--style shop-export`), in the shape of
 * the well-known public retail export: one row per invoice line,
 * `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country`.
 * It acts out the same hidden customers and orders as the table style
 * (`gen_customers`, `gen_orders`), so the same seed gives the same buyers.
 * Draws use salts 400–449.
 */

/** Share of sales that also spawn an anonymous (guest) invoice on the same day: about a quarter of all lines. */
const GUEST_SHARE = 0.36;
/** Share of lines whose product carries its alternative description, as real exports do now and then. */
const ALT_DESCRIPTION_SHARE = 0.01;
/** Share of customers (and guest invoices) in the home country, the first of the country list. */
const HOME_SHARE = 0.85;

/**
 * The catalogue as the export shows it: a StockCode per product (five
 * digits, some with a letter suffix such as `10427A`), its description in
 * capitals and an alternative description, and a unit price in pence
 * (lognormal around 3.00, 0.10 to 500.00).
 */
export function createShopProductsSql(p: GenParams, adjectives: readonly string[]): SqlFragment {
  const rk = sql`rk`;
  return sql`CREATE OR REPLACE TEMP TABLE gen_shop_products AS
WITH keyed AS (
  SELECT product_no, name, ${rowKey(p.seed, sql`product_no`, sql`4242`)} AS rk FROM gen_products
)
SELECT product_no,
  CAST(10000 + product_no AS VARCHAR)
    || CASE WHEN ${uniform(rk, 401)} < 0.1 THEN chr(65 + floor(${uniform(rk, 402)} * 3)::INTEGER) ELSE '' END AS stock_code,
  upper(name) AS description,
  upper(${pick(adjectives, uniform(rk, 403))} || substr(name, strpos(name, ' '))) AS alt_description,
  least(50000, greatest(10, round(exp(ln(300) + 0.9 * ${normal(rk, 404)}))))::BIGINT AS price_cents
FROM keyed ORDER BY product_no`;
}

/**
 * Every invoice of the export, stored in the order the shop numbered them
 * (time, then sales before credit notes): a sale per generated order, on the
 * order's day at a shop hour (07:00–21:59, so never in a daylight-saving
 * gap); a guest sale without customer on the same day for about a third of
 * them; and a credit note per cancelled or returned order. A cancelled order
 * is credited in full the same day, a returned one 1–60 days later (never on
 * or after asOf), in full for a third of them, otherwise partly. A credit
 * note reuses its sale's key (`ik`), so it regenerates the same lines.
 * Times are local wall-clock seconds; `target_cents` is what the sale's lines
 * should roughly add up to.
 */
export function createShopInvoicesSql(p: GenParams): SqlFragment {
  const rk = sql`rk`;
  const u = (salt: number) => uniform(rk, salt);
  const asOfDay = Math.floor(p.asOfSec / DAY);
  const lines = (draw: SqlFragment) => sql`CAST(least(40, 1 + floor(-ln(${draw}) * 1.4)) AS UTINYINT)`;
  const shopHour = (draw: SqlFragment) => sql`(25200 + floor(${draw} * 54000)::BIGINT)`;
  return sql`CREATE OR REPLACE TEMP TABLE gen_shop_invoices AS
WITH orders AS (
  SELECT rowid + 1 AS order_no, cno, rk, b2b, ordered_sec // ${DAY}::BIGINT AS day, amount_cents, status,
    ${u(410)} AS u_hour, ${u(411)} AS u_guest, ${u(412)} AS u_guest_hour, ${normal(rk, 413)} AS z_guest,
    ${u(414)} AS u_lines, ${u(415)} AS u_guest_lines, ${u(416)} AS u_delay, ${u(417)} AS u_full,
    ${u(418)} AS u_credit_hour
  FROM gen_orders
), sales AS (
  SELECT order_no, cno, rk AS ik, day * ${DAY}::BIGINT + ${shopHour(sql`u_hour`)} AS sec,
    amount_cents AS target_cents, ${lines(sql`u_lines`)} AS n_lines, status, day, u_delay, u_full, u_credit_hour
  FROM orders
)
SELECT order_no, CAST(0 AS UTINYINT) AS role, cno, ik, sec, target_cents, n_lines, true AS full_credit
FROM sales
UNION ALL
SELECT order_no, CAST(1 AS UTINYINT), NULL, hash(rk, 4711), day * ${DAY}::BIGINT + ${shopHour(sql`u_guest_hour`)},
  greatest(100, round(exp(ln(25000) + 0.8 * z_guest)))::BIGINT, ${lines(sql`u_guest_lines`)}, true
FROM orders WHERE u_guest < ${GUEST_SHARE}::DOUBLE
UNION ALL
SELECT order_no, CAST(2 AS UTINYINT), cno, ik,
  CASE WHEN status = 'cancelled' THEN least(sec + 60 + floor(u_credit_hour * 7200)::BIGINT, day * ${DAY}::BIGINT + ${DAY - 1}::BIGINT)
  ELSE greatest(sec + 60, least(day + 1 + floor(u_delay * 60)::BIGINT, ${asOfDay - 1}::BIGINT) * ${DAY}::BIGINT
    + ${shopHour(sql`u_credit_hour`)}) END,
  target_cents, n_lines, status = 'cancelled' OR u_full < 1.0 / 3
FROM sales WHERE status <> 'completed'
ORDER BY sec, role, order_no`;
}

/**
 * The export file's rows in file order: each invoice's lines, numbered from
 * 536365 in `gen_shop_invoices` order (credit notes with a `C` prefix). A
 * line's product is popularity-skewed (the popular ones spread over the
 * catalogue by a permutation), its quantity sized so the sale's lines
 * add up to about its target; a credit note's lines are its sale's lines
 * with negative quantities: all of them when it credits in full, else the
 * first and about a third of the others, each for a part of its quantity.
 * Dates are written `12/1/2010 8:26` (strptime `%m/%d/%Y %H:%M`), the
 * customer as a number (empty for guests), the country from the customer's
 * key (the home country for 85%).
 *
 * No ORDER BY: the query only scans `gen_shop_invoices` (stored in number
 * order), unnests and projects (the catalogue is looked up in lists bound as
 * parameters, not joined), and DuckDB keeps insertion order for a query
 * without ORDER BY (`preserve_insertion_order`, on by default), so the file
 * is written in invoice and line order without sorting ~30M rows in memory.
 */
export function selectShopExportSql(p: GenParams, countries: readonly string[], products: ShopProducts): SqlFragment {
  const lk = sql`lk`;
  const [home = "", ...abroad] = countries;
  const country = (key: SqlFragment) =>
    sql`CASE WHEN ${uniform(key, 430)} < ${HOME_SHARE}::DOUBLE THEN ${home} ELSE ${pick(abroad, uniform(key, 431))} END`;
  return sql`WITH exploded AS (
  SELECT rowid AS invoice_no, role, cno, ik, sec, target_cents, n_lines, full_credit, unnest(range(n_lines)) AS j
  FROM gen_shop_invoices
), drawn AS (
  SELECT *, hash(ik, j) AS lk FROM exploded
), chosen AS (
  SELECT *, 1 + (floor(${p.products}::BIGINT * pow(${uniform(lk, 420)}, 1.8))::BIGINT * 1031 + 17) % ${p.products}::BIGINT
      AS product_no,
    ${uniform(lk, 421)} AS u_description, ${uniform(lk, 422)} AS u_keep, ${uniform(lk, 423)} AS u_part
  FROM drawn
), priced AS (
  SELECT *, list_extract(${products.stockCodes}::VARCHAR[], product_no) AS stock_code,
    list_extract(${products.descriptions}::VARCHAR[], product_no) AS description,
    list_extract(${products.altDescriptions}::VARCHAR[], product_no) AS alt_description,
    list_extract(${products.priceCents.map(String)}::VARCHAR[]::BIGINT[], product_no) AS price_cents
  FROM chosen
  WHERE role <> 2 OR full_credit OR j = 0 OR u_keep < 1.0 / 3
), sized AS (
  SELECT *, CAST(greatest(1, least(5000, round(target_cents / n_lines / price_cents))) AS INTEGER) AS sold
  FROM priced
)
SELECT CASE WHEN role = 2 THEN 'C' ELSE '' END || CAST(536365 + invoice_no AS VARCHAR) AS "InvoiceNo",
  stock_code AS "StockCode",
  CASE WHEN u_description < ${ALT_DESCRIPTION_SHARE}::DOUBLE THEN alt_description ELSE description END AS "Description",
  CASE WHEN role <> 2 THEN sold WHEN full_credit THEN -sold
       ELSE -CAST(ceil(sold * (0.25 + 0.75 * u_part)) AS INTEGER) END AS "Quantity",
  strftime(make_timestamp(sec * 1000000), '%-m/%-d/%Y %-H:%M') AS "InvoiceDate",
  ${money(sql`price_cents`)} AS "UnitPrice",
  10000 + cno AS "CustomerID",
  CASE WHEN cno IS NULL THEN ${country(sql`ik`)} ELSE ${country(rowKey(p.seed, sql`cno`, sql`4343`))} END AS "Country"
FROM sized`;
}

/** The export's catalogue read back from `gen_shop_products`, indexed by product number − 1. */
export interface ShopProducts {
  readonly stockCodes: readonly string[];
  readonly descriptions: readonly string[];
  readonly altDescriptions: readonly string[];
  readonly priceCents: readonly number[];
}

/** The export's catalogue (a few thousand rows) in product-number order, to bind as lists. */
export function selectShopProductsSql() {
  return select(
    { stock_code: col.text, description: col.text, alt_description: col.text, price_cents: col.integer },
    sql`SELECT stock_code, description, alt_description, price_cents FROM gen_shop_products ORDER BY product_no`,
  );
}

/** How many invoices and credit notes the export holds. */
export function shopInvoiceCountsSql() {
  return select(
    { invoices: col.integer, credit_notes: col.integer },
    sql`SELECT count(*) AS invoices, count(*) FILTER (WHERE role = 2) AS credit_notes FROM gen_shop_invoices`,
  );
}
