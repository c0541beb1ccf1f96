import type { CheckContext } from "../check-context.js";
import type { YamlPath } from "../source-map.js";

/**
 * Share bounds (percent) must rise from the top tier down, and only the last
 * tier may have none (it takes the rest); a last tier with a bound leaves
 * entities without a tier.
 */
export function checkAscendingShares<T extends { readonly name: string }>(
  ctx: CheckContext,
  path: YamlPath,
  tiers: readonly T[],
  share: (t: T) => number | undefined,
  key: string,
): void {
  let previous = 0;
  tiers.forEach((t, i) => {
    const v = share(t);
    const last = i === tiers.length - 1;
    if (v === undefined) {
      if (!last) {
        const next = tiers[i + 1]?.name ?? "";
        ctx.report(
          "POLICY_UNREACHABLE_TIER",
          `tier \`${next}\` is unreachable: \`${t.name}\` above it has no ${key} and takes the rest`,
          [...path, "tiers", i + 1],
        );
      }
      return;
    }
    if (last) {
      ctx.report(
        "POLICY_BOUNDS",
        `the last tier \`${t.name}\` must take the rest`,
        [...path, "tiers", i, key],
        `remove ${key}`,
      );
    }
    if (v <= previous) {
      ctx.report(
        "POLICY_UNREACHABLE_TIER",
        `tier \`${t.name}\` is unreachable: its ${key} ${v} is not above the ${previous} of the tier above`,
        [...path, "tiers", i, key],
      );
    }
    previous = Math.max(previous, v);
  });
}
