import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { formats } from "../format/formats.js";
import { CALENDAR_WINDOWS, type CalendarUnit } from "../plan/expression.js";
import type { PolicyPlan, SchemePlan } from "../plan/policy.js";
import { isMoney } from "../policy/money.js";
import { planFromText } from "../run/runs.js";
import { nextPeriodStart, periodStart, shiftBack } from "../sql/compile/as-of.js";
import { latestRunHeadSql, type MemberGradeRow, memberGradesSql, policyTextSql } from "../sql/insight/member-status.js";

/** What a member may read of one customer-facing scheme: no scores of other schemes, no rule ids. */
export interface MemberSchemeStatus {
  readonly scheme: string;
  readonly tier: string;
  /** The tier's benefits (the playbook's names; a discount's percent), none when the tier has no playbook. */
  readonly benefits: readonly { readonly name: string; readonly discountPercent: number | null }[];
  /** The tier above (null: the top tier). */
  readonly nextTier: string | null;
  /** What it takes to reach `nextTier` (thresholds schemes with a bound on it; null otherwise). */
  readonly progress: Progress | null;
  /** The tier the next evaluation gives if the values stay as they are, and from when (a pending move's due date). */
  readonly projected: { readonly tier: string; readonly on: string | null };
  /** A downgrade the lifecycle holds back, with its due date (null: none pending, or none dated). */
  readonly pendingDowngrade: {
    readonly tier: string;
    readonly dueOn: string | null;
    /** What keeps the tier: the retention bound still to reach (thresholds), as a sentence. */
    readonly text: string;
  } | null;
}

export interface Progress {
  readonly tier: string;
  /** The metric's text, e.g. `spend(12 months)`. */
  readonly metric: string;
  /** The member's value in the current window (0 when the window is a new one). */
  readonly value: number;
  /** The bound of the tier: `min` (reach it) or `above` (pass it). */
  readonly target: number;
  readonly remaining: number;
  /** Whether the amounts are money in the policy's currency. */
  readonly money: boolean;
  /** The last day that counts: the end of the calendar window (null: a rolling or lifetime window). */
  readonly by: string | null;
  /** "spend €120.00 more by 2027-03-31", in the policy's locale and currency. */
  readonly text: string;
}

export interface MemberStatus {
  readonly customerId: string;
  readonly runId: number;
  readonly asOf: string;
  readonly currency: string;
  readonly locale: string;
  readonly schemes: readonly MemberSchemeStatus[];
}

/** The one calendar unit of every window a metric reads (null: a rolling or lifetime window, or several). */
function calendarUnit(expression: unknown): CalendarUnit | null {
  const units = new Set<CalendarUnit>();
  let rolling = false;
  const walk = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const n = node as Record<string, unknown>;
    const calendar = n["kind"] === "name" && typeof n["name"] === "string" ? CALENDAR_WINDOWS[n["name"]] : undefined;
    if (calendar !== undefined) units.add(calendar);
    if (n["kind"] === "duration" || (n["kind"] === "name" && n["name"] === "lifetime")) rolling = true;
    for (const [key, value] of Object.entries(n)) if (key !== "span") walk(value);
  };
  walk(expression);
  const [unit] = [...units];
  return units.size === 1 && !rolling && unit !== undefined ? unit : null;
}

const dayBefore = (date: string) => shiftBack(date, 1, "day");

/**
 * Progress to the bound `bound` of `tier`: from the member's value (a
 * calendar window that has just closed, on a period's first day, starts
 * again from 0), by the end of the calendar window that is open.
 */
function progressTo(
  plan: PolicyPlan,
  scheme: SchemePlan & { readonly kind: "thresholds" },
  tier: string,
  bound: number,
  inclusive: boolean,
  score: number,
  asOf: string,
  verb: string,
): Progress {
  const custom = new Set<string>();
  for (const m of plan.metrics) if (isMoney(m.expression, custom)) custom.add(m.name);
  const money = isMoney(scheme.metric.expression, custom);
  const unit = calendarUnit(scheme.metric.expression);
  const fresh = unit !== null && periodStart(asOf, unit) === asOf;
  const value = fresh ? 0 : score;
  const step = inclusive ? 0 : money ? 0.01 : 1;
  const remaining = Math.max(0, Number((bound - value + step).toPrecision(12)));
  const by = unit === null ? null : dayBefore(nextPeriodStart(asOf, unit));
  const f = formats(plan.locale, plan.currency);
  const amount = money
    ? `spend ${new Intl.NumberFormat(f.locale, { style: "currency", currency: plan.currency }).format(remaining)} more`
    : `${f.number(remaining)} more ${scheme.metric.text}`;
  return {
    tier,
    metric: scheme.metric.text,
    value,
    target: bound,
    remaining,
    money,
    by,
    // Reached (a tier held back by an override, or a move the lifecycle makes later): nothing more to spend.
    text:
      remaining === 0
        ? `${scheme.metric.text} has reached ${tier}'s bound`
        : `${amount}${by === null ? "" : ` by ${by}`} ${verb} ${tier}`,
  };
}

function schemeStatus(plan: PolicyPlan, scheme: SchemePlan, a: MemberGradeRow, asOf: string): MemberSchemeStatus {
  const rank = scheme.tiers.indexOf(a.tier) + 1;
  const nextTier = rank > 1 ? (scheme.tiers[rank - 2] ?? null) : null;
  const playbook = scheme.playbooks?.find((p) => p.tier === a.tier);
  const benefits = (playbook?.benefits ?? []).map((b) => ({
    name: b.name,
    discountPercent: b.kind === "discount" ? b.percent : null,
  }));
  const thresholds = scheme.kind === "thresholds" ? scheme : null;
  let progress: Progress | null = null;
  const score = a.score;
  if (thresholds && nextTier !== null && score !== null) {
    const upper = thresholds.bounds[rank - 2];
    const need = upper?.min ?? upper?.above;
    if (need !== undefined && a.life_state !== "upgrade-pending")
      progress = progressTo(plan, thresholds, nextTier, need, upper?.min !== undefined, score, asOf, "to reach");
  }
  let pendingDowngrade: MemberSchemeStatus["pendingDowngrade"] = null;
  const down = a.life_state === "downgrade-pending" && a.pending_tier !== null;
  if (down && a.pending_tier !== null) {
    const own = thresholds?.bounds[rank - 1];
    const keep = own?.keep ?? own?.min ?? own?.above;
    const keepText =
      thresholds && keep !== undefined && score !== null
        ? progressTo(
            plan,
            thresholds,
            a.tier,
            keep,
            own?.above === undefined || own.keep !== undefined,
            score,
            asOf,
            "to keep",
          ).text
        : `keep the qualification of ${a.tier}`;
    pendingDowngrade = {
      tier: a.pending_tier,
      dueOn: a.due_on,
      text: `${a.pending_tier}${a.due_on === null ? "" : ` on ${a.due_on}`} unless you ${keepText}`,
    };
  }
  const after = scheme.lifecycle?.downgrade;
  const downNext =
    down && (after?.kind !== "after" || (a.below_count ?? 0) + 1 >= after.evaluations) ? a.pending_tier : null;
  const projected =
    a.life_state === "upgrade-pending" && a.pending_tier !== null
      ? { tier: a.pending_tier, on: a.due_on }
      : downNext !== null
        ? { tier: downNext, on: a.due_on }
        : { tier: a.tier, on: null };
  return { scheme: scheme.name, tier: a.tier, benefits, nextTier, progress, projected, pendingDowngrade };
}

/** The plans of recorded policy texts, by the text's hash (a policy is checked once, not on every request). */
const plans = new Map<string, PolicyPlan>();

/**
 * A member's status in the latest run: per customer-facing scheme of the
 * customer's (`visibility: customer-facing`) the tier, its benefits, the
 * progress to the next tier, the projected tier and a pending downgrade.
 * Internal schemes are never read. Throws UNKNOWN_ENTITY when no
 * customer-facing scheme grades the customer (no did-you-mean: a member
 * key must not learn other ids).
 */
export async function memberStatus(engine: Engine, customerId: string): Promise<MemberStatus> {
  const head = (await engine.query(latestRunHeadSql()))[0];
  if (!head) throw new TierwiseError("NO_RUNS", {});
  const run = { runId: head.run_id, asOf: head.as_of.slice(0, 10) };
  let plan = plans.get(head.policy_hash);
  if (plan === undefined) {
    plan = planFromText((await engine.query(policyTextSql(run.runId)))[0]?.policy_text ?? "");
    if (plans.size >= 16) plans.clear();
    plans.set(head.policy_hash, plan);
  }
  const facing = plan.schemes.filter((s) => s.visibility === "customer-facing" && s.entity === "customers");
  const rows = facing.length === 0 ? [] : await engine.query(memberGradesSql(run.runId, customerId));
  const schemes: MemberSchemeStatus[] = [];
  for (const scheme of facing) {
    const a = rows.find((r) => r.scheme === scheme.name);
    if (a) schemes.push(schemeStatus(plan, scheme, a, run.asOf));
  }
  if (schemes.length === 0) {
    const shown = customerId.length > 80 ? `${customerId.slice(0, 80)}…` : customerId;
    throw new TierwiseError("UNKNOWN_ENTITY", { entity: "graded member", id: shown });
  }
  return {
    customerId,
    runId: run.runId,
    asOf: run.asOf,
    currency: plan.currency,
    locale: plan.locale,
    schemes,
  };
}
