import type { Engine } from "../engine/engine.js";
import { didYouMean, TierwiseError } from "../errors/index.js";
import type { PolicyPlan, ThresholdsScheme } from "../plan/policy.js";
import { isMoney } from "../policy/money.js";
import { compileFor } from "../run/compile-for.js";
import { buildGrades, dropAll, prepareFacts, todayUtc } from "../run/run.js";
import {
  cumulativeSql,
  distributionSql,
  lowestAboveSql,
  lowestValueSql,
  quantileThresholdSql,
  type Taken,
} from "../sql/decisions/calibrate.js";
import type { CalibratedTier, CalibrateOptions, Calibration, CalibrationCore, Share } from "./calibration.js";
import { fileBound, patchText, writeCalibration } from "./calibration-file.js";
import {
  candidateBounds,
  chooseThresholds,
  type ExactThreshold,
  impossible,
  pct,
  proposeBounds,
  type ShareTarget,
} from "./threshold-choice.js";

export type { ShareMeasure } from "../sql/decisions/calibrate.js";
export type { Bound, CalibratedTier, CalibrateOptions, Calibration, Share } from "./calibration.js";
export type { ShareTarget } from "./threshold-choice.js";

/**
 * `"VIP=10%,Gold=20%"` → targets. The last `=` of each item separates the
 * tier name from its percent (`%` optional).
 */
export function parseShares(spec: string): ShareTarget[] {
  return spec
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .map((item) => {
      const at = item.lastIndexOf("=");
      const tier = item.slice(0, at).trim();
      const text = item
        .slice(at + 1)
        .trim()
        .replace(/%$/, "");
      const percent = Number(text);
      if (at <= 0 || text === "" || !Number.isFinite(percent))
        throw TierwiseError.of("option.target-syntax", { item: JSON.stringify(item) });
      return { tier, percent };
    });
}

function moneySet(plan: PolicyPlan): Set<string> {
  const money = new Set<string>();
  for (const m of plan.metrics) if (isMoney(m.expression, money)) money.add(m.name);
  return money;
}

function checkTargets(scheme: ThresholdsScheme, targets: readonly ShareTarget[]): void {
  const name = scheme.name;
  if (targets.length === 0) throw TierwiseError.of("option.no-targets", {});
  const seen = new Set<string>();
  for (const t of targets) {
    if (!scheme.tiers.includes(t.tier))
      throw new TierwiseError(
        "UNKNOWN_TIER",
        { scheme: name, tier: t.tier },
        undefined,
        didYouMean(t.tier, [...scheme.tiers]) ?? `tiers: ${scheme.tiers.join(", ")}`,
      );
    if (seen.has(t.tier)) throw TierwiseError.of("option.target-twice", { tier: t.tier });
    seen.add(t.tier);
    if (!(t.percent > 0 && t.percent < 100))
      throw impossible(name, `${t.tier}'s target ${t.percent}% is not between 0% and 100%`);
  }
  const sum = targets.reduce((n, t) => n + t.percent, 0);
  if (sum > 100 + 1e-9)
    throw impossible(name, `the targets sum to ${Number(sum.toFixed(6))}%, more than the whole`, "lower the shares");
  targets.forEach((t, i) => {
    const expected = scheme.tiers[i];
    if (t.tier !== expected) {
      const ranked = [...targets].sort((a, b) => scheme.tiers.indexOf(a.tier) - scheme.tiers.indexOf(b.tier));
      throw impossible(
        name,
        ranked[i]?.tier === expected
          ? `targets must follow the tier order, from ${scheme.tiers[0]} down`
          : `targets name the tiers from the top without gaps: ${expected} has none`,
        `e.g. ${scheme.tiers
          .slice(0, targets.length)
          .map((x) => `${x}=…%`)
          .join(",")}`,
      );
    }
    const bound = scheme.bounds[i];
    if (bound?.min === undefined && bound?.above === undefined)
      throw impossible(name, `${t.tier} takes everyone the tiers above leave: its share is what remains`);
  });
}

/**
 * Propose thresholds for a `thresholds` scheme so that its top tiers get
 * target shares of the customers (or of their revenue), rounded to numbers a
 * business would announce (`announceable`: of the grid points around the
 * exact threshold, the one whose share comes closer to the target). The
 * metric's distribution is computed in SQL (cumulative sums over the value,
 * highest first, ties together); nothing is written to the store. The
 * result shows each tier's current and proposed share of customers and of
 * revenue; `patch` is a small YAML file with the scheme's new bounds.
 *
 * Customers with nothing are never taken: with a money metric (or one never
 * negative) every proposed bound is above 0. A target that needs them gets
 * everyone with some value the tiers above left, and `notes` says the tier
 * falls short and why. The proposed counts are what a run of the proposed
 * bounds gives (never negative; they add up to the graded customers), and
 * `policyOut` writes the whole policy with them, checked to read back.
 *
 * Refuses (`CALIBRATION_IMPOSSIBLE`, saying which tier and why): shares
 * summing to more than 100%, targets not naming the tiers from the top in
 * order, a target on the tier that takes the rest, and targets that ties
 * make unreachable (customers with one value cannot be split by a threshold:
 * a target is refused when the nearest share a threshold can give is off by
 * more than half the tier's own target, or leaves the tier empty).
 *
 * @example
 * const c = await calibrate(store, plan, { scheme: "value-grades", by: "customers",
 *   targets: parseShares("VIP=10%,Gold=20%,Silver=30%"), patchOut: "value-grades.patch.yaml" });
 */
export async function calibrate(engine: Engine, policy: PolicyPlan, options: CalibrateOptions): Promise<Calibration> {
  const scheme = policy.schemes.find((s) => s.name === options.scheme);
  if (!scheme)
    throw new TierwiseError(
      "UNKNOWN_SCHEME",
      { scheme: options.scheme, where: "the policy" },
      undefined,
      didYouMean(
        options.scheme,
        policy.schemes.map((s) => s.name),
      ) ?? `schemes: ${policy.schemes.map((s) => s.name).join(", ")}`,
    );
  if (scheme.kind !== "thresholds")
    throw impossible(
      scheme.name,
      `it is a ${scheme.kind} scheme; calibrate proposes the bounds of a thresholds scheme`,
      scheme.kind === "quantiles" || scheme.kind === "pareto"
        ? `a ${scheme.kind} scheme's ${scheme.kind === "quantiles" ? "top" : "up_to"} values are shares already`
        : undefined,
    );
  checkTargets(scheme, options.targets);
  if (options.policyOut !== undefined && options.policyText === undefined)
    throw TierwiseError.of("option.policy-out-needs-text", {});
  const asOf = options.asOf ?? todayUtc();
  const money = isMoney(scheme.metric.expression, moneySet(policy));
  const fileValue = (v: number) => (money ? Number((v / policy.scale).toPrecision(12)) : v);
  // The scheme alone, graded by its rules (no lifecycle: calibration is about the bounds to enter a tier).
  const { lifecycle: _life, ...alone } = scheme;
  const { alerts: _alerts, ...rest } = policy;
  const plan: PolicyPlan = { ...rest, schemes: [alone] };
  const { compiled } = await compileFor(engine, plan, asOf);
  try {
    await prepareFacts(engine, compiled, plan, asOf);
    await buildGrades(engine, compiled, () => undefined);
    const table = compiled.schemes[0]?.gradesTable ?? "";
    const { calibration, proposedBounds } = await calibrateOn(engine, table, scheme, options, asOf, fileValue, money);
    await writeCalibration(options, scheme, calibration, proposedBounds, fileValue);
    return { ...calibration, locale: policy.locale, currency: policy.currency, money, scale: policy.scale };
  } finally {
    await dropAll(engine, compiled).catch(() => undefined);
  }
}

/** Calibrates on the grades table of the scheme alone: the queries, then the pure choices of threshold-choice.ts. */
async function calibrateOn(
  engine: Engine,
  table: string,
  scheme: ThresholdsScheme,
  options: CalibrateOptions,
  asOf: string,
  fileValue: (v: number) => number,
  money: boolean,
): Promise<{ calibration: CalibrationCore; proposedBounds: ThresholdsScheme["bounds"] }> {
  const name = scheme.name;
  const dist = await engine.query(distributionSql(table));
  const graded = dist.reduce((n, r) => n + r.entities, 0);
  const revenue = dist.reduce((n, r) => n + r.revenue, 0);
  const total = options.by === "customers" ? graded : revenue;
  if (total <= 0)
    throw impossible(name, options.by === "customers" ? "the scheme grades nobody" : "its customers have no revenue");

  const shown = scheme.metric.text;
  const lowest = (await engine.query(lowestValueSql(table)))[0]?.v;
  if (lowest === null || lowest === undefined) throw impossible(name, `no customer has a value of ${shown}`);
  // Customers with nothing (money, or a metric that is never negative, at 0 or below) are never
  // taken by a calibrated bound: every bound is strictly above this floor.
  const floor = money || lowest >= 0 ? 0 : Number.NEGATIVE_INFINITY;
  const exact = await exactThresholds(engine, table, scheme, options, { total, lowest, floor });
  const taken = (await engine.query(cumulativeSql(table, candidateBounds(exact))))[0] ?? [];
  const chosen = chooseThresholds({
    scheme: name,
    metric: shown,
    by: options.by,
    targets: options.targets,
    floor,
    exact,
    taken,
    total,
  });
  const proposedBounds = proposeBounds(scheme, chosen, fileValue);

  const bounded = proposedBounds
    .map((b, i) => ({ i, value: b.min ?? b.above, inclusive: b.min !== undefined }))
    .filter((b): b is { i: number; value: number; inclusive: boolean } => b.value !== undefined);
  // The last bound counts the customers with something (above the floor), for the notes.
  const somethingAt = Number.isFinite(floor) ? [{ value: floor, inclusive: false }] : [];
  const after = (await engine.query(cumulativeSql(table, [...bounded, ...somethingAt])))[0] ?? [];
  const totals = { graded, revenue };
  const proposed = proposedShares(scheme, bounded, after, totals);
  const tiers = scheme.bounds.map((b, i): CalibratedTier => {
    const cur = dist.find((r) => r.tier_rank === i + 1);
    const t = options.targets[i];
    const e = exact[i];
    return {
      tier: b.tier,
      rank: i + 1,
      ...(t && e ? { target: t.percent, exactThreshold: fileValue(e.value) } : {}),
      currentBound: fileBound(b, fileValue),
      proposedBound: fileBound(proposedBounds[i] ?? {}, fileValue),
      current: shareOf(cur?.entities ?? 0, cur?.revenue ?? 0, totals),
      proposed: proposed.get(i) ?? shareOf(0, 0, totals),
    };
  });
  const nothing = graded - (after[bounded.length]?.entities ?? graded);
  const unit = options.by === "customers" ? "customers" : "revenue";
  const notes = tiers.flatMap((t, i) => {
    if (!exact[i]?.short || t.target === undefined) return [];
    const got = options.by === "customers" ? t.proposed.share : t.proposed.revenueShare;
    return [
      `${t.tier} gets ${pct(got)} of ${unit}, not ${t.target}%: ${pct(nothing / graded)} of customers have no ${shown} above 0, and a bound never takes customers with nothing`,
    ];
  });
  const calibration: CalibrationCore = {
    scheme: name,
    asOf,
    by: options.by,
    metric: scheme.metric.text,
    graded,
    revenue,
    tiers,
    patch: patchText(scheme, tiers, options, asOf),
    ...(options.patchOut ? { patchFile: options.patchOut } : {}),
    ...(options.policyOut !== undefined ? { policyFile: options.policyOut } : {}),
    notes,
  };
  return { calibration, proposedBounds };
}

/**
 * The exact threshold of each target: the highest value whose cumulative share reaches the
 * cumulative target; when that is at or below the floor, the lowest value above it (the tier
 * falls short: `short`).
 */
async function exactThresholds(
  engine: Engine,
  table: string,
  scheme: ThresholdsScheme,
  options: CalibrateOptions,
  at: { readonly total: number; readonly lowest: number; readonly floor: number },
): Promise<ExactThreshold[]> {
  const exact: ExactThreshold[] = [];
  let cumulative = 0;
  for (const t of options.targets) {
    cumulative += t.percent / 100;
    const quantile = await engine.query(quantileThresholdSql(table, options.by, cumulative * at.total - 1e-9));
    const v = quantile[0]?.v ?? at.lowest;
    if (v > at.floor) {
      exact.push({ value: v, short: false });
      continue;
    }
    const above = (await engine.query(lowestAboveSql(table, at.floor)))[0]?.v;
    if (above === null || above === undefined)
      throw impossible(
        scheme.name,
        `no customer has ${scheme.metric.text} above 0, and a bound never takes customers with nothing`,
      );
    exact.push({ value: above, short: true });
  }
  return exact;
}

/** Customers and revenue as shares of the graded customers and their revenue. */
function shareOf(entities: number, revenue: number, totals: { graded: number; revenue: number }): Share {
  return {
    entities,
    share: totals.graded > 0 ? entities / totals.graded : 0,
    revenue,
    revenueShare: totals.revenue > 0 ? revenue / totals.revenue : 0,
  };
}

/**
 * Each tier's customers and revenue under the proposed bounds (`after[j]`: what bound j takes). A
 * tier gets the customers its bound takes that no tier above took: the bounds' sets are nested
 * (value ≥ or > a number), so those taken so far are the largest set yet (never a negative count).
 * The tier without a bound gets the rest.
 */
function proposedShares(
  scheme: ThresholdsScheme,
  bounded: readonly { readonly i: number }[],
  after: readonly Taken[],
  totals: { graded: number; revenue: number },
): Map<number, Share> {
  let prevN = 0;
  let prevR = 0;
  const shares = new Map<number, Share>();
  bounded.forEach((b, j) => {
    const n = after[j]?.entities ?? Number.NaN;
    if (n <= prevN) {
      shares.set(b.i, shareOf(0, 0, totals));
      return;
    }
    const r = after[j]?.revenue ?? Number.NaN;
    shares.set(b.i, shareOf(n - prevN, r - prevR, totals));
    prevN = n;
    prevR = r;
  });
  const rest = scheme.bounds.findIndex((b) => b.min === undefined && b.above === undefined);
  if (rest >= 0) shares.set(rest, shareOf(totals.graded - prevN, totals.revenue - prevR, totals));
  return shares;
}
