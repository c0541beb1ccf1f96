import type { QuantilesScheme } from "../../plan/policy.js";
import type { SchemeFile } from "../schema.js";
import type { KindChecker } from "./kind.js";
import { checkAscendingShares } from "./shares.js";

type Raw = Extract<SchemeFile, { kind: "quantiles" }>;

/** `quantiles`: top x % by a metric, cumulative from the top tier. */
export const checkQuantiles: KindChecker<Raw> = (raw, ctx, path, common) => {
  const metric = ctx.expression(raw.metric, [...path, "metric"], common.entity, "number");
  checkAscendingShares(ctx, path, raw.tiers, (t) => t.top, "top");
  if (!metric) return undefined;
  const plan: QuantilesScheme = {
    ...common,
    kind: "quantiles",
    metric,
    bounds: raw.tiers.map((t) => ({ tier: t.name, ...(t.top !== undefined ? { top: t.top } : {}) })),
  };
  return plan;
};
