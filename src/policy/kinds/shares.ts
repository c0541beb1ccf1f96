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
        ctx.report("policy.tier-after-rest", { tier: next, above: t.name, bound: key }, [...path, "tiers", i + 1]);
      }
      return;
    }
    if (last) {
      ctx.report("policy.last-tier-takes-rest", { tier: t.name }, [...path, "tiers", i, key], `remove ${key}`);
    }
    if (v <= previous) {
      ctx.report("policy.share-not-above", { tier: t.name, bound: key, value: v, previous }, [
        ...path,
        "tiers",
        i,
        key,
      ]);
    }
    previous = Math.max(previous, v);
  });
}
