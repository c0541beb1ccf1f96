import type { DowngradeTiming, LifecyclePlan } from "../plan/policy.js";
import type { SchemeFile } from "./schema.js";

type RawLifecycle = NonNullable<SchemeFile["lifecycle"]>;

/** The lifecycle every field of which is left out: upgrades and downgrades at once, no grace, no minimum stay. */
export const DEFAULT_LIFECYCLE: LifecyclePlan = {
  period: "year",
  upgrade: "immediate",
  downgrade: { kind: "immediate" },
  graceDays: 0,
  minimumStayDays: 0,
};

function downgradeTiming(text: string | undefined): DowngradeTiming {
  if (text === undefined || text === "immediate") return { kind: "immediate" };
  if (text === "never") return { kind: "never" };
  if (text === "period end") return { kind: "period-end" };
  // The schema admits only `after N evaluation(s)` besides the words above.
  return { kind: "after", evaluations: Number(text.split(" ")[1]) };
}

/**
 * A scheme's lifecycle plan: from its `lifecycle:` block, or the defaults
 * when only retention bounds (`keep`) ask for one; none otherwise.
 */
export function lifecyclePlan(raw: RawLifecycle | undefined, hasRetention: boolean): LifecyclePlan | undefined {
  if (raw === undefined) return hasRetention ? DEFAULT_LIFECYCLE : undefined;
  return {
    period: raw.period ?? DEFAULT_LIFECYCLE.period,
    upgrade: raw.upgrade === "next period" ? "next-period" : "immediate",
    downgrade: downgradeTiming(raw.downgrade),
    graceDays: raw.grace_days ?? 0,
    minimumStayDays: raw.minimum_stay_days ?? 0,
    ...(raw.downgrade_to === "one tier down" ? { downgradeTo: "one-tier" as const } : {}),
    ...(raw.anchor === "anniversary" ? { anchor: "anniversary" as const } : {}),
  };
}
