import type { SchemeCommon, SchemePlan } from "../../plan/policy.js";
import type { CheckContext } from "../check-context.js";
import type { YamlPath } from "../source-map.js";

/** The parts every scheme has, already checked. */
export type CommonPlan = SchemeCommon;

/** Checks one scheme kind's own keys and builds its plan (or reports and returns undefined). */
export type KindChecker<F> = (raw: F, ctx: CheckContext, path: YamlPath, common: CommonPlan) => SchemePlan | undefined;

/**
 * Bounds must strictly decrease from the top tier down; a tier without a
 * bound takes everyone else and may only be last. Reports unreachable tiers.
 * `value(i)` is the bound of tier i (undefined: none); `strictAbove(i)` says
 * whether it is exclusive (`above`), which makes it slightly higher.
 */
export function checkDescending(
  ctx: CheckContext,
  path: YamlPath,
  tiers: readonly { readonly name: string }[],
  value: (i: number) => number | undefined,
  what: string,
  strictAbove: (i: number) => boolean = () => false,
): void {
  tiers.forEach((tier, i) => {
    const v = value(i);
    if (v === undefined) {
      if (i < tiers.length - 1) {
        const next = tiers[i + 1]?.name ?? "";
        ctx.report(
          "policy.tier-after-catch-all",
          { tier: next, above: tier.name, bound: what },
          [...path, "tiers", i + 1],
          `give \`${tier.name}\` a ${what}, or move it last`,
        );
      }
      return;
    }
    for (let j = 0; j < i; j++) {
      const above = value(j);
      if (above === undefined) return;
      // At the same number only `min: v` under `above: v` is reachable (by the value v itself).
      const covered = v > above || (v === above && !(!strictAbove(i) && strictAbove(j)));
      if (covered) {
        const upper = tiers[j]?.name ?? "";
        ctx.report(
          "policy.tier-covered",
          { tier: tier.name, above: upper },
          [...path, "tiers", i],
          `a lower tier needs a ${what} below ${above}`,
        );
        return;
      }
    }
  });
}
