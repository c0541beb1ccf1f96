import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { formats } from "../format/formats.js";
import type { PolicyPlan, SchemePlan } from "../plan/policy.js";
import { compileFor } from "../run/compile-for.js";
import { dropAll, prepareFacts } from "../run/run.js";
import { findRun, planFromText, type StoredRun } from "../run/runs.js";
import { unknownEntity } from "../run/unknown-entity.js";
import type { CompiledScheme } from "../sql/compile/compile-run.js";
import { entityKindsSql } from "../sql/insight/explain.js";
import { liveGradesOfSql } from "../sql/realtime/live-grades.js";
import {
  activeOverridesSql,
  assignmentsOfEntitySql,
  type EntityAssignmentRow,
  type OverrideRow,
} from "../sql/run/records.js";
import { createTempSql, fingerprintSql } from "../sql/run/snapshot.js";
import { type LifecycleExplanation, lifecycleDistances, lifecycleSentence, lifecycleTiming } from "./lifecycle-text.js";

export interface ExplainedValue {
  readonly label: string;
  readonly value: number | boolean | null;
}

export interface SchemeExplanation {
  readonly scheme: string;
  readonly kind: SchemePlan["kind"];
  /** Null when the entity is outside the scheme's population. */
  readonly tier: string | null;
  readonly rank: number | null;
  readonly ruleId: string | null;
  /** Plain-language reason: the rule or score that placed it. */
  readonly reason: string;
  readonly score: number | null;
  /** The tier the scheme itself gave, when an override is in force (else null). */
  readonly naturalTier: string | null;
  readonly flags: string | null;
  readonly values: readonly ExplainedValue[];
  /**
   * What it takes to reach the tier above ("needs 8,400 more spend(12 months) for Gold"), or
   * what holds it instead: a pending upgrade, an override ("held at Silver by a ceiling override …").
   */
  readonly up: string | null;
  /**
   * When the entity would drop ("drops to Silver below 50,000"), or what holds it instead: a
   * pending downgrade (the same tier and date as the lifecycle line), an override
   * ("held at Gold by a floor override until 2026-06-30; without it: Silver").
   */
  readonly down: string | null;
  /** The lifecycle state (schemes with a lifecycle; null otherwise). */
  readonly lifecycle: LifecycleExplanation | null;
  readonly override: {
    readonly mode: string;
    readonly tier: string;
    readonly reason: string;
    readonly by: string;
    readonly expires: string | null;
  } | null;
  /**
   * The live grade an event made since the run (`tierwise serve`'s events;
   * docs/serve.md), with a sentence saying when, after which event and, for
   * a population-relative scheme, against which run's stored cut-offs.
   */
  readonly live?: {
    readonly tier: string | null;
    readonly asOf: string;
    readonly at: string;
    readonly event: string;
    readonly cutoffsRun: number | null;
    readonly text: string;
  };
}

export interface Explanation {
  readonly entityId: string;
  readonly runId: number;
  readonly asOf: string;
  /** Set when the store's data changed since the run (values are recomputed on today's data). */
  readonly dataChanged: boolean;
  readonly schemes: readonly SchemeExplanation[];
  /** The run's policy locale and currency: the text rendering formats every number in them. */
  readonly locale: string;
  readonly currency: string;
  /** What the CLV model behind p_alive, expected_orders and clv values warned of (e.g. weakly identified); empty otherwise. */
  readonly clvWarnings: readonly string[];
}

const fmt = (n: number, locale: string) => formats(locale).number(n);

function distances(plan: SchemePlan, rank: number | null, value: number | null, score: number | null, locale: string) {
  if (rank === null) return { up: null, down: null };
  const above = rank > 1 ? plan.tiers[rank - 2] : undefined;
  const below = rank < plan.tiers.length ? plan.tiers[rank] : undefined;
  if (plan.kind === "thresholds" && value !== null) {
    const upper = plan.bounds[rank - 2];
    const own = plan.bounds[rank - 1];
    const need = upper?.min ?? upper?.above;
    const up =
      above && need !== undefined
        ? `needs ${fmt(need - value + (upper?.above !== undefined ? 0.01 : 0), locale)} more ${plan.metric.text} for ${above}`
        : null;
    const ownBound = own?.keep ?? own?.min ?? own?.above;
    const retention = own?.keep !== undefined ? " (its retention threshold)" : "";
    const down =
      below && ownBound !== undefined
        ? `drops to ${below} ${own?.above !== undefined && own.keep === undefined ? "at or below" : "below"} ${fmt(ownBound, locale)}${retention}`
        : null;
    return { up, down };
  }
  if (plan.kind === "scorecard" && plan.grading.by === "score" && score !== null) {
    const upper = plan.grading.bounds[rank - 2]?.min;
    const own = plan.grading.bounds[rank - 1]?.min;
    return {
      up: above && upper !== undefined ? `needs ${fmt(upper - score, locale)} more score points for ${above}` : null,
      down: below && own !== undefined ? `drops to ${below} below a score of ${fmt(own, locale)}` : null,
    };
  }
  if (plan.kind === "rules" && above) {
    const rules = plan.rules.filter((r) => r.tier === above).map((r) => r.when.text);
    return { up: rules.length ? `reaches ${above} when ${rules.join(" or ")}` : null, down: null };
  }
  return { up: null, down: null };
}

/**
 * The distance lines told as what actually moves the entity: a binding override holds the tier
 * whatever the value ("held at Gold by a floor override until 2026-06-30; without it: Silver"),
 * and a lifecycle's pending move or `never` replaces the value's distance on its side, naming
 * the same tier and date as the lifecycle line (one story per grade).
 */
function heldDistances(
  plan: SchemePlan,
  base: { up: string | null; down: string | null },
  tier: string | null,
  ruleId: string | null,
  held: string | null,
  state: Omit<LifecycleExplanation, "text"> | null,
  override: { readonly expires: string | null } | null,
  locale: string,
): { up: string | null; down: string | null } {
  if (tier === null) return base;
  const rankOf = (t: string | null) => (t === null ? -1 : plan.tiers.indexOf(t));
  // The lifecycle's story of the tier underneath (the held tier, before any override).
  const life = state && held !== null ? lifecycleDistances(plan, held, state, locale) : {};
  // A move the value makes waits for the lifecycle's timing (grace, period end, N evaluations).
  const timed = (line: string | null, direction: "up" | "down") =>
    line === null ? null : `${line}${lifecycleTiming(plan, direction)}`;
  const valueUp = timed(base.up, "up");
  const valueDown = timed(base.down, "down");
  const mode = ruleId?.startsWith("override:") ? ruleId.slice("override:".length) : null;
  if (mode === null) return { up: life.up ?? valueUp, down: life.down ?? valueDown };
  // The override of the run; `override` is the one in force now (none: removed since the run).
  const until = override ? `until ${override.expires ?? "it is removed"}` : "(removed since this run)";
  const holds = `held at ${tier} by a ${mode} override ${until}; without it: ${held ?? "not graded"}`;
  const above = rankOf(tier) > 0 ? holds : null;
  const below = rankOf(tier) < plan.tiers.length - 1 ? holds : null;
  if (mode === "floor") return { up: valueUp, down: below };
  if (mode === "ceiling") {
    // Underneath, a pending downgrade to a tier below the ceiling moves the entity too.
    const pendingBelow = state?.pendingTier && rankOf(state.pendingTier) > rankOf(tier) ? life.down : undefined;
    return { up: above, down: pendingBelow ?? valueDown };
  }
  return { up: above, down: below };
}

function reasonOf(
  plan: SchemePlan,
  ruleId: string | null,
  tier: string | null,
  score: number | null,
  locale: string,
): string {
  if (tier === null)
    return plan.population ? `out of scope: not in the population (${plan.population.text})` : "no tier";
  if (ruleId?.startsWith("override:")) return `override (${ruleId.slice(9)}) in force`;
  if (ruleId === "lifecycle") return "held by the scheme's lifecycle rules (see lifecycle)";
  switch (plan.kind) {
    case "rules": {
      if (ruleId === "otherwise") return plan.otherwise?.reason ?? "no rule matched";
      const rule = plan.rules.find((r) => r.id === ruleId);
      return rule ? `${rule.reason} (rule ${rule.id}: ${rule.when.text})` : `rule ${ruleId}`;
    }
    case "thresholds":
      return `${plan.metric.text} = ${score === null ? "none" : fmt(score, locale)}`;
    case "scorecard":
      return `score ${score === null ? "none" : fmt(score, locale)} of 100`;
    case "pareto":
      return `${plan.metric.text} = ${score === null ? "none" : fmt(score, locale)}, ranked by cumulative share`;
    case "quantiles":
      return `${plan.metric.text} = ${score === null ? "none" : fmt(score, locale)}, ranked among the population`;
    case "rfm": {
      const s = Math.round(score ?? 0);
      return `R${Math.floor(s / 100)} F${Math.floor(s / 10) % 10} M${s % 10}`;
    }
  }
}

/** The score an explain row recomputed (its other columns are the policy's values, read by name). */
const scoreOf = ({ score }: Readonly<Record<string, unknown>>): unknown => score;

const asValue = (v: unknown): number | boolean | null =>
  v === null || v === undefined ? null : typeof v === "boolean" ? v : Number(v);

/** One scheme's explanation row of an entity (the columns of `explainFor`), or undefined outside its population. */
export type ExplainRow = Readonly<Record<string, unknown>> | undefined;

/**
 * Where explain's per-scheme rows come from: computed for the one call
 * (`recompute`, the command) or read from tables a server keeps per run and
 * data (src/insight/explain-cache.ts). Either way the rows are the columns
 * of the compiled scheme's explain SQL for the run's as-of and policy.
 */
export interface ExplainRows {
  /** The latest run, when the source keeps it (else it is read: `findRun`). */
  latestRun?(engine: Engine): Promise<StoredRun>;
  /** The overrides not removed of the entity, when the source keeps them (else they are read). */
  overrides?(engine: Engine, entityId: string): Promise<readonly OverrideRow[]>;
  /** Make the rows of these schemes readable; `release` once read. */
  open(
    engine: Engine,
    stored: StoredRun,
    plan: PolicyPlan,
    schemes: readonly SchemePlan[],
    entityId: string,
  ): Promise<OpenExplainRows>;
}

export interface OpenExplainRows {
  /** The compiled schemes, in the order of the schemes asked for. */
  readonly schemes: readonly CompiledScheme[];
  /** The entity's rows of the run's snapshot (tw_assignments), one per scheme that graded it. */
  readonly assigned: readonly EntityAssignmentRow[];
  /** What the CLV model behind the facts warned of. */
  readonly clvWarnings: readonly string[];
  /** The store's data fingerprint now. */
  readonly fingerprint: string;
  row(s: CompiledScheme): Promise<ExplainRow>;
  release(): Promise<void>;
}

/** The command's way: the facts and each scheme's row computed for this call, dropped after. */
export const recompute: ExplainRows = {
  async open(engine, stored, plan, schemes, entityId) {
    const assigned = await engine.query(assignmentsOfEntitySql(stored.runId, entityId));
    const { compiled } = await compileFor(engine, { ...plan, schemes }, stored.asOf);
    const release = () => dropAll(engine, compiled).catch(() => undefined);
    try {
      const clvWarnings = await prepareFacts(engine, compiled, plan, stored.asOf);
      for (const f of compiled.facts) await engine.exec(createTempSql(f.table, f.query));
      const fingerprint = (await engine.query(fingerprintSql()))[0]?.fp ?? "";
      return {
        schemes: compiled.schemes,
        assigned,
        clvWarnings,
        fingerprint,
        row: async (s) => (await engine.query(s.explainFor(entityId)))[0],
        release,
      };
    } catch (error) {
      await release();
      throw error;
    }
  },
};

/** One scheme's explanation from its row, the entity's assignment in the run and the override in force now. */
function explainScheme(
  s: CompiledScheme,
  row: ExplainRow,
  a: EntityAssignmentRow | undefined,
  o: OverrideRow | undefined,
  locale: string,
): SchemeExplanation {
  const tier = a ? a.tier : null;
  const rank = a ? a.tier_rank : null;
  const score = asValue(a?.score ?? (row ? scoreOf(row) : undefined)) as number | null;
  const direct = s.explainLabels.length - s.explainFromCount;
  const column = (k: number) => (k < direct ? `e_${k + 1}` : `x_${k - direct + 1}`);
  const values = row ? s.explainLabels.map((label, k) => ({ label, value: asValue(row[column(k)]) })) : [];
  const ruleId = a ? a.rule_id : null;
  const firstValue = s.plan.kind === "thresholds" ? (values[0]?.value as number | null) : null;
  const held = a?.natural_tier ?? tier;
  const overrideOf = o
    ? {
        mode: o.mode,
        tier: o.tier,
        reason: o.reason,
        by: o.created_by,
        expires: o.expires_at || null,
      }
    : null;
  const state =
    s.plan.lifecycle && a && held !== null
      ? {
          state: a.life_state,
          qualifiedTier: a.qualified_tier,
          pendingTier: a.pending_tier,
          dueOn: a.due_on,
          enteredOn: a.entered_on,
          belowCount: a.below_count ?? 0,
        }
      : null;
  return {
    scheme: s.plan.name,
    kind: s.plan.kind,
    tier,
    rank,
    ruleId,
    reason: reasonOf(s.plan, ruleId, tier, score, locale),
    score,
    naturalTier: a?.natural_tier ?? null,
    flags: a?.flags ?? null,
    values,
    ...heldDistances(
      s.plan,
      distances(s.plan, rank, firstValue, score, locale),
      tier,
      ruleId,
      held,
      state,
      overrideOf,
      locale,
    ),
    lifecycle:
      state && held !== null ? { ...state, text: lifecycleSentence(s.plan, held, state, firstValue, locale) } : null,
    override: overrideOf,
  };
}

/**
 * Why an entity has its tiers in a run (default: the latest): for each
 * scheme the tier, the rule or score that placed it, the metric values, the
 * distance to the tier above and below, and any override in force. Values
 * are recomputed from the store for the run's as-of date and policy (or
 * read where `rows` keeps them: the same values).
 */
export async function explain(
  engine: Engine,
  entityId: string,
  options: {
    runId?: number;
    scheme?: string;
    /** Only a customer's id: another (a lead's) is `UNKNOWN_ENTITY` "no customer with id …" (the server's route). */
    customersOnly?: boolean;
  } = {},
  rows: ExplainRows = recompute,
): Promise<Explanation> {
  const stored =
    options.runId === undefined && rows.latestRun ? await rows.latestRun(engine) : await findRun(engine, options.runId);
  const plan = planOf(stored);
  const found = (await engine.query(entityKindsSql(entityId)))[0];
  const kinds = { customers: (found?.customers ?? 0) > 0, leads: (found?.leads ?? 0) > 0 };
  if (options.customersOnly && !kinds.customers) throw await unknownEntity(engine, ["customers"], entityId, "customer");
  const named = plan.schemes.filter((s) => options.scheme === undefined || s.name === options.scheme);
  const schemes = named.filter((s) => kinds[s.entity]);
  if (options.scheme !== undefined && named.length === 0) {
    throw new TierwiseError(
      "UNKNOWN_SCHEME",
      { scheme: options.scheme, where: `run ${stored.runId}` },
      undefined,
      `schemes: ${plan.schemes.map((s) => s.name).join(", ")}`,
    );
  }
  if (schemes.length === 0) {
    const leadsOnly = named.every((x) => x.entity === "leads");
    const tables = [...new Set(named.map((x) => x.entity))];
    throw await unknownEntity(engine, tables, entityId, leadsOnly ? "lead" : "customer");
  }
  const open = await rows.open(engine, stored, plan, schemes, entityId);
  const out: SchemeExplanation[] = [];
  try {
    const overrides = rows.overrides
      ? await rows.overrides(engine, entityId)
      : await engine.query(activeOverridesSql({ entityId }));
    for (const s of open.schemes) {
      const a = open.assigned.find((x) => x.scheme === s.plan.name);
      const o = overrides.find((x) => x.scheme === s.plan.name);
      out.push(explainScheme(s, await open.row(s), a, o, plan.locale));
    }
    if (out.length === 0) {
      const entity = schemes.some((x) => x.entity === "customers") ? "customer" : "lead";
      throw new TierwiseError("UNKNOWN_ENTITY", {
        entity,
        id: entityId.length > 80 ? `${entityId.slice(0, 80)}…` : entityId,
      });
    }
    // Live grades events made on top of this run (tierwise serve): said per scheme.
    const live = await engine.query(liveGradesOfSql(stored.runId, entityId));
    const withLive = out.map((x): SchemeExplanation => {
      const l = live.find((g) => g.scheme === x.scheme);
      if (!l) return x;
      const against = l.cutoffs_run === null ? "" : `, graded against the cut-offs stored with run ${l.cutoffs_run}`;
      const event = `${l.event_table} ${l.event_id}`;
      return {
        ...x,
        live: {
          tier: l.tier,
          asOf: l.as_of,
          at: l.made_at.slice(0, 19),
          event,
          cutoffsRun: l.cutoffs_run,
          text: `now ${l.tier ?? "out of scope"} (live as of ${l.as_of}, after ${event} at ${l.made_at.slice(0, 19)}${against})`,
        },
      };
    });
    return {
      entityId,
      runId: stored.runId,
      asOf: stored.asOf,
      dataChanged: open.fingerprint !== stored.dataFingerprint,
      schemes: withLive,
      locale: plan.locale,
      currency: plan.currency,
      clvWarnings: open.clvWarnings,
    };
  } finally {
    await open.release();
  }
}

/** The checked plan of a run's recorded policy, kept per policy text (parsing it costs more than a lookup). */
const plans = new Map<string, PolicyPlan>();
function planOf(stored: StoredRun): PolicyPlan {
  let plan = plans.get(stored.policyText);
  if (!plan) {
    plan = planFromText(stored.policyText);
    if (plans.size >= 16) plans.clear();
    plans.set(stored.policyText, plan);
  }
  return plan;
}
