import { InternalError } from "../../errors/index.js";
import type { Expression, Window } from "../../plan/expression.js";
import { CALENDAR_WINDOWS } from "../../plan/expression.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";
import { type FactCollector, type FactParts, type FactSource, SOURCE_TIME } from "./facts.js";
import { CONTRIBUTION_VALUE, CREDIT, NET, SALE } from "./net-orders.js";

/** What metric SQL needs from the run and the scheme being compiled. */
export interface MetricContext {
  readonly facts: FactCollector;
  readonly dialect: Dialect;
  /** As-of instant (local midnight, as UTC TIMESTAMP). */
  readonly asOf: SqlFragment;
  /** As-of calendar date (DATE). */
  readonly asOfDate: SqlFragment;
  /** Start instant of a window, undefined for lifetime. */
  windowStart(window: Window): SqlFragment | undefined;
  /** A value computed over the scheme's population (window function), staged as a column. */
  stage(value: SqlFragment): SqlFragment;
}

/** The window a metric call names: `12 months`, `calendar_year` or `lifetime`. */
export function windowArg(arg: Expression | undefined): Window {
  if (arg?.kind === "duration") return arg;
  const calendar = arg?.kind === "name" ? CALENDAR_WINDOWS[arg.name.toLowerCase()] : undefined;
  if (arg?.kind === "name")
    return calendar ? { kind: "calendar", unit: calendar, span: arg.span } : { kind: "lifetime", span: arg.span };
  throw new InternalError("a metric window must be a duration or lifetime");
}

const TRUE = raw("TRUE");
const and = (...parts: readonly (SqlFragment | undefined)[]): SqlFragment => {
  const list = parts.filter((p): p is SqlFragment => p !== undefined);
  return list.length === 0
    ? TRUE
    : join(
        list.map((p) => sql`(${p})`),
        " AND ",
      );
};

/** Rows of `source` in the window (time column ≥ the window's start; as-of is the source's upper bound). */
function inWindow(ctx: MetricContext, column: string, w: Window): SqlFragment | undefined {
  const start = ctx.windowStart(w);
  return start ? sql`${ident(column)} >= ${start}` : undefined;
}

const returned = raw("status = 'returned' AND kind = 'order'");
const zero = (f: SqlFragment) => sql`COALESCE(${f}, 0)`;
const toDouble = (f: SqlFragment) => sql`CAST(${f} AS DOUBLE PRECISION)`;

/**
 * `call FILTER (WHERE where AND column in the window)` over `source`, with its
 * parts when the window is on the source's own time column (so a backfill may
 * roll it from date to date).
 */
function windowed(
  ctx: MetricContext,
  source: FactSource,
  combine: FactParts["combine"],
  call: SqlFragment,
  where: SqlFragment,
  column: string,
  w: Window,
): SqlFragment {
  const aggregate = sql`${call} FILTER (WHERE ${and(where, inWindow(ctx, column, w))})`;
  return ctx.facts.add(
    source,
    aggregate,
    column === SOURCE_TIME[source] ? { combine, call, where, window: w } : undefined,
  );
}

/** `count(*)` of the rows in the window, with no other condition. */
function countInWindow(ctx: MetricContext, source: FactSource, column: string, w: Window): SqlFragment {
  const aggregate = sql`count(*) FILTER (WHERE ${and(inWindow(ctx, column, w))})`;
  const parts: FactParts = { combine: "count", call: raw("count(*)"), where: TRUE, window: w };
  return ctx.facts.add(source, aggregate, column === SOURCE_TIME[source] ? parts : undefined);
}

const countOf = (ctx: MetricContext, source: FactSource, where: SqlFragment, column: string, w: Window) =>
  windowed(ctx, source, "count", raw("count(*)"), where, column, w);
const sumOf = (
  ctx: MetricContext,
  source: FactSource,
  value: SqlFragment,
  where: SqlFragment,
  column: string,
  w: Window,
) => windowed(ctx, source, "sum", sql`sum(${value})`, where, column, w);

/** Days an invoice is late at as-of: payment (or as-of when unpaid then) minus due day, never below 0. */
const daysLate = (ctx: MetricContext) =>
  sql`greatest(0, ${ctx.dialect.daysBetween(sql`due_at`, sql`CASE WHEN paid_at IS NOT NULL AND paid_at < ${ctx.asOf} THEN paid_at ELSE ${ctx.asOf} END`)})`;

type Builder = (
  ctx: MetricContext,
  args: readonly Expression[],
  compile: (e: Expression) => SqlFragment,
) => SqlFragment;

const orders = (ctx: MetricContext, w: Window) => zero(countOf(ctx, "orders", SALE, "ordered_at", w));
/** Net spend: orders less the credit notes dated in the window. */
const spend = (ctx: MetricContext, w: Window) => zero(sumOf(ctx, "orders", sql`amount`, NET, "ordered_at", w));
const compensation = (ctx: MetricContext, w: Window) =>
  zero(sumOf(ctx, "interactions", sql`value`, raw("kind = 'compensation'"), "at", w));
const lifetime: Window = { kind: "lifetime", span: { offset: 0, end: 0, line: 1, column: 1 } };
// Lifetime min and max are written without the parentheses `and` adds: the golden SQL keeps its text.
/** The first or last completed order's time (lifetime); credit notes are not orders. */
const orderExtreme = (ctx: MetricContext, fn: "min" | "max") =>
  ctx.facts.add("orders", sql`${raw(fn)}(ordered_at) FILTER (WHERE ${SALE})`, {
    combine: fn,
    call: raw(`${fn}(ordered_at)`),
    where: SALE,
    window: lifetime,
  });
const firstOrder = (ctx: MetricContext) => orderExtreme(ctx, "min");
const lastOrder = (ctx: MetricContext) => orderExtreme(ctx, "max");
const interactionCount =
  (kind: SqlFragment): Builder =>
  (ctx, [w]) =>
    zero(countOf(ctx, "interactions", kind, "at", windowArg(w)));

/** `expected_orders(90 days)`, `clv(12 months)`: a column of the run's CLV metrics table per horizon. */
function clvMetric(ctx: MetricContext, kind: "expected_orders" | "clv", h: Expression | undefined): SqlFragment {
  if (h?.kind !== "duration") throw new InternalError(`${kind} needs a duration`);
  const column = ctx.facts.clvColumn({
    name: `${kind}_${String(h.amount).replace(".", "_")}_${h.unit}`,
    kind,
    horizon: { amount: h.amount, unit: h.unit },
  });
  return ctx.facts.add("clv", sql`max(${column})`);
}

/** Metric `spend` (net spend in a window): also each customer scheme's revenue column. */
export const spendMetric: Builder = (ctx, [w]) => spend(ctx, windowArg(w));

/**
 * SQL of every built-in metric (src/plan/metrics.ts documents them). Values
 * come from facts columns; NULL means "nothing to measure" where the
 * catalogue says so.
 */
export const METRIC_SQL: Readonly<Record<string, Builder>> = {
  orders: (ctx, [w]) => orders(ctx, windowArg(w)),
  spend: spendMetric,
  gross_spend: (ctx, [w]) => zero(sumOf(ctx, "orders", sql`amount`, SALE, "ordered_at", windowArg(w))),
  aov: (ctx, [w]) => {
    const win = windowArg(w);
    return ctx.dialect.divide(
      sumOf(ctx, "orders", sql`amount`, NET, "ordered_at", win),
      countOf(ctx, "orders", SALE, "ordered_at", win),
    );
  },
  first_order: (ctx) => firstOrder(ctx),
  last_order: (ctx) => lastOrder(ctx),
  recency: (ctx) => ctx.dialect.daysBetween(lastOrder(ctx), ctx.asOfDate),
  tenure: (ctx) => ctx.dialect.daysBetween(firstOrder(ctx), ctx.asOfDate),
  contribution: (ctx, [a]) => {
    const w = windowArg(a);
    const margin = zero(sumOf(ctx, "orders", CONTRIBUTION_VALUE, NET, "ordered_at", w));
    const refundHandling = zero(sumOf(ctx, "orders", sql`COALESCE(service_cost, 0)`, returned, "ordered_at", w));
    return sql`(${margin} - ${refundHandling} - ${compensation(ctx, w)})`;
  },
  discount_share: (ctx, [w]) => {
    const win = windowArg(w);
    const discount = sumOf(ctx, "orders", sql`COALESCE(discount, 0)`, SALE, "ordered_at", win);
    const gross = sumOf(ctx, "orders", sql`amount + COALESCE(discount, 0)`, SALE, "ordered_at", win);
    return ctx.dialect.divide(discount, gross);
  },
  return_rate: (ctx, [w]) => {
    const win = windowArg(w);
    // Returns: orders returned in full plus credit notes (a credit of a returned order is voided: counted once).
    const back = sql`(${zero(countOf(ctx, "orders", returned, "ordered_at", win))} + ${zero(countOf(ctx, "orders", CREDIT, "ordered_at", win))})`;
    const both = raw("(status = 'completed' OR status = 'returned') AND kind = 'order'");
    const all = zero(countOf(ctx, "orders", both, "ordered_at", win));
    const rate = ctx.dialect.divide(back, all);
    return sql`CASE WHEN ${rate} > 1 THEN CAST(1 AS DOUBLE PRECISION) ELSE ${rate} END`;
  },
  categories: (ctx, [w]) => zero(countInWindow(ctx, "categories", "last_at", windowArg(w))),
  new_categories: (ctx, [w]) => zero(countInWindow(ctx, "categories", "first_at", windowArg(w))),
  invoices_due: (ctx, [w]) => zero(countInWindow(ctx, "invoices", "due_at", windowArg(w))),
  on_time_share: (ctx, [w]) => {
    const win = and(inWindow(ctx, "due_at", windowArg(w)));
    const onTime = ctx.facts.add(
      "invoices",
      sql`count(*) FILTER (WHERE ${win} AND paid_at IS NOT NULL AND paid_at < ${ctx.asOf} AND CAST(paid_at AS DATE) <= CAST(due_at AS DATE))`,
    );
    return ctx.dialect.divide(onTime, ctx.facts.add("invoices", sql`count(*) FILTER (WHERE ${win})`));
  },
  avg_days_late: (ctx, [w]) => {
    const win = and(inWindow(ctx, "due_at", windowArg(w)));
    const total = ctx.facts.add("invoices", sql`sum(${daysLate(ctx)}) FILTER (WHERE ${win})`);
    return ctx.dialect.divide(total, ctx.facts.add("invoices", sql`count(*) FILTER (WHERE ${win})`));
  },
  max_days_late: (ctx, [w]) =>
    ctx.facts.add("invoices", sql`max(${daysLate(ctx)}) FILTER (WHERE ${and(inWindow(ctx, "due_at", windowArg(w)))})`),
  overdue_amount: (ctx) =>
    zero(ctx.facts.add("invoices", sql`sum(amount) FILTER (WHERE (paid_at IS NULL OR paid_at >= ${ctx.asOf}))`)),
  complaints: interactionCount(raw("kind = 'complaint'")),
  unfounded_complaints: interactionCount(raw("kind = 'complaint' AND outcome = 'unfounded'")),
  compensation: (ctx, [w]) => compensation(ctx, windowArg(w)),
  referrals: interactionCount(raw("kind = 'referral'")),
  engagements: interactionCount(raw("(kind = 'visit' OR kind = 'inquiry' OR kind = 'signup')")),
  satisfaction: (ctx, [w]) =>
    ctx.facts.add(
      "interactions",
      ctx.dialect.latest(
        sql`score`,
        sql`${ident("at")} DESC, interaction_id DESC`,
        and(raw("kind = 'survey' AND score IS NOT NULL"), inWindow(ctx, "at", windowArg(w))),
      ),
    ),
  prospects: (ctx) => {
    const rated = ctx.facts.add("ratings", ctx.dialect.latest(sql`rating`, sql`rated_at DESC, rating_id DESC`, TRUE));
    return sql`COALESCE(${rated}, ${ctx.facts.column("prospects_rating")})`;
  },
  open_leads: (ctx) =>
    zero(
      ctx.facts.add(
        "leads",
        sql`count(*) FILTER (WHERE ${raw("status = 'open' AND (need = 'clear' OR need = 'latent')")})`,
      ),
    ),
  percentile_rank: (ctx, [x], compile) => {
    if (!x) throw new InternalError("percentile_rank needs an argument");
    const v = compile(x);
    const n = sql`count(${v}) OVER ()`;
    const rank = sql`rank() OVER (PARTITION BY ${v} IS NULL ORDER BY ${v})`;
    return ctx.stage(
      sql`CASE WHEN ${v} IS NULL THEN NULL WHEN ${n} = 1 THEN CAST(100 AS DOUBLE PRECISION) ELSE ${toDouble(sql`100 * (${rank} - 1)`)} / (${n} - 1) END`,
    );
  },
  p_alive: (ctx) => ctx.facts.add("clv", sql`max(${ctx.facts.clvColumn({ name: "p_alive", kind: "p_alive" })})`),
  expected_orders: (ctx, [h]) => clvMetric(ctx, "expected_orders", h),
  clv: (ctx, [h]) => clvMetric(ctx, "clv", h),
  days_to_close: (ctx) => ctx.dialect.daysBetween(ctx.asOfDate, ctx.facts.column("expected_close_at")),
  stale: (ctx) => {
    const close = ctx.facts.column("expected_close_at");
    return sql`(${ctx.facts.column("status")} = 'open' AND ${close} IS NOT NULL AND ${close} < ${ctx.asOf})`;
  },
};

/** Source relation of a custom aggregate over a model table, or undefined when the table cannot be aggregated. */
export const AGGREGATE_SOURCES: Readonly<Record<string, { source: FactSource; time: string }>> = {
  orders: { source: "orders", time: "ordered_at" },
  interactions: { source: "interactions", time: "at" },
  invoices: { source: "invoices", time: "due_at" },
  leads: { source: "leads", time: "created_at" },
  order_lines: { source: "lines", time: "ordered_at" },
};

export { and as allOf, inWindow };
