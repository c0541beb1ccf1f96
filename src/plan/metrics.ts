import type { ValueType } from "./expression.js";

/**
 * The built-in metric library: names, parameters, types and exact
 * definitions. Plain data, shared by the policy checker (what may be named),
 * the SQL layer (src/sql/metrics, one builder per name) and docs/metrics.md.
 */

export type Entity = "customers" | "leads";
/** `window`: `12 months`, `calendar_year` or `lifetime`; `horizon`: a duration ahead (`90 days`); `number`: an expression. */
export type MetricParam = "window" | "horizon" | "number";

/** The metrics of the fitted buying model (docs/clv.md): computed once per run that names one. */
export const CLV_METRICS: ReadonlySet<string> = new Set(["p_alive", "expected_orders", "clv"]);

export interface MetricInfo {
  readonly name: string;
  readonly entity: Entity;
  readonly type: ValueType;
  /** Empty for a bare metric (`recency`); `["window"]` for `spend(12 months)`. */
  readonly params: readonly MetricParam[];
  /** The exact definition, as documented. */
  readonly definition: string;
  /** Tables the metric reads besides the entity's own table. */
  readonly needs: readonly string[];
  /** Value when there is nothing to measure (empty: NULL). */
  readonly empty: string;
}

const c = (
  name: string,
  type: ValueType,
  params: readonly MetricParam[],
  needs: readonly string[],
  empty: string,
  definition: string,
): MetricInfo => ({ name, entity: "customers", type, params, needs, empty, definition });
const l = (name: string, type: ValueType, empty: string, definition: string): MetricInfo => ({
  name,
  entity: "leads",
  type,
  params: [],
  needs: [],
  empty,
  definition,
});

const W = ["window"] as const;

export const METRICS: readonly MetricInfo[] = [
  c(
    "as_of",
    "date",
    [],
    [],
    "—",
    "The run's as-of date. Every window ends the day before it; nothing dated on or after it counts.",
  ),
  c(
    "orders",
    "number",
    W,
    ["orders"],
    "0",
    "Number of `completed` orders placed in the window (rows of kind `order`: credit notes are not orders).",
  ),
  c(
    "spend",
    "number",
    W,
    ["orders"],
    "0",
    "Net spend: sum of `amount` over `completed` orders in the window, less the `completed` credit notes dated in the window (at their own `ordered_at`, whenever the order they refund was placed). Returned and cancelled orders add nothing, and a credit note refunding a `returned` or `cancelled` order subtracts nothing (no double count). May be negative when a refund falls in a later window than its order.",
  ),
  c(
    "gross_spend",
    "number",
    W,
    ["orders"],
    "0",
    "Spend before refunds: sum of `amount` over `completed` orders (kind `order`) in the window; credit notes are left out.",
  ),
  c(
    "aov",
    "number",
    W,
    ["orders"],
    "NULL",
    "Average order value: net `spend(w) / orders(w)` (credit notes lower the spend but are not orders).",
  ),
  c(
    "first_order",
    "date",
    [],
    ["orders"],
    "NULL",
    "Date of the first `completed` order (not a credit note) before as-of.",
  ),
  c(
    "last_order",
    "date",
    [],
    ["orders"],
    "NULL",
    "Date of the latest `completed` order (not a credit note) before as-of.",
  ),
  c(
    "recency",
    "number",
    [],
    ["orders"],
    "NULL",
    "Whole days from the latest `completed` order to as-of (credit notes do not count).",
  ),
  c("tenure", "number", [], ["orders"], "NULL", "Whole days from the first `completed` order to as-of."),
  c(
    "contribution",
    "number",
    W,
    ["orders", "interactions"],
    "0",
    "Net contribution: over `completed` orders and credit notes in the window (as in `spend`), `amount − cost − service_cost`, where a credit note's amount is negative and its `cost` (the goods that came back) is added back; minus `service_cost` of `returned` orders (handling a refund costs); minus compensation paid in the window (`compensation(w)`). Discounts are already out of `amount`; a refunded order brings no revenue.",
  ),
  c(
    "discount_share",
    "number",
    W,
    ["orders"],
    "NULL",
    "`sum(discount) / sum(amount + discount)` over `completed` orders in the window (0..1); credit notes are left out.",
  ),
  c(
    "return_rate",
    "number",
    W,
    ["orders"],
    "NULL",
    "Returns over orders in the window: (`returned` orders + `completed` credit notes) / (`completed` + `returned`) orders, each dated at its own `ordered_at`, at most 1. Every credit note counts as one return, with or without a referenced order; one refunding a `returned` order is not counted again.",
  ),
  c(
    "categories",
    "number",
    W,
    ["order_lines"],
    "0",
    "Distinct categories bought in the window (`completed` orders; a line without a category takes its product's). Needs order lines: without them it is unavailable (see below).",
  ),
  c(
    "new_categories",
    "number",
    W,
    ["order_lines"],
    "0",
    "Categories bought in the window that the customer had never bought before the window started. Needs order lines: without them it is unavailable.",
  ),
  c("invoices_due", "number", W, ["invoices"], "0", "Invoices whose `due_at` falls in the window."),
  c(
    "on_time_share",
    "number",
    W,
    ["invoices"],
    "NULL",
    "Of the invoices due in the window, the share paid on or before their due day (an invoice unpaid at as-of is late) (0..1).",
  ),
  c(
    "avg_days_late",
    "number",
    W,
    ["invoices"],
    "NULL",
    "Mean days late of the invoices due in the window: days from the due day to the payment day (or to as-of when unpaid at as-of), 0 when paid on time.",
  ),
  c("max_days_late", "number", W, ["invoices"], "NULL", "The largest days late among the invoices due in the window."),
  c(
    "overdue_amount",
    "number",
    [],
    ["invoices"],
    "0",
    "Sum of `amount` of invoices due before as-of and not paid by as-of.",
  ),
  c("complaints", "number", W, ["interactions"], "0", "Interactions of kind `complaint` in the window."),
  c(
    "unfounded_complaints",
    "number",
    W,
    ["interactions"],
    "0",
    "Interactions of kind `complaint` with outcome `unfounded` in the window.",
  ),
  c(
    "compensation",
    "number",
    W,
    ["interactions"],
    "0",
    "Sum of `value` of interactions of kind `compensation` in the window.",
  ),
  c("referrals", "number", W, ["interactions"], "0", "Interactions of kind `referral` in the window."),
  c(
    "engagements",
    "number",
    W,
    ["interactions"],
    "0",
    "Interactions of kind `visit`, `inquiry` or `signup` in the window.",
  ),
  c(
    "satisfaction",
    "number",
    W,
    ["interactions"],
    "NULL",
    "`score` (1-5) of the latest `survey` in the window (latest by `at`, then by `interaction_id`).",
  ),
  c(
    "prospects",
    "number",
    [],
    [],
    "NULL",
    "Manual prospects rating 1-5: the latest `tierwise rate` entry before as-of, else `customers.prospects_rating`.",
  ),
  c(
    "open_leads",
    "number",
    [],
    ["leads"],
    "0",
    "The customer's leads created before as-of with status `open` and need `clear` or `latent`.",
  ),
  {
    name: "percentile_rank",
    entity: "customers",
    type: "number",
    params: ["number"],
    needs: [],
    empty: "NULL",
    definition:
      "Percentile rank 0..100 of a number among the scheme's population: `100 × (rank − 1) / (n − 1)` with rank 1 the lowest value, equal values sharing the lowest rank; NULL values get NULL and are not counted; a population of one gets 100.",
  },
  c(
    "p_alive",
    "number",
    [],
    ["orders"],
    "NULL",
    "Probability 0..1 that the customer is still buying, from the policy's buying model (`clv:`; BG/NBD by default) fitted by maximum likelihood on every customer's completed purchase days before as-of (docs/clv.md). NULL for customers without a completed order, or when the model cannot be fitted (the run warns).",
  ),
  c(
    "expected_orders",
    "number",
    ["horizon"],
    ["orders"],
    "NULL",
    "Expected number of purchase days in the horizon after as-of (`expected_orders(90 days)`), from the same fitted model. NULL as for `p_alive`.",
  ),
  c(
    "clv",
    "number",
    ["horizon"],
    ["orders"],
    "NULL",
    "Customer lifetime value over the horizon (`clv(12 months)`): expected purchases per month × expected spend per purchase (Gamma-Gamma; the customer's mean repeat value without one) × the policy's `clv.margin`, discounted monthly at `clv.discount_rate` per year. NULL as for `p_alive`.",
  ),
  l(
    "days_to_close",
    "number",
    "NULL",
    "Whole days from as-of to the lead's `expected_close_at` (negative when it has passed); NULL without a date.",
  ),
  l("stale", "boolean", "false", "An `open` lead whose `expected_close_at` is before as-of."),
  { ...l("as_of", "date", "—", "The run's as-of date."), entity: "leads" },
];
