import { type SqlFragment, sql } from "../fragment.js";
import { LINE_WEIGHT_SALTS, orderId, orderNo } from "./orders.js";
import { money, type OutputFormat } from "./output.js";
import { DAY, type GenParams, YEAR } from "./params.js";
import { availabilityListsSql, productId } from "./products.js";
import { uniform } from "./random.js";

/**
 * Order lines: 1–3 per order; line amounts split the order amount by random
 * weights in integer cents, so they add up to it exactly. A line's category
 * is mostly the customer's preferred or second category; the chance of
 * exploring another category grows with the customer's tenure (up to about a
 * third after three years). A category with nothing on sale yet on the order
 * day falls back to the preferred one. The product is one launched before
 * the order day, newer products being more popular. Draws use salts 300–349.
 */
export function selectOrderLinesSql(p: GenParams, _format: OutputFormat, categories: readonly string[]): SqlFragment {
  const lk = sql`lk`;
  const u = (salt: number) => uniform(lk, salt);
  const [s1, s2, s3] = LINE_WEIGHT_SALTS;
  const w1 = sql`(0.25 + ${uniform(sql`rk`, s1)})`;
  const w2 = sql`(0.25 + ${uniform(sql`rk`, s2)})`;
  const w3 = sql`(0.25 + ${uniform(sql`rk`, s3)})`;
  const cats = categories.length;
  const startDay = Math.floor(p.startSec / DAY);
  const slot = (cat: SqlFragment) =>
    sql`((ordered_sec // ${DAY}::BIGINT - ${startDay}::BIGINT) * ${cats}::BIGINT + ${cat} + 1)`;
  return sql`WITH exploded AS (
  SELECT ${orderNo()} AS order_no, rk, b2b, ordered_sec, first_sec, cat1, cat2, n_lines, amount_cents,
    unnest(range(n_lines)) AS j
  FROM gen_orders
), split AS (
  SELECT *, hash(rk, j) AS lk,
    CASE n_lines WHEN 1 THEN amount_cents
      WHEN 2 THEN floor(amount_cents * ${w1} / (${w1} + ${w2}))::BIGINT
      ELSE floor(amount_cents * ${w1} / (${w1} + ${w2} + ${w3}))::BIGINT END AS line1_cents,
    CASE n_lines WHEN 1 THEN 0
      WHEN 2 THEN amount_cents - floor(amount_cents * ${w1} / (${w1} + ${w2}))::BIGINT
      ELSE floor(amount_cents * ${w2} / (${w1} + ${w2} + ${w3}))::BIGINT END AS line2_cents
  FROM exploded
), wanted AS (
  SELECT *,
    CASE WHEN ${u(301)} < 0.06 + 0.30 * least(1.0, (ordered_sec - first_sec) / ${3 * YEAR}::DOUBLE)
           THEN floor(${u(302)} * ${cats}::INTEGER)::INTEGER
         WHEN ${u(303)} < 0.72 THEN cat1 ELSE cat2 END AS cat_wanted,
    ${u(304)} AS u_product, ${u(305)} AS u_quantity, ${u(306)} AS u_quantity_extra
  FROM split
), placed AS (
  SELECT w.*, av.ks, av.bases,
    CASE WHEN list_extract(av.ks, ${slot(sql`w.cat_wanted`)}) > 0 THEN w.cat_wanted ELSE w.cat1 END AS cat
  FROM wanted AS w CROSS JOIN (${availabilityListsSql()}) AS av
), chosen AS (
  SELECT *, list_extract(ks, ${slot(sql`cat`)}) AS k_available, list_extract(bases, ${slot(sql`cat`)}) AS base_no
  FROM placed
)
SELECT ${orderId(p, sql`order_no`)} AS order_id,
  CAST(j + 1 AS INTEGER) AS line_no,
  ${productId(p, sql`base_no + k_available - 1 - floor(k_available * pow(u_product, 1.6))::BIGINT`)} AS product_id,
  list_extract(${categories}::VARCHAR[], cat + 1) AS category,
  CAST(CASE WHEN b2b THEN 1 + floor(pow(u_quantity, 2) * 20)
            WHEN u_quantity < 0.8 THEN 1 WHEN u_quantity < 0.95 THEN 2
            ELSE 3 + floor(u_quantity_extra * 3) END AS INTEGER) AS quantity,
  ${money(sql`CASE j WHEN 0 THEN line1_cents WHEN 1 THEN line2_cents ELSE amount_cents - line1_cents - line2_cents END`)}
    AS amount
FROM chosen ORDER BY order_no, j`;
}
