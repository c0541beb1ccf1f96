import { didYouMean } from "../../errors/index.js";
import type { Grading, IndicatorPlan, Normalise, ScorecardScheme } from "../../plan/policy.js";
import type { SchemeFile } from "../schema.js";
import { checkDescending, type KindChecker } from "./kind.js";
import { checkAscendingShares } from "./shares.js";

type Raw = Extract<SchemeFile, { kind: "scorecard" }>;
type RawNormalise = Raw["indicators"][number]["normalise"];

function normalise(raw: RawNormalise): Normalise {
  if (raw === undefined || raw === "value") return { method: "value" };
  if (raw === "percentile" || raw === "min-max") return { method: raw };
  if ("linear-clamp" in raw) return { method: "linear-clamp", ...raw["linear-clamp"] };
  return { method: "bands", bands: [...raw.bands].sort((a, b) => b.min - a.min) };
}

/** `scorecard`: weighted indicators normalised to 0..100, graded by score or quantiles (b2b-scorecard). */
export const checkScorecard: KindChecker<Raw> = (raw, ctx, path, common) => {
  let failed = false;
  const indicators: IndicatorPlan[] = [];
  const seen = new Set<string>();
  raw.indicators.forEach((ind, i) => {
    const at = [...path, "indicators", i];
    if (seen.has(ind.name)) ctx.report("policy.indicator-twice", { indicator: ind.name }, [...at, "name"]);
    seen.add(ind.name);
    const value = ctx.expression(ind.value, [...at, "value"], common.entity, "number");
    const n = normalise(ind.normalise);
    if (n.method === "linear-clamp" && n.from === n.to) {
      ctx.report("policy.linear-clamp-range", {}, [...at, "normalise"]);
    }
    if (!value) {
      failed = true;
      return;
    }
    const missing =
      ind.missing === "exclude"
        ? { policy: "exclude" as const }
        : {
            policy: "score" as const,
            score: ind.missing?.score ?? 50,
            flag: ind.missing?.flag ?? true,
          };
    indicators.push({ name: ind.name, value, weight: ind.weight, normalise: n, missing });
  });
  const sum = raw.indicators.reduce((s, x) => s + x.weight, 0);
  if (Math.abs(sum - 1) > 1e-9) {
    const shown = Number(sum.toPrecision(10));
    ctx.report("policy.weights-sum", { sum: shown }, [...path, "indicators"], "adjust the weights so they add up to 1");
  }
  const by = raw.grade_by ?? (raw.tiers.some((t) => t.top !== undefined) ? "quantiles" : "score");
  let grading: Grading;
  if (by === "quantiles") {
    raw.tiers.forEach((t, i) => {
      if (t.min !== undefined) ctx.report("policy.quantiles-take-top", {}, [...path, "tiers", i, "min"]);
    });
    checkAscendingShares(ctx, path, raw.tiers, (t) => t.top, "top");
    grading = { by, bounds: raw.tiers.map((t) => ({ tier: t.name, ...(t.top !== undefined ? { top: t.top } : {}) })) };
  } else {
    raw.tiers.forEach((t, i) => {
      if (t.top !== undefined) ctx.report("policy.score-takes-min", {}, [...path, "tiers", i, "top"]);
    });
    checkDescending(ctx, path, raw.tiers, (i) => raw.tiers[i]?.min, "min");
    grading = { by, bounds: raw.tiers.map((t) => ({ tier: t.name, ...(t.min !== undefined ? { min: t.min } : {}) })) };
  }
  let alone: ScorecardScheme["alone"];
  if (raw.alone) {
    const names = raw.indicators.map((x) => x.name);
    if (!names.includes(raw.alone.indicator)) {
      ctx.report(
        "policy.alone-unknown-indicator",
        { indicator: raw.alone.indicator },
        [...path, "alone", "indicator"],
        didYouMean(raw.alone.indicator, names),
      );
      failed = true;
    }
    const when = ctx.expression(raw.alone.when, [...path, "alone", "when"], common.entity, "boolean");
    if (!when) failed = true;
    else alone = { when, indicator: raw.alone.indicator };
  }
  if (failed) return undefined;
  const plan: ScorecardScheme = { ...common, kind: "scorecard", indicators, grading, ...(alone ? { alone } : {}) };
  return plan;
};
