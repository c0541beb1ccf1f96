import { type SqlFragment, sql } from "../fragment.js";
import { customerId } from "./customers.js";
import { orderNo } from "./orders.js";
import { idText, instant, money, type OutputFormat } from "./output.js";
import { DAY, type GenParams } from "./params.js";
import { normal, rowKey, uniform } from "./random.js";

/**
 * Interactions, each kind acted out from the customer's hidden traits:
 *
 * - complaints follow orders: about 1.5% of orders (2% for businesses),
 *   mostly founded; complaint abusers (about 1% of customers) complain about
 *   half their orders, three quarters of it unfounded;
 * - compensation follows a third of founded complaints and most abusers'
 *   complaints, with a money value relative to the order;
 * - support contacts follow 3% of orders (8% for businesses);
 * - advocates refer 1–4 people over their active life;
 * - about 30% of buyers answer 1–3 surveys (score 1–5, lower for abusers and
 *   return-prone customers);
 * - prospects sign up, visit and inquire; some buyers visit too.
 *
 * Stored in time order (ties broken by customer, kind and sequence); an
 * interaction's number is its position (`rowid + 1`). Draws use salts 400–499.
 */
export function createInteractionsSql(p: GenParams): SqlFragment[] {
  // Orders carry their row key `rk`; customer-level draws rebuild the
  // customer's key from cno, repeated events add `r`. The salts (400–499)
  // differ from every other table's, so the draws are independent.
  const ok = (salt: number) => uniform(sql`rk`, salt);
  const cu = (salt: number) => uniform(rowKey(p.seed, sql`cno`), salt);
  const ru = (salt: number) => uniform(rowKey(p.seed, sql`cno`, sql`r`), salt);
  const asOf = sql`${p.asOfSec}::BIGINT`;
  return [
    sql`CREATE OR REPLACE TEMP TABLE gen_complaints AS
SELECT cno, ${orderNo()} AS order_no, abuser, amount_cents,
  ordered_sec + ${DAY}::BIGINT + floor(${ok(402)} * 14 * ${DAY}::BIGINT)::BIGINT AS at_sec,
  ${ok(403)} < (CASE WHEN abuser THEN 0.75 ELSE 0.15 END) AS unfounded,
  ${ok(404)} AS u_compensate, ${ok(405)} AS u_compensation_day, ${ok(406)} AS u_compensation_value
FROM gen_orders
WHERE status <> 'cancelled'
  AND ${ok(401)} < (CASE WHEN abuser THEN 0.5 WHEN b2b THEN 0.02 ELSE 0.015 END)`,
    sql`DELETE FROM gen_complaints WHERE at_sec >= ${asOf}`,
    sql`CREATE OR REPLACE TEMP TABLE gen_interactions_unordered AS
SELECT cno, at_sec, 1 AS src, order_no AS sub, 'complaint' AS kind,
  CASE WHEN unfounded THEN 'unfounded' ELSE 'founded' END AS outcome, NULL::BIGINT AS value_cents, NULL::INTEGER AS score
FROM gen_complaints
UNION ALL
SELECT cno, at_sec + ${DAY}::BIGINT + floor(u_compensation_day * 4 * ${DAY}::BIGINT)::BIGINT, 2, order_no, 'compensation', NULL,
  greatest(500, round(amount_cents * CASE WHEN abuser THEN 0.25 + 0.5 * u_compensation_value
                                          ELSE 0.1 + 0.3 * u_compensation_value END))::BIGINT, NULL
FROM gen_complaints
WHERE (abuser AND u_compensate < 0.6) OR (NOT abuser AND NOT unfounded AND u_compensate < 0.35)
UNION ALL
SELECT cno, ordered_sec + floor(${ok(407)} * 10 * ${DAY}::BIGINT)::BIGINT, 3, ${orderNo()}, 'support', NULL, NULL, NULL
FROM gen_orders WHERE ${ok(408)} < (CASE WHEN b2b THEN 0.08 ELSE 0.03 END)
UNION ALL
SELECT cno, first_sec + CAST((least(${asOf} - 1, end_sec + 180 * ${DAY}::BIGINT) - first_sec) * (r + ${ru(409)}) / n AS BIGINT),
  4, r, 'referral', NULL, NULL, NULL
FROM (SELECT cno, first_sec, end_sec, 1 + floor(${cu(410)} * 4)::BIGINT AS n, unnest(range(1 + floor(${cu(410)} * 4)::BIGINT)) AS r
      FROM gen_customers WHERE advocate AND n_orders >= 3)
UNION ALL
SELECT cno, first_sec + ${DAY}::BIGINT + CAST((${asOf} - first_sec - ${DAY}::BIGINT) * ${ru(411)} AS BIGINT), 5, r, 'survey', NULL,
  NULL, CAST(least(greatest(round(3.75 + 0.8 * satisfaction + 0.6 * ${normal(rowKey(p.seed, sql`cno`, sql`r`), 412)}), 1), 5) AS INTEGER)
FROM (SELECT cno, first_sec, satisfaction, unnest(range(1 + floor(${cu(413)} * 3)::BIGINT)) AS r
      FROM gen_customers WHERE surveyed AND n_orders > 0 AND first_sec + ${DAY}::BIGINT < ${asOf})
UNION ALL
SELECT cno, created_sec, 6, 0, 'signup', NULL, NULL, NULL
FROM gen_customers WHERE ${cu(414)} < (CASE WHEN n_orders = 0 THEN 0.8 ELSE 0.2 END)
UNION ALL
SELECT cno, created_sec + CAST((${asOf} - created_sec) * (r + ${ru(415)}) / n AS BIGINT), 7, r, 'visit', NULL, NULL, NULL
FROM (SELECT cno, created_sec, n, unnest(range(n)) AS r FROM (
        SELECT cno, created_sec,
          CASE WHEN n_orders = 0 THEN floor(${cu(416)} * 5)::BIGINT
               WHEN visitor THEN 1 + floor(${cu(416)} * 3)::BIGINT ELSE 0 END AS n
        FROM gen_customers) WHERE n > 0)
UNION ALL
SELECT cno, created_sec + CAST((${asOf} - created_sec) * ${cu(417)} AS BIGINT), 8, 0, 'inquiry', NULL, NULL, NULL
FROM gen_customers WHERE ${cu(418)} < (CASE WHEN n_orders = 0 THEN 0.4 WHEN b2b THEN 0.1 ELSE 0.02 END)`,
    sql`CREATE OR REPLACE TEMP TABLE gen_interactions AS
SELECT cno, at_sec, kind, outcome, value_cents, score
FROM gen_interactions_unordered WHERE at_sec < ${asOf}
ORDER BY at_sec, cno, src, sub`,
    sql`DROP TABLE gen_interactions_unordered`,
    sql`DROP TABLE gen_complaints`,
  ];
}

/** The interactions table as written, in interaction-id order. */
export function selectInteractionsSql(p: GenParams, format: OutputFormat): SqlFragment {
  return sql`SELECT ${idText("I-", sql`(rowid + 1)`, p.widths.interaction)} AS interaction_id,
  ${customerId(p, sql`cno`)} AS customer_id, ${instant(sql`at_sec`, format)} AS at, kind, outcome,
  ${money(sql`value_cents`)} AS value, score
FROM gen_interactions ORDER BY rowid`;
}
