import { InternalError, TierwiseError } from "../errors/index.js";
import type { ThresholdsScheme } from "../plan/policy.js";
import type { MetricBound, ShareMeasure, Taken } from "../sql/decisions/calibrate.js";
import { announceable } from "./announceable.js";

/**
 * Calibration's decisions, apart from the queries that feed them (`calibrate.ts`): which bounds to
 * try around each exact threshold, which announceable bound each targeted tier gets, and the scheme's
 * bounds with them. Pure: tested on hand-written numbers (test/decisions/threshold-choice.test.ts).
 */

/** A tier's target share in percent (of customers or of revenue). */
export interface ShareTarget {
  readonly tier: string;
  readonly percent: number;
}

/** The metric value that meets a target; `short` when it had to be raised above the floor (the tier falls short). */
export interface ExactThreshold {
  readonly value: number;
  readonly short: boolean;
}

/** `CALIBRATION_IMPOSSIBLE` for a scheme, saying why. */
export const impossible = (scheme: string, reason: string, hint?: string) =>
  new TierwiseError("CALIBRATION_IMPOSSIBLE", { scheme, reason }, undefined, hint);

/** A share 0..1 as a percent with one decimal at most: 0.1234 → "12.3%". */
export const pct = (x: number) => `${Number((x * 100).toFixed(1))}%`;

/**
 * The four bounds tried for each target, in this order: at or above the exact value, above it, and
 * at or above each announceable number around it (`announceable`: the grid point below, above).
 */
export function candidateBounds(exact: readonly ExactThreshold[]): MetricBound[] {
  return exact.flatMap(({ value }) => {
    const { down, up } = announceable(value);
    return [
      { value, inclusive: true },
      { value, inclusive: false },
      { value: down, inclusive: true },
      { value: up, inclusive: true },
    ];
  });
}

export interface ThresholdChoice {
  readonly scheme: string;
  /** The scheme's metric as written (for the reasons). */
  readonly metric: string;
  readonly by: ShareMeasure;
  /** From the top tier down. */
  readonly targets: readonly ShareTarget[];
  /** Every bound is strictly above it: 0 when customers with nothing are never taken, else -Infinity. */
  readonly floor: number;
  /** One per target. */
  readonly exact: readonly ExactThreshold[];
  /** What each bound of `candidateBounds(exact)` takes, in its order. */
  readonly taken: readonly Taken[];
  /** The whole a share is of: the graded customers, or their revenue. */
  readonly total: number;
}

/**
 * The bound of each targeted tier, from the top down: of the two announceable numbers around its
 * exact threshold, the one whose cumulative share comes closer to the cumulative target (ties: the
 * one closer to the exact value), below the tier above's bound and above the floor, taking someone.
 *
 * Refuses (`CALIBRATION_IMPOSSIBLE`) a tier that ties make unreachable (the nearer of "at or above"
 * and "above" the exact value misses the cumulative target by more than half the tier's own target,
 * or leaves it empty), a short tier the tiers above already leave empty, and a tier whose announceable
 * numbers both leave it empty or not below the tier above.
 */
export function chooseThresholds(choice: ThresholdChoice): number[] {
  const { scheme: name, metric: shown, by, targets, floor, exact, taken, total } = choice;
  const unit = by === "customers" ? "customers" : "revenue";
  const share = (i: number) => {
    const t = taken[i];
    if (t === undefined) throw new InternalError(`calibration has no count for candidate bound ${i}`);
    return (by === "customers" ? t.entities : t.revenue) / total;
  };
  const chosen: number[] = [];
  let previous = Number.POSITIVE_INFINITY;
  let previousShare = 0;
  let target = 0;
  targets.forEach((t, k) => {
    const own = t.percent / 100;
    target += own;
    const exactK = exact[k];
    if (exactK === undefined) throw new InternalError(`calibration has no exact threshold for ${t.tier}`);
    const v = exactK.value;
    const atOrAbove = share(4 * k);
    const above = share(4 * k + 1);
    const best = Math.abs(atOrAbove - target) <= Math.abs(above - target) ? atOrAbove : above;
    if (exactK.short && atOrAbove - previousShare <= 1e-12)
      throw impossible(
        name,
        `${t.tier} cannot get ${t.percent}% of ${unit}: the tiers above take every customer with ${shown} above 0, ` +
          "and a bound never takes customers with nothing",
        "lower the targets: customers with nothing stay in the tiers below",
      );
    if (!exactK.short && (Math.abs(best - target) > own / 2 + 1e-9 || best - previousShare <= 1e-12))
      throw impossible(
        name,
        `${t.tier} cannot get ${t.percent}% of ${unit}: ${pct(atOrAbove - above)} of ${unit} have ${shown} = ${v}, ` +
          `and a threshold cannot split them (it gives ${t.tier} and the tiers above ${pct(above)} or ${pct(atOrAbove)}, not ${pct(target)})`,
        "choose a share the ties allow, or a metric that separates these customers",
      );
    const { down, up } = announceable(v);
    const pick = [
      { value: down, cum: share(4 * k + 2) },
      { value: up, cum: share(4 * k + 3) },
    ]
      .filter((o) => o.value < previous && o.value > floor && o.cum - previousShare > 1e-12)
      .sort(
        (a, b) => Math.abs(a.cum - target) - Math.abs(b.cum - target) || Math.abs(a.value - v) - Math.abs(b.value - v),
      )[0];
    if (!pick)
      throw impossible(
        name,
        `${t.tier}'s threshold ${v} rounds to ${down} or ${up}, which leaves ${t.tier} empty or not below the tier above`,
        "the targets of neighbouring tiers are too close for announceable numbers; widen them",
      );
    chosen.push(pick.value);
    previous = pick.value;
    previousShare = pick.cum;
  });
  return chosen;
}

/**
 * The scheme's bounds with the chosen ones: a `min` for each targeted tier (a retention bound `keep`
 * above it comes down to it: keep may not exceed min), the policy's for the rest. Refuses a lower
 * tier whose bound is not below the last new one (it would get nobody); `fileValue` writes a bound
 * as the policy file does, for the reason.
 */
export function proposeBounds(
  scheme: ThresholdsScheme,
  chosen: readonly number[],
  fileValue: (v: number) => number,
): ThresholdsScheme["bounds"] {
  const proposed: ThresholdsScheme["bounds"] = scheme.bounds.map((b, i) => {
    const min = chosen[i];
    if (min === undefined) return b;
    return { tier: b.tier, min, ...(b.keep !== undefined ? { keep: Math.min(b.keep, min) } : {}) };
  });
  const lastNew = chosen[chosen.length - 1];
  if (lastNew === undefined) return proposed;
  for (const [i, b] of scheme.bounds.entries()) {
    if (i < chosen.length) continue;
    const v = b.min ?? b.above;
    // The new bound is a `min`: a lower tier's `min` or `above` at or over it is covered (it would get nobody).
    if (v !== undefined && v >= lastNew)
      throw impossible(
        scheme.name,
        `${b.tier}'s bound ${fileValue(v)} is not below ${scheme.tiers[chosen.length - 1]}'s new ${fileValue(lastNew)}`,
        `give ${b.tier} a target too`,
      );
  }
  return proposed;
}
