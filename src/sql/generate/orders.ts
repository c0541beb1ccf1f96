import { type SqlFragment, sql } from "../fragment.js";
import { customerId } from "./customers.js";
import { idText, instant, money, type OutputFormat } from "./output.js";
import { DAY, type GenParams } from "./params.js";
import { gammaExact, normal, rowKey, uniform } from "./random.js";

/** Salts of the per-order draws that order lines reuse to split the amount. */
export const LINE_WEIGHT_SALTS = [214, 215, 216] as const;

/**
 * Orders acted out from each customer's hidden behaviour: the first order
 * at `first_sec`, the repeats spread (stratified, with jitter) over the
 * customer's active life up to their silent dropout `end_sec`, at a
 * plausible hour of the day. Order values scatter lognormally around the
 * customer's typical value; discounts, returns and channels follow the
 * customer's traits. Amounts are integer cents. Draws use salts 200–299
 * (207 and 208 are drawn when the file is written).
 *
 * The table is stored in order-time order (ties broken by customer and
 * sequence) and an order's number is its position in it (`orderNo`): one
 * parallel sort instead of a row_number window over ten million wide rows.
 */
export function createOrdersSql(p: GenParams): SqlFragment {
  const rk = sql`rk`;
  const u = (salt: number) => uniform(rk, salt);
  // With a simulated buying model (buying.ts) repeat orders take their times from gen_buying, every
  // order is completed, and with a simulated spend model its value is a Gamma-Gamma draw without discount.
  const simulated = p.buying !== undefined;
  const exploded = simulated
    ? sql`SELECT e.*, g.ordered_sec AS bought_sec FROM (
    SELECT cno, b2b, first_sec, end_sec, n_orders, log_value, discount_type, return_prone, abuser,
      channel_pref, cat1, cat2, pay_type, unnest(range(n_orders)) AS k
    FROM gen_customers WHERE n_orders > 0) e LEFT JOIN gen_buying g ON g.cno = e.cno AND g.k = e.k`
    : sql`SELECT cno, b2b, first_sec, end_sec, n_orders, log_value, discount_type, return_prone, abuser,
    channel_pref, cat1, cat2, pay_type, unnest(range(n_orders)) AS k
  FROM gen_customers WHERE n_orders > 0`;
  const repeatTime = simulated
    ? sql`bought_sec`
    : sql`least(greatest(first_sec + 60,
        (CAST(first_sec + (end_sec - first_sec) * ((k - 1) + u_position) / (n_orders - 1) AS BIGINT) // ${DAY}::BIGINT)
          * ${DAY}::BIGINT
        + CASE WHEN b2b THEN 28800 + CAST(u_hour_a * 36000 AS BIGINT)
               ELSE 25200 + CAST((u_hour_a + u_hour_b) * 28800 AS BIGINT) END),
        ${p.asOfSec}::BIGINT - 1)`;
  const spend = p.spend;
  const listCents = spend
    ? sql`greatest(1, round(${gammaExact(rk, 1000, spend.p)} * ${spend.v}::DOUBLE
        / ${gammaExact(rowKey(p.seed, sql`cno`), 980, spend.q)} * 100))::BIGINT`
    : sql`greatest(CASE WHEN b2b THEN 2500 ELSE 299 END,
      round(exp(log_value + 0.55 * z_value - 0.15) * 100))::BIGINT`;
  const discount = spend
    ? sql`0.0`
    : sql`CASE discount_type
      WHEN 0 THEN (CASE WHEN u_discount_any < 0.75 THEN 0.0 ELSE 0.02 + 0.08 * u_discount END)
      WHEN 1 THEN (CASE WHEN u_discount_any < 0.40 THEN 0.0 ELSE 0.05 + 0.15 * u_discount END)
      ELSE (CASE WHEN u_discount_any < 0.10 THEN 0.0 ELSE 0.15 + 0.30 * u_discount END)
    END`;
  const status = simulated
    ? sql`'completed'`
    : sql`CASE WHEN u_cancel < 0.05 THEN 'cancelled'
       WHEN u_return < (CASE WHEN return_prone THEN 0.33 ELSE 0.035 END) THEN 'returned'
       ELSE 'completed' END`;
  return sql`CREATE OR REPLACE TEMP TABLE gen_orders AS
WITH exploded AS (
  ${exploded}
), keyed AS (
  SELECT *, ${rowKey(p.seed, sql`cno`, sql`k`)} AS rk FROM exploded
), drawn AS (
  SELECT *,
    ${u(201)} AS u_position, ${u(202)} AS u_hour_a, ${u(203)} AS u_hour_b,
    ${normal(rk, 204)} AS z_value,
    ${u(205)} AS u_discount_any, ${u(206)} AS u_discount,
    ${u(209)} AS u_cancel, ${u(210)} AS u_return,
    ${u(211)} AS u_channel_keep, ${u(212)} AS u_channel, ${u(213)} AS u_lines
  FROM keyed
), timed AS (
  SELECT *,
    CASE WHEN k = 0 THEN first_sec ELSE
      ${repeatTime}
    END AS ordered_sec,
    ${listCents} AS list_cents,
    ${discount} AS discount_share,
    CASE WHEN u_channel_keep < 0.8 THEN channel_pref ELSE floor(u_channel * 4)::INTEGER END AS channel_code,
    CASE WHEN b2b THEN 1 + (u_lines < 0.5)::INTEGER + (u_lines < 0.2)::INTEGER
         ELSE 1 + (u_lines < 0.32)::INTEGER + (u_lines < 0.1)::INTEGER END AS n_lines
  FROM drawn
), priced AS (
  SELECT *, round(list_cents * (1 - discount_share))::BIGINT AS amount_cents
  FROM timed
)
SELECT
  cno, rk, b2b, first_sec, ordered_sec, CAST(cat1 AS UTINYINT) AS cat1, CAST(cat2 AS UTINYINT) AS cat2, abuser,
  CAST(pay_type AS UTINYINT) AS pay_type, CAST(n_lines AS UTINYINT) AS n_lines, CAST(channel_code AS UTINYINT) AS channel_code,
  amount_cents, list_cents - amount_cents AS discount_cents,
  ${status} AS status
FROM priced
ORDER BY ordered_sec, cno, k`;
}

/** The number of an order: its 1-based position in `gen_orders` (stored in time order). */
export function orderNo(): SqlFragment {
  return sql`(rowid + 1)`;
}

/**
 * The orders table as written, in order-id order. Cost (50–80% of the
 * amount), service cost (by channel: nothing in store, shipping for web and
 * marketplace, more for businesses) and the channel name are derived here
 * from the order's key, so the stored table stays narrow.
 */
export function selectOrdersSql(p: GenParams, format: OutputFormat): SqlFragment {
  const rk = sql`rk`;
  const costCents = sql`round(amount_cents * (0.5 + 0.3 * ${uniform(rk, 207)}))`;
  const serviceCents = sql`CASE WHEN channel_code = 1 THEN 0
       WHEN channel_code = 2 THEN 200 + floor(${uniform(rk, 208)} * 600)
       WHEN b2b THEN 1500 + floor(${uniform(rk, 208)} * 4500)
       ELSE 250 + floor(${uniform(rk, 208)} * 900) END`;
  return sql`SELECT ${orderId(p, orderNo())} AS order_id, ${customerId(p, sql`cno`)} AS customer_id,
  ${instant(sql`ordered_sec`, format)} AS ordered_at,
  ${money(sql`amount_cents`)} AS amount, ${money(costCents)} AS cost, ${money(sql`discount_cents`)} AS discount,
  ${money(serviceCents)} AS service_cost, status,
  ['web', 'store', 'phone', 'marketplace'][channel_code + 1] AS channel
FROM gen_orders ORDER BY ${orderNo()}`;
}

/** The text id of order number `n` (`SO-000000042`). */
export function orderId(p: GenParams, n: SqlFragment): SqlFragment {
  return idText("SO-", n, p.widths.order);
}
