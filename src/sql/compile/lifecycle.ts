import type { LifecyclePlan, SchemePlan } from "../../plan/policy.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { latestFirst } from "../run/run-order.js";
import { nextPeriodStart, periodStart, shiftBack } from "./as-of.js";

/** The scheme's previous snapshot whose state the lifecycle rules read. */
export interface PreviousSnapshot {
  readonly runId: number;
  readonly schemeNo: number;
  readonly asOf: string;
}

/** Lifecycle states stored in tw_grades.life_state (NULL: the tier is the one the scheme's rules give). */
export const LIFE_STATES = [
  "retained",
  "downgrade-pending",
  "downgrade-never",
  "upgrade-pending",
  "downgraded",
] as const;
export type LifeState = (typeof LIFE_STATES)[number];

/** Rule number of a tier held by the lifecycle rules rather than given by the scheme's own rules. */
export const LIFECYCLE_RULE = -4;

/** The scheme's latest snapshot with an as-of before `asOf` (a rerun at the same date reads the same state). */
export function previousSnapshotSql(scheme: string, asOf: string) {
  return select(
    { run_id: col.integer, scheme_no: col.integer, as_of: col.date },
    sql`SELECT s.run_id, s.scheme_no, CAST(r.as_of AS VARCHAR) AS as_of FROM ${ident("tw_run_schemes")} s
  JOIN ${ident("tw_runs")} r ON r.run_id = s.run_id
  WHERE s.scheme = ${scheme} AND r.as_of < CAST(${asOf} AS DATE) ORDER BY ${latestFirst("r")} LIMIT 1`,
  );
}

const date = (d: string): SqlFragment => sql`CAST(${d} AS DATE)`;

/**
 * The columns `b_last` (the last boundary on or before as-of) and `b_next`
 * (the one after it) of each entity's own periods, counted from `x.p_entered`
 * (the day it entered the tier it holds; NULL without one): boundary k is
 * entered + k periods, shifted from the entry day itself so month ends clamp
 * once (01-31 + 1 month = 02-28, + 2 months = 03-31).
 */
function anniversaries(life: LifecyclePlan, asOf: string, dialect: Pick<Dialect, "shiftDate">): SqlFragment {
  const months = life.period === "year" ? 12 : life.period === "quarter" ? 3 : 1;
  const [y, m] = asOf.split("-").map(Number) as [number, number];
  const asOfMonth = y * 12 + (m - 1);
  const entered = sql`x.p_entered`;
  const enteredMonth = sql`(CAST(EXTRACT(YEAR FROM ${entered}) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM ${entered}) AS INTEGER) - 1)`;
  // Whole periods from the entry month to as-of's month; one fewer when that boundary's day is still ahead.
  const k = sql`CAST(floor(CAST(${integer(asOfMonth)} - ${enteredMonth} AS DOUBLE PRECISION) / ${integer(months)}) AS INTEGER)`;
  const at = (n: SqlFragment) =>
    sql`CAST(${dialect.shiftDate(entered, "+", sql`(${n}) * ${integer(months)}`, "month")} AS DATE)`;
  const kk = sql`(CASE WHEN ${at(k)} <= CAST(${asOf} AS DATE) THEN ${k} ELSE ${k} - 1 END)`;
  return sql`, ${at(kk)} AS b_last, ${at(sql`${kk} + 1`)} AS b_next`;
}
const bool = (b: boolean): SqlFragment => raw(b ? "TRUE" : "FALSE");

/**
 * Apply a scheme's lifecycle rules to its fresh grades (`grades`: entity_id,
 * tier_rank = the tier the rules give, keep_rank = the tier whose retention
 * bound holds, score, rule_no, flags, revenue) against the state each entity
 * had in the previous snapshot:
 * - no previous tier (new, or its tier's name is gone): the rules' tier;
 * - a higher tier: at once, or with `next-period` only at the first run after
 *   a calendar period boundary (later runs in the period keep it pending);
 * - the same tier, or a lower one while the holder's retention bound holds: kept;
 * - below the retention bound: down to `keep_rank` once the timing allows
 *   (immediate; never; `period-end`: a period boundary has passed since the
 *   first evaluation below; after N evaluations below in a row), the grace
 *   days since the first evaluation below have passed and the minimum stay
 *   since entering the tier is over; until then the tier is kept, pending
 *   (`one-tier`: down to the tier below the held one, one tier per evaluation);
 * - `anniversary`: the period boundaries of `next-period` and `period-end`
 *   are each entity's own, counted in whole periods from the day it entered
 *   the tier it holds (month ends clamp: entered on 01-31, a month on is 02-28).
 * The previous tier is the one the lifecycle held (natural_rank where an
 * override was in force), matched by tier name. One set-based statement.
 */
export function lifecycleSql(
  plan: SchemePlan & { readonly lifecycle: LifecyclePlan },
  grades: string,
  asOf: string,
  previous: PreviousSnapshot | undefined,
  dialect: Pick<Dialect, "shiftDate">,
): SqlFragment {
  const life = plan.lifecycle;
  const rankOf = sql`CASE t.tier${join(
    plan.tiers.map((t, i) => sql` WHEN ${t} THEN ${integer(i + 1)}`),
    "",
  )} END`;
  const prev = previous
    ? sql`SELECT g.entity_id, ${rankOf} AS held, g.entered_on, g.below_count, g.below_since FROM ${ident("tw_grades")} g
    JOIN ${ident("tw_run_tiers")} t ON t.run_id = g.run_id AND t.scheme_no = g.scheme_no AND t.tier_rank = COALESCE(g.natural_rank, g.tier_rank)
    WHERE g.run_id = ${integer(previous.runId)} AND g.scheme_no = ${integer(previous.schemeNo)}`
    : sql`SELECT CAST(NULL AS VARCHAR) AS entity_id, CAST(NULL AS INTEGER) AS held, CAST(NULL AS DATE) AS entered_on,
    CAST(NULL AS INTEGER) AS below_count, CAST(NULL AS DATE) AS below_since WHERE FALSE`;
  const start = periodStart(asOf, life.period);
  const today = date(asOf);
  // Anniversary: each entity's last boundary on or before as-of and its next one (`y.b_last`, `y.b_next`).
  const anniversary = life.anchor === "anniversary" ? anniversaries(life, asOf, dialect) : null;
  const boundary = anniversary ? raw("z.b_next") : date(nextPeriodStart(asOf, life.period));
  // A period boundary lies between the previous run and this one.
  const crossed = previous !== undefined && previous.asOf < start;
  const upgradeNow = anniversary
    ? life.upgrade === "immediate" || previous === undefined
      ? raw("TRUE")
      : sql`COALESCE(${date(previous.asOf)} < y.b_last, TRUE)`
    : bool(life.upgrade === "immediate" || crossed);
  const since = anniversary ? raw("y.b_last") : date(start);
  const timing = (() => {
    const d = life.downgrade;
    if (d.kind === "immediate") return raw("TRUE");
    if (d.kind === "never") return raw("FALSE");
    if (d.kind === "period-end")
      return anniversary ? sql`COALESCE(y.below_since < ${since}, FALSE)` : sql`y.below_since < ${since}`;
    return sql`y.below_count >= ${integer(d.evaluations)}`;
  })();
  const graceOver = sql`y.below_since <= ${date(shiftBack(asOf, life.graceDays, "day"))}`;
  const stayOver = sql`(y.p_entered IS NULL OR y.p_entered <= ${date(shiftBack(asOf, life.minimumStayDays, "day"))})`;
  const x = sql`SELECT c.entity_id, c.tier_rank, c.keep_rank, c.score, c.rule_no, c.flags, c.revenue, p.held, p.entered_on AS p_entered,
    COALESCE(p.below_count, 0) AS p_below, p.below_since AS p_below_since,
    CASE WHEN p.held IS NULL THEN 'new' WHEN c.tier_rank < p.held THEN 'up' WHEN c.tier_rank = p.held THEN 'same'
      WHEN c.keep_rank <= p.held THEN 'kept' ELSE 'below' END AS step
  FROM ${ident(grades)} c LEFT JOIN (${prev}) p ON p.entity_id = c.entity_id WHERE c.tier_rank IS NOT NULL`;
  const y = sql`SELECT x.*, CASE WHEN x.step = 'below' THEN x.p_below + 1 ELSE 0 END AS below_count,
    CASE WHEN x.step = 'below' THEN COALESCE(x.p_below_since, ${today}) END AS below_since${anniversary ?? raw("")} FROM (${x}) x`;
  const z = sql`SELECT y.*, (y.step = 'below' AND ${timing} AND ${graceOver} AND ${stayOver}) AS down_now,
    (y.step = 'up' AND NOT ${upgradeNow}) AS up_later FROM (${y}) y`;
  // When a pending downgrade is due: the latest of the grace end, the minimum stay's end and (period-end) the next boundary.
  const never = date("1900-01-01");
  const parts = [
    sql`COALESCE(z.below_since + ${integer(life.graceDays)}, ${never})`,
    sql`COALESCE(z.p_entered + ${integer(life.minimumStayDays)}, ${never})`,
    life.downgrade.kind === "period-end"
      ? sql`CASE WHEN z.below_since < ${anniversary ? raw("z.b_last") : date(start)} THEN ${never} ELSE ${anniversary ? sql`COALESCE(${boundary}, ${never})` : boundary} END`
      : never,
  ];
  const downDue =
    life.downgrade.kind === "never" || life.downgrade.kind === "after"
      ? raw("CAST(NULL AS DATE)")
      : sql`NULLIF(greatest(${join(parts)}), ${never})`;
  const moved = sql`(z.step IN ('new', 'same') OR (z.step = 'up' AND NOT z.up_later) OR z.down_now)`;
  // Where a downgrade goes: the tier whose retention bound holds, or (one tier down) the tier below the held one.
  const target = life.downgradeTo === "one-tier" ? sql`least(z.keep_rank, z.held + 1)` : sql`z.keep_rank`;
  const held = sql`CASE WHEN z.down_now THEN ${target} WHEN ${moved} THEN z.tier_rank ELSE z.held END`;
  const state = sql`CASE WHEN z.down_now THEN 'downgraded' WHEN z.step = 'kept' THEN 'retained' WHEN z.up_later THEN 'upgrade-pending'
    WHEN z.step = 'below' THEN ${life.downgrade.kind === "never" ? "downgrade-never" : "downgrade-pending"} END`;
  return sql`SELECT z.entity_id, ${held} AS tier_rank, z.score, z.rule_no, z.flags, z.revenue, z.tier_rank AS qualified_rank,
    CASE WHEN z.up_later THEN z.tier_rank WHEN z.step = 'below' AND NOT z.down_now THEN ${target} END AS pending_rank,
    ${state} AS life_state,
    CASE WHEN z.up_later THEN ${boundary} WHEN z.step = 'below' AND NOT z.down_now THEN ${downDue} END AS due_on,
    CASE WHEN z.step IN ('new', 'up', 'below') AND ${held} <> COALESCE(z.held, 0) THEN ${today} ELSE z.p_entered END AS entered_on,
    CASE WHEN z.down_now THEN 0 ELSE z.below_count END AS below_count,
    CASE WHEN z.down_now THEN NULL ELSE z.below_since END AS below_since
  FROM (${z}) z`;
}
