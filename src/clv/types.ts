/** The plain types of the CLV models: summaries in, fits out. No code. */

/** A buying model (`bgnbd`, `pareto-nbd`) or the spend model (`gamma-gamma`). */
export type ClvModel = "bgnbd" | "pareto-nbd" | "gamma-gamma";

/** The time unit of x's companions tx and T, and of horizons. */
export type TimeUnit = "day" | "week";

/**
 * Grouped purchase statistics: one entry per distinct (x, tx, T), with its
 * customer count; times in the time unit. x is the number of repeat purchase
 * days, tx the time of the last purchase and T the age, both measured from
 * the first purchase (tx = 0 when x = 0).
 */
export interface PurchaseSummary {
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly weight: Float64Array;
}

/** Repeat buyers' spend: x repeat purchases, m their mean value; grouped with weights too. */
export interface SpendSummary {
  readonly x: Float64Array;
  readonly m: Float64Array;
  readonly weight: Float64Array;
}

/** BG/NBD: purchase rate λ ~ Gamma(r, α); dropout after each repeat purchase with p ~ Beta(a, b). */
export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/** Pareto/NBD: purchase rate λ ~ Gamma(r, α); dropout rate μ ~ Gamma(s, β). */
export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

/** Gamma-Gamma: a purchase's value ~ Gamma(p, ν), the customer's ν ~ Gamma(q, v). */
export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly v: number;
}

/** A fitted model: maximum-likelihood parameters and how they were found. */
export interface FitResult<P> {
  readonly model: ClvModel;
  readonly params: P;
  /** From the inverse of the observed information (the negative Hessian); null when it is not positive definite. */
  readonly standardErrors: { readonly [K in keyof P]: number | null };
  readonly logLikelihood: number;
  /** Total weight (customers) the fit used. */
  readonly customers: number;
  /** Of those, customers with x > 0. */
  readonly repeatBuyers: number;
  /** Starts tried. */
  readonly starts: number;
  /** Optimiser iterations summed over all starts. */
  readonly iterations: number;
  readonly converged: boolean;
  /** `none`: maximum likelihood; `weak`: maximum a posteriori under the weak priors (docs/clv.md, Priors). */
  readonly prior: Prior;
  /** How well the data identify each parameter, with a verdict in plain words. */
  readonly identification: Identification;
}

/** `none` = plain maximum likelihood; `weak` = maximum a posteriori with weak normal priors on the log-parameters. */
export type Prior = "none" | "weak";

export interface ParameterIdentification {
  readonly name: string;
  readonly estimate: number;
  readonly standardError: number;
  /** standardError / estimate. */
  readonly ratio: number;
}

export interface Identification {
  readonly parameters: readonly ParameterIdentification[];
  /** Of the information matrix (negative Hessian of the objective) in the log-parameters. */
  readonly conditionNumber: number;
  readonly verdict: "well identified" | "weakly identified";
  /** The verdict with its reason and advice, in plain words. */
  readonly message: string;
}

export interface FitOptions {
  /** Starting points of the optimiser (the first is a moment-based guess, the rest random around it). Default 4. */
  readonly starts?: number;
  /** Seed of the random starts. Default 1. */
  readonly seed?: number;
  /** Iterations per start. Default 500. */
  readonly maxIterations?: number;
  /** `weak`: maximum a posteriori with the weak priors of docs/clv.md. Default `none` (maximum likelihood). */
  readonly prior?: Prior;
}

export type PurchaseFit = FitResult<BgNbdParams> | FitResult<ParetoNbdParams>;

export interface ClvOptions {
  /** In time units. */
  readonly horizon: number;
  /** Per year, e.g. 0.1 for 10%. */
  readonly discountRate: number;
  /** Share of spend that is profit, e.g. 0.3. */
  readonly margin: number;
  readonly unit: TimeUnit;
}
