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

/** "unless spend(12 months) reaches 40,000" for thresholds (the held tier's retention bound); "" otherwise. */
function unless(plan: SchemePlan, tier: string, locale: string): string {
  if (plan.kind !== "thresholds") return "";
  const b = plan.bounds.find((x) => x.tier === tier);
  if (b?.keep !== undefined) return ` unless ${plan.metric.text} reaches ${fmt(b.keep, locale)}`;
  if (b?.min !== undefined) return ` unless ${plan.metric.text} reaches ${fmt(b.min, locale)}`;
  if (b?.above !== undefined) return ` unless ${plan.metric.text} rises above ${fmt(b.above, locale)}`;
  return "";
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
      const when = s.dueOn
        ? `due on ${s.dueOn}`
        : plan.lifecycle?.downgrade.kind === "after"
          ? `after ${plan.lifecycle.downgrade.evaluations - s.belowCount} more evaluation${plan.lifecycle.downgrade.evaluations - s.belowCount === 1 ? "" : "s"} below`
          : "pending";
      return `downgrade to ${s.pendingTier} ${when}${unless(plan, tier, locale)}${since}`;
    }
    case "downgrade-never":
      return `kept ${tier}: this scheme never downgrades (the rules alone give ${s.qualifiedTier})${since}`;
    case "upgrade-pending":
      return `upgrade to ${s.pendingTier} due on ${s.dueOn}, the start of the next period, if still qualified then`;
    case "downgraded":
      return `downgraded to ${tier}: below the retention threshold of the tier held before, after any grace and minimum stay`;
    default:
      return s.enteredOn ? `in ${tier} since ${s.enteredOn}` : `in ${tier}`;
  }
}
