import { formats } from "../format/formats.js";
import type { SchemePlan } from "../plan/policy.js";

/** A graded entity's lifecycle state in one run, as `explain` reports it. */
export interface LifecycleExplanation {
  /** retained, downgrade-pending, downgrade-never, upgrade-pending, downgraded; null: the tier the rules give. */
  readonly state: string | null;
  /** The tier the scheme's rules alone give at this run. */
  readonly qualifiedTier: string | null;
  /** The tier a pending move leads to. */
  readonly pendingTier: string | null;
  /** When a pending move takes effect (null: not known, e.g. after N evaluations). */
  readonly dueOn: string | null;
  /** Since when the tier is held (null: before lifecycle state was kept). */
  readonly enteredOn: string | null;
  /** Evaluations in a row below the held tier's retention bound. */
  readonly belowCount: number;
  /** One plain sentence. */
  readonly text: string;
}

const fmt = (n: number, locale: string) => formats(locale).number(n);

/** "anniversary" (a year), "quarterly anniversary", "monthly anniversary". */
const anniversaryWord = (period: string) => (period === "year" ? "anniversary" : `${period}ly anniversary`);

/** "unless spend(12 months) reaches 40,000" for thresholds (the held tier's retention bound); "" otherwise. */
function unless(plan: SchemePlan, tier: string, locale: string): string {
  if (plan.kind !== "thresholds") return "";
  const b = plan.bounds.find((x) => x.tier === tier);
  if (b?.keep !== undefined) return ` unless ${plan.metric.text} reaches ${fmt(b.keep, locale)}`;
  if (b?.min !== undefined) return ` unless ${plan.metric.text} reaches ${fmt(b.min, locale)}`;
  if (b?.above !== undefined) return ` unless ${plan.metric.text} rises above ${fmt(b.above, locale)}`;
  return "";
}

/** When a pending downgrade takes effect: "on 2026-03-18", "after 1 more evaluation below", "" (not known). */
function whenDue(plan: SchemePlan, s: Omit<LifecycleExplanation, "text">): string {
  if (s.dueOn) return `on ${s.dueOn}`;
  if (plan.lifecycle?.downgrade.kind === "after") {
    const left = plan.lifecycle.downgrade.evaluations - s.belowCount;
    return `after ${left} more evaluation${left === 1 ? "" : "s"} below`;
  }
  return "";
}

/**
 * The distance lines the lifecycle state of a held `tier` sets, telling the same story as
 * `lifecycleSentence`: a pending downgrade drops to the pending tier (not the next tier down)
 * when it is due; a pending upgrade reaches its tier at the period start; `never` does not drop.
 * Sides the state says nothing about are left out (the value's distance stands).
 */
export function lifecycleDistances(
  plan: SchemePlan,
  tier: string,
  s: Omit<LifecycleExplanation, "text">,
  locale: string,
): { up?: string; down?: string } {
  switch (s.state) {
    case "downgrade-pending": {
      const when = whenDue(plan, s);
      return {
        down: `drops to ${s.pendingTier}${when ? ` ${when}` : ""} (a pending downgrade)${unless(plan, tier, locale)}`,
      };
    }
    case "downgrade-never":
      return { down: `does not drop: this scheme never downgrades (the rules alone give ${s.qualifiedTier})` };
    case "upgrade-pending":
      return { up: `upgrade to ${s.pendingTier} due on ${s.dueOn}, if still qualified then` };
    default:
      return plan.lifecycle?.downgrade.kind === "never" ? { down: "does not drop: this scheme never downgrades" } : {};
  }
}

/**
 * When the lifecycle lets a move the value makes happen, appended to a distance line:
 * ", after 45 days' grace", ", at the end of the quarter", ", at the start of the next quarter"; "" at once.
 */
export function lifecycleTiming(plan: SchemePlan, direction: "up" | "down"): string {
  const life = plan.lifecycle;
  if (!life) return "";
  const anniversary = life.anchor === "anniversary";
  if (direction === "up")
    return life.upgrade === "next-period"
      ? anniversary
        ? `, at the next ${anniversaryWord(life.period)} of entering the tier`
        : `, at the start of the next ${life.period}`
      : "";
  const parts: string[] = [];
  if (life.downgrade.kind === "after")
    parts.push(
      `after ${life.downgrade.evaluations} evaluation${life.downgrade.evaluations === 1 ? "" : "s"} in a row below`,
    );
  if (life.downgrade.kind === "period-end")
    parts.push(
      anniversary ? `at the ${anniversaryWord(life.period)} of entering the tier` : `at the end of the ${life.period}`,
    );
  if (life.graceDays > 0) parts.push(`after ${life.graceDays} days' grace`);
  if (life.minimumStayDays > 0) parts.push(`not before ${life.minimumStayDays} days in the tier`);
  return parts.length > 0 ? `, ${parts.join(", ")}` : "";
}

/** The sentence explaining why an entity holds `tier` (the lifecycle's tier, before any override). */
export function lifecycleSentence(
  plan: SchemePlan,
  tier: string,
  s: Omit<LifecycleExplanation, "text">,
  value: number | null,
  locale: string,
): string {
  const since = s.enteredOn ? ` (held since ${s.enteredOn})` : "";
  switch (s.state) {
    case "retained": {
      const b = plan.kind === "thresholds" ? plan.bounds.find((x) => x.tier === tier) : undefined;
      const detail =
        plan.kind === "thresholds" && b?.keep !== undefined && value !== null
          ? `: ${plan.metric.text} = ${fmt(value, locale)} is under the ${fmt(b.min ?? b.above ?? b.keep, locale)} to enter but at least the ${fmt(b.keep, locale)} to keep it`
          : "";
      return `kept ${tier} by the retention threshold${detail}${since}`;
    }
    case "downgrade-pending": {
      const when = s.dueOn ? `due on ${s.dueOn}` : whenDue(plan, s) || "pending";
      return `downgrade to ${s.pendingTier} ${when}${unless(plan, tier, locale)}${since}`;
    }
    case "downgrade-never":
      return `kept ${tier}: this scheme never downgrades (the rules alone give ${s.qualifiedTier})${since}`;
    case "upgrade-pending":
      return `upgrade to ${s.pendingTier} due on ${s.dueOn}, ${plan.lifecycle?.anchor === "anniversary" ? "the anniversary of entering the tier" : "the start of the next period"}, if still qualified then`;
    case "downgraded":
      return `downgraded to ${tier}: below the retention threshold of the tier held before, after any grace and minimum stay`;
    default:
      return s.enteredOn ? `in ${tier} since ${s.enteredOn}` : `in ${tier}`;
  }
}
