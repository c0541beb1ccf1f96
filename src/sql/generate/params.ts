/**
 * The plain values every generator statement is built from. They reach SQL
 * only as bound parameters.
 */
/** Orders simulated from known BG/NBD parameters (rates per `unit`) instead of the built-in customer behaviour. */
export interface SimulatedBuying {
  readonly model: "bgnbd";
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
  readonly unit: "day" | "week";
}

/** Order values simulated from known Gamma-Gamma parameters (in currency units). */
export interface SimulatedSpend {
  readonly model: "gamma-gamma";
  readonly p: number;
  readonly q: number;
  readonly v: number;
}

export interface GenParams {
  /** Seed of every pseudo-random draw. */
  readonly seed: number;
  /** Run date as Unix seconds (midnight UTC); nothing happens on or after it. */
  readonly asOfSec: number;
  /** First instant of the generated history (Unix seconds, midnight UTC). */
  readonly startSec: number;
  readonly customers: number;
  readonly reps: number;
  readonly products: number;
  readonly leads: number;
  /** When set, buyers' repeat orders follow this model (see buying.ts). */
  readonly buying?: SimulatedBuying;
  /** When set (with `buying`), order values follow this model. */
  readonly spend?: SimulatedSpend;
  /** Digits of the zero-padded numeric part of each id kind. */
  readonly widths: {
    readonly customer: number;
    readonly rep: number;
    readonly product: number;
    readonly order: number;
    readonly invoice: number;
    readonly interaction: number;
    readonly lead: number;
  };
}

/** Seconds per day. */
export const DAY = 86_400;
/** Seconds per (365.25-day) year. */
export const YEAR = 31_557_600;
