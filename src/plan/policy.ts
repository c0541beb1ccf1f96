import type { AlertPlan } from "./alert.js";
import type { CalendarUnit, CheckedExpression } from "./expression.js";
import type { Entity } from "./metrics.js";
import type { PlaybookPlan } from "./playbook.js";

/**
 * A checked policy: plain, serialisable data between the policy file and
 * SQL. Every expression is type-checked; every name is bound; thresholds are
 * already multiplied by the policy's `scale`. Scheme kinds are a
 * discriminated union on `kind`.
 */
export interface PolicyPlan {
  readonly version: 1;
  readonly currency: string;
  readonly scale: number;
  readonly timeZone: string;
  readonly locale: string;
  /** The window of the "revenue" column in run tables (default 12 months). */
  readonly revenueMonths: number;
  /** The data mapping file the policy names (as written; relative to the policy file), used by `ingest --policy`. */
  readonly mapping?: string;
  readonly metrics: readonly CustomMetricPlan[];
  readonly schemes: readonly SchemePlan[];
  /** Webhooks that receive tier-change events (policy `webhooks:`). */
  readonly webhooks?: readonly WebhookPlan[];
  /** When a customer has turned (policy `churn:`); absent in plans stored before it existed: the defaults apply. */
  readonly churn?: ChurnPlan;
  /** The buying model of the CLV metrics (absent: DEFAULT_CLV). */
  readonly clv?: ClvPlan;
  /** Conditions that add alert events to the outbox (policy `alerts:`); absent when there are none. */
  readonly alerts?: readonly AlertPlan[];
}

/** The buying model behind `p_alive`, `expected_orders(h)` and `clv(h)` (policy `clv:`; docs/clv.md). */
export interface ClvPlan {
  readonly model: "bgnbd" | "pareto-nbd";
  readonly timeUnit: "day" | "week";
  /** Per year. */
  readonly discountRate: number;
  /** Share of spend that is margin. */
  readonly margin: number;
  /** `weak`: fit a posteriori with weak priors (docs/clv.md, Priors); absent means none. */
  readonly prior?: "none" | "weak";
  /** Leave repeat buyers whose repeat purchases are worth ≤ 0 out of Gamma-Gamma; absent means false. */
  readonly excludeNonpositive?: boolean;
}

export const DEFAULT_CLV: ClvPlan = { model: "bgnbd", timeUnit: "week", discountRate: 0.1, margin: 1 };

/** A customer has turned after max(days, k × their median days between orders) without a completed order. */
export interface ChurnPlan {
  readonly days: number;
  readonly k: number;
  /** With the CLV model on: also turned once the BG/NBD probability of being alive falls below this. */
  readonly pAlive?: number;
}

/** A webhook: where events go; the secret stays in the named environment variable (never in the plan). */
export interface WebhookPlan {
  readonly url: string;
  readonly secretEnv: string;
}

/** A named expression the policy defines and schemes use like a built-in metric. */
export interface CustomMetricPlan {
  readonly name: string;
  readonly expression: CheckedExpression;
  /** Canonical text, for explanations. */
  readonly text: string;
}

export type Visibility = "internal" | "customer-facing";

/** A condition with its canonical text (for explanations). */
export interface Condition {
  readonly expression: CheckedExpression;
  readonly text: string;
}

/** What every scheme has, whatever its kind. */
export interface SchemeCommon {
  readonly name: string;
  readonly entity: Entity;
  readonly visibility: Visibility;
  readonly description?: string;
  /** Who is graded; everyone else is out of scope. */
  readonly population?: Condition;
  /** Tier names in rank order: rank 1 (the first) is the top tier. */
  readonly tiers: readonly string[];
  /** How tiers are kept between runs (absent: every run grades afresh). */
  readonly lifecycle?: LifecyclePlan;
  /** Per tier (in tier order, only tiers that have one): service level, rep level, benefits, campaigns. */
  readonly playbooks?: readonly PlaybookPlan[];
  /** Notice events into the outbox (policy `notices:`; absent: none). */
  readonly notices?: NoticesPlan;
}

/**
 * Notices to members (thresholds schemes): `upgradeWithin` — an
 * upgrade-approaching event when the metric is this close below the next
 * tier's bound (`amount`: in the metric's units, money already times
 * `scale`; `percent`: of that bound); `downgradePending` — a
 * downgrade-pending event when the lifecycle holds a downgrade back.
 */
export interface NoticesPlan {
  readonly upgradeWithin?: { readonly kind: "amount" | "percent"; readonly value: number };
  readonly downgradePending?: true;
}

/** When a downgrade takes effect once an entity no longer holds its tier's retention bound. */
export type DowngradeTiming =
  | { readonly kind: "immediate" }
  | { readonly kind: "never" }
  | { readonly kind: "period-end" }
  | { readonly kind: "after"; readonly evaluations: number };

/**
 * Lifecycle rules, evaluated against the entity's state in the scheme's
 * previous snapshot (the latest run of the scheme with an earlier as-of):
 * upgrades at once or at the next calendar period boundary; downgrades to
 * the tier whose retention bound still holds, never, at a period boundary,
 * or after N evaluations in a row below, and only once the grace days since
 * the first evaluation below and the minimum stay in the tier have passed.
 */
export interface LifecyclePlan {
  /** Calendar period of `next-period` upgrades and `period-end` downgrades (policy time zone). */
  readonly period: CalendarUnit;
  readonly upgrade: "immediate" | "next-period";
  readonly downgrade: DowngradeTiming;
  readonly graceDays: number;
  readonly minimumStayDays: number;
  /**
   * `one-tier`: a downgrade goes one tier down per evaluation (a member two tiers below
   * the held tier's retention drops one now, the next at a later run); absent: straight
   * to the highest tier whose retention bound holds.
   */
  readonly downgradeTo?: "one-tier";
  /**
   * `anniversary`: the boundaries of `next-period` upgrades and `period-end`
   * downgrades are each entity's own, whole periods from the day it entered the
   * tier it holds; absent: calendar periods.
   */
  readonly anchor?: "anniversary";
}

/** Ordered tiers by minimum values of one metric; the last tier may be "everyone else". */
export interface ThresholdsScheme extends SchemeCommon {
  readonly kind: "thresholds";
  readonly metric: Condition;
  /**
   * Per tier in rank order: `min` (value ≥ min), `above` (value > above), or
   * neither (everyone else); `keep` (value ≥ keep) is the retention bound a
   * tier's holder must stay at or above (default: the entry bound).
   */
  readonly bounds: readonly {
    readonly tier: string;
    readonly min?: number;
    readonly above?: number;
    readonly keep?: number;
  }[];
}

export interface RulePlan {
  /** Stable id, e.g. `tier-1.complaint-abuse`. */
  readonly id: string;
  readonly reason: string;
  readonly when: Condition;
}

/** Ordered conditions: the first matching rule wins. */
export interface RulesScheme extends SchemeCommon {
  readonly kind: "rules";
  /** Rules in evaluation order, each naming its tier. */
  readonly rules: readonly (RulePlan & { readonly tier: string })[];
  /** Tier and reason of entities no rule matched (absent: they are out of scope). */
  readonly otherwise?: { readonly tier: string; readonly reason: string };
}

export type Normalise =
  | { readonly method: "value" }
  | { readonly method: "percentile" }
  | { readonly method: "min-max" }
  | { readonly method: "linear-clamp"; readonly from: number; readonly to: number }
  | { readonly method: "bands"; readonly bands: readonly { readonly min: number; readonly points: number }[] };

export type MissingPolicy =
  | { readonly policy: "score"; readonly score: number; readonly flag: boolean }
  | { readonly policy: "exclude" };

export interface IndicatorPlan {
  readonly name: string;
  readonly value: Condition;
  readonly weight: number;
  readonly normalise: Normalise;
  readonly missing: MissingPolicy;
}

export type Grading =
  | { readonly by: "score"; readonly bounds: readonly { readonly tier: string; readonly min?: number }[] }
  | { readonly by: "quantiles"; readonly bounds: readonly { readonly tier: string; readonly top?: number }[] };

/** Weighted indicators normalised to 0..100, combined into a score and graded. */
export interface ScorecardScheme extends SchemeCommon {
  readonly kind: "scorecard";
  readonly indicators: readonly IndicatorPlan[];
  readonly grading: Grading;
  /** Entities matching `when` are scored on the one named indicator alone. */
  readonly alone?: { readonly when: Condition; readonly indicator: string };
}

/** ABC: classes by cumulative share of a value, highest first; ties go to the higher class. */
export interface ParetoScheme extends SchemeCommon {
  readonly kind: "pareto";
  readonly metric: Condition;
  /** `upTo` is the cumulative share in percent the class reaches; the last class has none. */
  readonly bounds: readonly { readonly tier: string; readonly upTo?: number }[];
}

/** Top x % by a metric; ties go to the higher tier. */
export interface QuantilesScheme extends SchemeCommon {
  readonly kind: "quantiles";
  readonly metric: Condition;
  readonly bounds: readonly { readonly tier: string; readonly top?: number }[];
}

/** Recency, frequency and monetary quintile scores and named segments by R and F. */
export interface RfmScheme extends SchemeCommon {
  readonly kind: "rfm";
  /** Days since the last order: lower is better. */
  readonly recency: Condition;
  readonly frequency: Condition;
  readonly monetary: Condition;
  readonly segments: readonly {
    readonly tier: string;
    readonly r: readonly [number, number];
    readonly f: readonly [number, number];
  }[];
}

export type SchemePlan = ThresholdsScheme | RulesScheme | ScorecardScheme | ParetoScheme | QuantilesScheme | RfmScheme;

export type SchemeKind = SchemePlan["kind"];
