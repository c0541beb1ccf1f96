import type { ShareMeasure } from "../sql/decisions/calibrate.js";
import type { ShareTarget } from "./threshold-choice.js";

/** What `calibrate` takes and gives: the options, the tiers' bounds and shares, the calibration. */

export interface CalibrateOptions {
  readonly scheme: string;
  /** What the shares measure. */
  readonly by: ShareMeasure;
  /** Targets from the top tier down, without gaps. */
  readonly targets: readonly ShareTarget[];
  /** As-of date `YYYY-MM-DD` (default: today in UTC). */
  readonly asOf?: string;
  /** Write the policy patch here (see docs/decisions-guide.md, Calibration). */
  readonly patchOut?: string;
  /** Write the whole policy, with the scheme's new bounds, here (needs `policyText`). */
  readonly policyOut?: string;
  /** The text of the policy `policy` came from (documents separated by `---`), for `policyOut`. */
  readonly policyText?: string;
}

/** A tier's bound as the policy file writes it (before `scale`). */
export interface Bound {
  readonly min?: number;
  readonly above?: number;
  /** The retention bound (lifecycle), when the tier has one. */
  readonly keep?: number;
}

/** Customers and revenue of one tier under one set of bounds; shares 0..1. */
export interface Share {
  readonly entities: number;
  readonly share: number;
  readonly revenue: number;
  readonly revenueShare: number;
}

export interface CalibratedTier {
  readonly tier: string;
  readonly rank: number;
  /** In percent, when the tier was given a target. */
  readonly target?: number;
  readonly currentBound: Bound;
  readonly proposedBound: Bound;
  /** The exact metric value that meets the target, before rounding. */
  readonly exactThreshold?: number;
  readonly current: Share;
  readonly proposed: Share;
}

export interface Calibration {
  readonly scheme: string;
  readonly asOf: string;
  readonly by: ShareMeasure;
  readonly metric: string;
  readonly graded: number;
  readonly revenue: number;
  readonly tiers: readonly CalibratedTier[];
  /** The policy patch: the new bounds of the scheme's tiers. */
  readonly patch: string;
  readonly patchFile?: string;
  /** Where the whole calibrated policy was written (`policyOut`). */
  readonly policyFile?: string;
  /**
   * What the proposal cannot give and why, one sentence each: e.g. a tier
   * short of its target because the rest of the customers have nothing
   * (a bound never takes them).
   */
  readonly notes: readonly string[];
  /** The policy's locale and currency: the text rendering formats every number in them. */
  readonly locale: string;
  readonly currency: string;
  /** Whether the metric is money, and the policy's scale: money bounds are written before it (× scale = the currency). */
  readonly money: boolean;
  readonly scale: number;
}

/** What a calibration is apart from the policy's locale, currency, money and scale. */
export type CalibrationCore = Omit<Calibration, "locale" | "currency" | "money" | "scale">;
