// TEMPORARY: replaced by branch clv-core
/** Plain types of the CLV models (the contract between the model core and the commands). */

export type ClvModel = "bgnbd" | "pareto-nbd" | "gamma-gamma";
export type TimeUnit = "day" | "week";

/** Grouped distinct (x, t_x, T) with customer counts; times in the unit. */
export interface PurchaseSummary {
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly weight: Float64Array;
}

/** Repeat buyers: x repeats, m mean repeat value, grouped with counts. */
export interface SpendSummary {
  readonly x: Float64Array;
  readonly m: Float64Array;
  readonly weight: Float64Array;
}

export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}
export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}
export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly v: number;
}

export interface FitResult<P> {
  readonly model: ClvModel;
  readonly params: P;
  readonly standardErrors: { readonly [K in keyof P]: number | null };
  readonly logLikelihood: number;
  readonly customers: number;
  readonly repeatBuyers: number;
  readonly starts: number;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface FitOptions {
  readonly starts?: number;
  readonly seed?: number;
  readonly maxIterations?: number;
}

export type PurchaseFit = FitResult<BgNbdParams> | FitResult<ParetoNbdParams>;

export interface ClvOptions {
  /** In time units. */
  readonly horizon: number;
  /** Per year. */
  readonly discountRate: number;
  readonly margin: number;
  readonly unit: TimeUnit;
}
