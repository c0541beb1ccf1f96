import { type SqlFragment, sql } from "../fragment.js";
import { customerId } from "./customers.js";
import { idText, instant, money, type OutputFormat } from "./output.js";
import { DAY, type GenParams } from "./params.js";
import { normal, rowKey, uniform } from "./random.js";

/** need × close-date bucket × status: the situations the first leads enumerate. */
export const LEAD_SITUATIONS = 3 * 6 * 3;

/**
 * Leads. The first `LEAD_SITUATIONS` leads enumerate every combination of
 * need (clear, latent, none) × expected-close bucket (stale: already passed,
 * within 30, 91 or 182 days, beyond, no date) × status (open, won, lost), so
 * every lead grade and its reasons appear; the rest are drawn at random,
 * closed leads mostly with a past close date. About a third belong to no
 * customer; of the rest, many belong to prospects (customers without orders).
 * Draws use salts 500–599.
 */
export function createLeadsSql(p: GenParams): SqlFragment {
  const u = (salt: number) => uniform(sql`rk`, salt);
  const asOfDay = Math.floor(p.asOfSec / DAY);
  return sql`CREATE OR REPLACE TEMP TABLE gen_leads AS
WITH prospects AS (
  SELECT coalesce(list(cno ORDER BY cno), []) AS prospect_nos FROM gen_customers WHERE n_orders = 0
), drawn AS (
  SELECT i AS lead_no,
    CASE WHEN i <= ${LEAD_SITUATIONS}::BIGINT THEN (i - 1) % 3
         WHEN ${u(501)} < 0.45 THEN 0 WHEN ${u(501)} < 0.8 THEN 1 ELSE 2 END AS need_code,
    CASE WHEN i <= ${LEAD_SITUATIONS}::BIGINT THEN (i - 1) // 18
         WHEN ${u(502)} < 0.55 THEN 0 WHEN ${u(502)} < 0.8 THEN 1 ELSE 2 END AS status_code,
    ${u(503)} AS u_bucket, ${u(504)} AS u_close, ${u(505)} AS u_age, ${u(506)} AS u_time,
    ${u(507)} AS u_customer, ${u(508)} AS u_pick, ${normal(sql`rk`, 509)} AS z_amount, ${u(510)} AS u_amount
  FROM (SELECT i, ${rowKey(p.seed, sql`i`)} AS rk FROM range(1, ${p.leads}::BIGINT + 1) AS r(i))
), bucketed AS (
  SELECT *,
    CASE WHEN lead_no <= ${LEAD_SITUATIONS}::BIGINT THEN ((lead_no - 1) // 3) % 6
         WHEN status_code > 0 THEN (CASE WHEN u_bucket < 0.7 THEN 0 WHEN u_bucket < 0.8 THEN 5
                                         ELSE 1 + floor((u_bucket - 0.8) / 0.2 * 4)::INTEGER END)
         WHEN u_bucket < 0.15 THEN 0 WHEN u_bucket < 0.30 THEN 1 WHEN u_bucket < 0.50 THEN 2
         WHEN u_bucket < 0.65 THEN 3 WHEN u_bucket < 0.80 THEN 4 ELSE 5 END AS bucket
  FROM drawn
), dated AS (
  SELECT *,
    CASE bucket
      WHEN 0 THEN -1 - floor(u_close * 200)::BIGINT
      WHEN 1 THEN 1 + floor(u_close * 30)::BIGINT
      WHEN 2 THEN 31 + floor(u_close * 61)::BIGINT
      WHEN 3 THEN 92 + floor(u_close * 91)::BIGINT
      WHEN 4 THEN 183 + floor(u_close * 365)::BIGINT
    END AS close_offset_days
  FROM bucketed
)
SELECT lead_no,
  CASE WHEN u_customer < 0.35 THEN NULL
       WHEN u_customer < 0.6 AND len(prospect_nos) > 0
         THEN list_extract(prospect_nos, 1 + floor(u_pick * len(prospect_nos))::INTEGER)
       ELSE 1 + floor(u_pick * ${p.customers}::BIGINT)::BIGINT END AS cno,
  (least(${asOfDay}::BIGINT, ${asOfDay}::BIGINT + coalesce(close_offset_days, 0)) - 1 - floor(u_age * 180)::BIGINT)
    * ${DAY}::BIGINT + floor(u_time * ${DAY}::BIGINT)::BIGINT AS created_sec,
  ['clear', 'latent', 'none'][need_code + 1] AS need,
  (${asOfDay}::BIGINT + close_offset_days) * ${DAY}::BIGINT AS close_sec,
  CASE WHEN u_amount < 0.08 THEN NULL ELSE round(exp(ln(5000.0) + 1.1 * z_amount) * 100)::BIGINT END AS amount_cents,
  ['open', 'won', 'lost'][status_code + 1] AS status
FROM dated CROSS JOIN prospects`;
}

/** The leads table as written, in lead-id order. */
export function selectLeadsSql(p: GenParams, format: OutputFormat): SqlFragment {
  return sql`SELECT ${idText("L-", sql`lead_no`, p.widths.lead)} AS lead_id,
  CASE WHEN cno IS NOT NULL THEN ${customerId(p, sql`cno`)} END AS customer_id,
  ${instant(sql`created_sec`, format)} AS created_at, need, ${instant(sql`close_sec`, format)} AS expected_close_at,
  ${money(sql`amount_cents`)} AS amount, status
FROM gen_leads ORDER BY lead_no`;
}
