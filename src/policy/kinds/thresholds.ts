import type { ThresholdsScheme } from "../../plan/policy.js";
import { withinPolicyNumber } from "../bounds.js";
import { isMoney, scaled } from "../money.js";
import type { SchemeFile } from "../schema.js";
import { checkDescending, type KindChecker } from "./kind.js";

type Raw = Extract<SchemeFile, { kind: "thresholds" }>;

/** `thresholds`: ordered tiers by minimum values of one metric (value-grades). */
export const checkThresholds: KindChecker<Raw> = (raw, ctx, path, common) => {
  const metric = ctx.expression(raw.metric, [...path, "metric"], common.entity, "number");
  raw.tiers.forEach((t, i) => {
    if (t.min !== undefined && t.above !== undefined) {
      ctx.report("policy.min-and-above", { tier: t.name }, [...path, "tiers", i], "keep one");
    }
  });
  raw.tiers.forEach((t, i) => {
    if (t.keep === undefined) return;
    const entry = t.min ?? t.above;
    if (entry === undefined) ctx.report("policy.keep-without-entry", { tier: t.name }, [...path, "tiers", i, "keep"]);
    else if (t.keep > entry)
      ctx.report(
        "policy.keep-above-entry",
        { tier: t.name, keep: t.keep, entry },
        [...path, "tiers", i, "keep"],
        "a retention bound is at or below the entry bound (enter at 50000, keep at 40000)",
      );
  });
  const bound = (i: number) => raw.tiers[i]?.min ?? raw.tiers[i]?.above;
  checkDescending(ctx, path, raw.tiers, bound, "min or above", (i) => raw.tiers[i]?.above !== undefined);
  if (!metric) return undefined;
  const money = isMoney(metric.expression, ctx.customMoney);
  const s = (v: number | undefined) => (v === undefined ? undefined : money ? scaled(v, ctx.scale) : v);
  raw.tiers.forEach((t, i) => {
    for (const key of ["min", "above", "keep"] as const) {
      const v = t[key];
      const result = s(v);
      if (v !== undefined && result !== undefined && !withinPolicyNumber(result))
        ctx.report("policy.bound-scaled-too-large", { value: v, scale: ctx.scale, result }, [...path, "tiers", i, key]);
    }
  });
  // A notice's distance is in the metric's units: money follows `scale` as the bounds do.
  const within = common.notices?.upgradeWithin;
  const notices =
    within?.kind === "amount" && money
      ? { ...common.notices, upgradeWithin: { kind: "amount" as const, value: scaled(within.value, ctx.scale) } }
      : common.notices;
  const plan: ThresholdsScheme = {
    ...common,
    ...(notices ? { notices } : {}),
    kind: "thresholds",
    metric,
    bounds: raw.tiers.map((t) => {
      const min = s(t.min);
      const above = s(t.above);
      const keep = s(t.keep);
      return {
        tier: t.name,
        ...(min !== undefined ? { min } : {}),
        ...(above !== undefined ? { above } : {}),
        ...(keep !== undefined ? { keep } : {}),
      };
    }),
  };
  return plan;
};
