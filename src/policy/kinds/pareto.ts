import type { ParetoScheme } from "../../plan/policy.js";
import type { SchemeFile } from "../schema.js";
import type { KindChecker } from "./kind.js";
import { checkAscendingShares } from "./shares.js";

type Raw = Extract<SchemeFile, { kind: "pareto" }>;

/** `pareto`: ABC classes by cumulative share of a value (abc). */
export const checkPareto: KindChecker<Raw> = (raw, ctx, path, common) => {
  const metric = ctx.expression(raw.metric, [...path, "metric"], common.entity, "number");
  checkAscendingShares(ctx, path, raw.tiers, (t) => t.up_to, "up_to");
  if (!metric) return undefined;
  const plan: ParetoScheme = {
    ...common,
    kind: "pareto",
    metric,
    bounds: raw.tiers.map((t) => ({ tier: t.name, ...(t.up_to !== undefined ? { upTo: t.up_to } : {}) })),
  };
  return plan;
};
