import { type SqlFragment, sql } from "../fragment.js";
import { customerId } from "./customers.js";
import { orderNo } from "./orders.js";
import { idText, instant, money, type OutputFormat } from "./output.js";
import { DAY, type GenParams } from "./params.js";
import { uniform } from "./random.js";

/**
 * Invoices for business orders that were not cancelled: issued 0–3 days
 * after the order, due 30 days later. Punctual payers pay before the due
 * date; "mostly on time" payers are late now and then by 1–10 days; the
 * chronically late group pays 5–60 days late and leaves a few invoices
 * unpaid for good. A payment that would fall on or after asOf is not there
 * yet (empty `paid_at`), so recent invoices are open.
 *
 * Stored in issue order; an invoice's number is its position (`rowid + 1`).
 * Draws use salts 350–399.
 */
export function createInvoicesSql(p: GenParams): SqlFragment {
  const u = (salt: number) => uniform(sql`rk`, salt);
  const asOfDay = Math.floor(p.asOfSec / DAY);
  return sql`CREATE OR REPLACE TEMP TABLE gen_invoices AS
WITH billed AS (
  SELECT ${orderNo()} AS order_no, cno, pay_type, amount_cents,
    ordered_sec // ${DAY}::BIGINT + floor(${u(351)} * 4)::BIGINT AS issued_day,
    ${u(352)} AS u_late_any, ${u(353)} AS u_late, ${u(354)} AS u_early
  FROM gen_orders WHERE b2b AND status <> 'cancelled'
), dated AS (
  SELECT *, issued_day + 30 AS due_day,
    CASE pay_type
      WHEN 0 THEN issued_day + 3 + floor(u_early * 27)::BIGINT
      WHEN 1 THEN (CASE WHEN u_late_any < 0.85 THEN issued_day + 5 + floor(u_early * 25)::BIGINT
                        ELSE issued_day + 31 + floor(u_late * 10)::BIGINT END)
      ELSE (CASE WHEN u_late_any < 0.03 THEN NULL
                 WHEN u_late_any < 0.12 THEN issued_day + 20 + floor(u_early * 10)::BIGINT
                 ELSE issued_day + 35 + floor(u_late * 56)::BIGINT END)
    END AS paid_day
  FROM billed WHERE issued_day < ${asOfDay}::BIGINT
)
SELECT cno, amount_cents, issued_day, due_day, CASE WHEN paid_day < ${asOfDay}::BIGINT THEN paid_day END AS paid_day
FROM dated
ORDER BY issued_day, order_no`;
}

/** The invoices table as written, in invoice-id order. */
export function selectInvoicesSql(p: GenParams, format: OutputFormat): SqlFragment {
  const at = (day: SqlFragment) => instant(sql`${day} * ${DAY}::BIGINT`, format);
  return sql`SELECT ${idText("INV-", sql`(rowid + 1)`, p.widths.invoice)} AS invoice_id,
  ${customerId(p, sql`cno`)} AS customer_id,
  ${at(sql`issued_day`)} AS issued_at, ${at(sql`due_day`)} AS due_at, ${at(sql`paid_day`)} AS paid_at,
  ${money(sql`amount_cents`)} AS amount
FROM gen_invoices ORDER BY rowid`;
}
