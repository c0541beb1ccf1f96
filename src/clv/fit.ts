/**
 * Maximum-likelihood fitting shared by the three models: BFGS on the
 * log-parameters (positivity for free, scale-free steps) from several
 * starts, the best optimum kept; standard errors from the observed
 * information in the natural parameters (central differences of the
 * analytic gradient, inverted by Cholesky). Every failure is a coded
 * TierwiseError with a reason; parameters are never NaN.
 */
import { TierwiseError } from "../errors/index.js";
import { bgnbdLogLikelihood } from "./bgnbd.js";
import { type PreparedPurchases, type PreparedSpend, preparePurchases, prepareSpend } from "./data.js";
import { gammaGammaLogLikelihood } from "./gamma-gamma.js";
import { identify } from "./identification.js";
import { minimise } from "./optimise.js";
import { paretoLogLikelihood } from "./pareto-nbd.js";
import { Rng } from "./random.js";
import type {
  BgNbdParams,
  ClvModel,
  FitOptions,
  FitResult,
  GammaGammaParams,
  Identification,
  ParetoNbdParams,
  Prior,
  PurchaseSummary,
  SpendSummary,
} from "./types.js";

/** Parameters are kept in [1e-10, 1e10]; one that ends on a bound is not identified by the data. */
const LOG_BOUND = Math.log(1e10);
const DEFAULT_STARTS = 4;
/**
 * Standard deviation of the weak normal priors on each log-parameter
 * (`--prior weak`): a factor e⁴ ≈ 55 either way is one standard deviation,
 * so a parameter the data identify moves by a small share of its own
 * standard error (CDNOW: at most 0.7%), while one the data leave free along
 * a ridge (a → 0, b → ∞) is held at a finite point with an honest, wide
 * standard error. docs/clv.md, Priors.
 */
export const PRIOR_SD = 4;
const DEGENERATE_HINT = "; fit with --prior weak for a regularised estimate";

type LogLikelihood<D> = (d: D, theta: Float64Array, grad: Float64Array | null) => number;

interface Problem<D> {
  readonly model: ClvModel;
  readonly names: readonly string[];
  readonly data: D;
  readonly customers: number;
  readonly repeatBuyers: number;
  readonly logLikelihood: LogLikelihood<D>;
  /** The moment-style starting point; with `prior: weak` also the centre of the priors (their logarithms). */
  readonly start: readonly number[];
  /** A systematic subsample of a large input on which the starts are explored (the best is then polished on `data`). */
  readonly sample?: { readonly data: D; readonly customers: number };
}

interface Fitted {
  readonly theta: Float64Array;
  readonly standardErrors: (number | null)[];
  readonly logLikelihood: number;
  readonly starts: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly prior: Prior;
  readonly identification: Identification;
}

/** The weak prior's log-density (up to a constant) at log-parameters φ, its gradient added into `grad` times `scale`. */
function logPrior(centre: Float64Array, phi: Float64Array, grad: Float64Array | null, scale: number): number {
  let lp = 0;
  const v = PRIOR_SD * PRIOR_SD;
  for (let i = 0; i < phi.length; i++) {
    const d = (phi[i] as number) - (centre[i] as number);
    lp -= (d * d) / (2 * v);
    if (grad) grad[i] = (grad[i] as number) + (d / v) * scale;
  }
  return lp;
}

function maximiseLikelihood<D>(problem: Problem<D>, o: FitOptions | undefined): Fitted {
  const starts = Math.max(1, Math.floor(o?.starts ?? DEFAULT_STARTS));
  const maxIterations = Math.max(1, Math.floor(o?.maxIterations ?? 500));
  const rng = new Rng(o?.seed ?? 1);
  const prior: Prior = o?.prior ?? "none";
  const n = problem.names.length;
  const scale = 1 / problem.customers;
  const theta = new Float64Array(n);
  const g = new Float64Array(n);
  const base = Float64Array.from(problem.start, Math.log);
  const objectiveOn =
    (data: D, scale: number) =>
    (phi: Float64Array, grad: Float64Array): number => {
      for (let i = 0; i < n; i++) theta[i] = Math.exp(phi[i] as number);
      const ll = problem.logLikelihood(data, theta, g);
      for (let i = 0; i < n; i++) grad[i] = -(g[i] as number) * (theta[i] as number) * scale;
      // The prior is the same for the subsample and all the data; the objective is per customer.
      const lp = prior === "weak" ? logPrior(base, phi, grad, scale) : 0;
      return -(ll + lp) * scale;
    };
  const objective = objectiveOn(problem.data, scale);
  const explore = problem.sample ? objectiveOn(problem.sample.data, 1 / problem.sample.customers) : objective;
  let best: { phi: Float64Array; value: number; converged: boolean; h: readonly Float64Array[] } | undefined;
  let iterations = 0;
  const reasons = new Set<string>();
  // Every start is run to a loose tolerance (on the subsample when the input
  // is large); only the best is then polished to a tight one on all the data.
  for (let k = 0; k < starts; k++) {
    const start = k === 0 ? base : base.map((v) => v + rng.normal());
    const result = minimise(explore, start, {
      lower: -LOG_BOUND,
      upper: LOG_BOUND,
      maxIterations,
      gradientTolerance: 1e-4,
    });
    iterations += result.iterations;
    if (!result.converged) reasons.add(result.reason);
    if (!Number.isFinite(result.value)) continue;
    const better =
      best === undefined ||
      (result.converged && !best.converged) ||
      (result.converged === best.converged && result.value < best.value);
    if (better)
      best = { phi: result.theta, value: result.value, converged: result.converged, h: result.inverseHessian };
  }
  if (best !== undefined) {
    if (problem.sample) best = { ...best, converged: true };
    const polished = minimise(objective, best.phi, {
      lower: -LOG_BOUND,
      upper: LOG_BOUND,
      maxIterations,
      gradientTolerance: 1e-9,
      inverseHessian: best.h,
    });
    iterations += polished.iterations;
    if (!polished.converged) reasons.add(polished.reason);
    best = {
      phi: polished.theta,
      value: polished.value,
      converged: polished.converged && Number.isFinite(polished.value),
      h: polished.inverseHessian,
    };
  }
  if (best === undefined || !best.converged) {
    throw new TierwiseError("CLV_NOT_CONVERGED", {
      model: problem.model,
      starts,
      reason: best === undefined ? "the likelihood could not be evaluated" : [...reasons].join(", "),
    });
  }
  for (let i = 0; i < n; i++) {
    const phi = best.phi[i] as number;
    if (Math.abs(phi) >= LOG_BOUND - 1e-6) {
      throw new TierwiseError("CLV_DEGENERATE", {
        model: problem.model,
        reason: `${problem.names[i]} ran to ${phi > 0 ? "1e10" : "1e-10"}, so the data do not identify it${prior === "none" ? DEGENERATE_HINT : ""}`,
      });
    }
  }
  const estimate = best.phi.map(Math.exp);
  const ll = problem.logLikelihood(problem.data, estimate, null);
  if (!Number.isFinite(ll) || !estimate.every(Number.isFinite)) {
    throw new TierwiseError("CLV_NOT_CONVERGED", {
      model: problem.model,
      starts,
      reason: "the likelihood is not finite at the optimum",
    });
  }
  const { errors, information } = standardErrors(problem, estimate, prior === "weak" ? base : undefined);
  if (errors.some((e) => e === null)) {
    const at = problem.names.map((name, i) => `${name} = ${(estimate[i] as number).toPrecision(3)}`).join(", ");
    throw new TierwiseError("CLV_DEGENERATE", {
      model: problem.model,
      reason: `the ${prior === "weak" ? "posterior" : "likelihood"} is flat or not curved at its best point (${at}), so the data do not identify the parameters${prior === "none" ? DEGENERATE_HINT : ""}`,
    });
  }
  return {
    theta: estimate,
    standardErrors: errors,
    logLikelihood: ll,
    starts,
    iterations,
    converged: true,
    prior,
    identification: identify(problem.model, problem.names, estimate, errors as number[], information, prior),
  };
}

/**
 * √diag of (−H)⁻¹, H the Hessian of ℓ (plus the log-prior when `centre` is
 * given) in the natural parameters, by central differences of the gradient;
 * all null when −H is not positive definite. Also returns −H.
 */
function standardErrors<D>(
  problem: Problem<D>,
  theta: Float64Array,
  centre: Float64Array | undefined,
): { errors: (number | null)[]; information: number[][] } {
  const n = theta.length;
  const h: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const step = 1e-5 * (theta[i] as number);
    const plus = theta.slice();
    const minus = theta.slice();
    plus[i] = (theta[i] as number) + step;
    minus[i] = (theta[i] as number) - step;
    problem.logLikelihood(problem.data, plus, up);
    problem.logLikelihood(problem.data, minus, down);
    for (let j = 0; j < n; j++) (h[i] as number[])[j] = -((up[j] as number) - (down[j] as number)) / (2 * step);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = ((h[i] as number[])[j] as number) / 2 + ((h[j] as number[])[i] as number) / 2;
      (h[i] as number[])[j] = v;
      (h[j] as number[])[i] = v;
    }
  }
  if (centre) {
    // The prior −(ln θ − μ)²/(2σ²) adds (1 − (ln θ − μ))/(σ²θ²) to the information's diagonal.
    const v = PRIOR_SD * PRIOR_SD;
    for (let i = 0; i < n; i++) {
      const t = theta[i] as number;
      (h[i] as number[])[i] =
        ((h[i] as number[])[i] as number) + (1 - (Math.log(t) - (centre[i] as number))) / (v * t * t);
    }
  }
  const inv = invertPositiveDefinite(h);
  const errors = Array.from({ length: n }, (_, i) => {
    const v = inv?.[i]?.[i];
    return v !== undefined && Number.isFinite(v) && v > 0 ? Math.sqrt(v) : null;
  });
  return { errors, information: h };
}

/** The inverse of a symmetric positive-definite matrix by Cholesky, or undefined when it is not one. */
export function invertPositiveDefinite(a: readonly (readonly number[])[]): number[][] | undefined {
  const n = a.length;
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]?.[j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (l[i]?.[k] ?? 0) * (l[j]?.[k] ?? 0);
      if (i === j) {
        if (!(sum > 0)) return undefined;
        (l[i] as number[])[i] = Math.sqrt(sum);
      } else {
        (l[i] as number[])[j] = sum / (l[j]?.[j] ?? 1);
      }
    }
  }
  // inv = L⁻ᵀ L⁻¹, column by column.
  const inv: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let sum = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= (l[i]?.[k] ?? 0) * (y[k] ?? 0);
      y[i] = sum / (l[i]?.[i] ?? 1);
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = y[i] ?? 0;
      for (let k = i + 1; k < n; k++) sum -= (l[k]?.[i] ?? 0) * ((inv[k] as number[])[c] ?? 0);
      (inv[i] as number[])[c] = sum / (l[i]?.[i] ?? 1);
    }
  }
  return inv;
}

/** Entries beyond which the starts are explored on a systematic subsample. */
const SAMPLE_ENTRIES = 40_000;

function sampleEvery<T extends { readonly weight: Float64Array }>(s: T, pick: (idx: number[]) => T): T | undefined {
  const n = s.weight.length;
  if (n <= SAMPLE_ENTRIES) return undefined;
  const stride = n / SAMPLE_ENTRIES;
  const idx = Array.from({ length: SAMPLE_ENTRIES }, (_, i) => Math.floor(i * stride));
  return pick(idx);
}

function pickPurchases(s: PurchaseSummary): (idx: number[]) => PurchaseSummary {
  return (idx) => ({
    x: Float64Array.from(idx, (i) => s.x[i] as number),
    tx: Float64Array.from(idx, (i) => s.tx[i] as number),
    T: Float64Array.from(idx, (i) => s.T[i] as number),
    weight: Float64Array.from(idx, (i) => s.weight[i] as number),
  });
}

/** The prepared subsample, or undefined when the input is small or the subsample alone is unusable. */
function purchaseSample(
  model: ClvModel,
  s: PurchaseSummary,
): { data: PreparedPurchases; customers: number } | undefined {
  const sub = sampleEvery(s, pickPurchases(s));
  if (!sub) return undefined;
  try {
    const data = preparePurchases(model, sub);
    return { data, customers: data.customers };
  } catch {
    return undefined;
  }
}

function purchaseStart(d: PreparedPurchases): number[] {
  // A rate of Σx/ΣT purchases per unit with a shape of 0.5; moderate dropout.
  const rate = Math.max(d.sumX, 1e-3) / Math.max(d.sumT, 1e-3);
  return [0.5, 0.5 / rate, 1, 2];
}

/**
 * Fit the BG/NBD model by maximum likelihood.
 * @example const fit = fitBgNbd(summarise(rows)); fit.params.r
 */
export function fitBgNbd(s: PurchaseSummary, o?: FitOptions): FitResult<BgNbdParams> {
  const d = preparePurchases("bgnbd", s);
  const f = maximiseLikelihood(
    {
      model: "bgnbd",
      names: ["r", "alpha", "a", "b"],
      data: d,
      customers: d.customers,
      repeatBuyers: d.repeatBuyers,
      logLikelihood: bgnbdLogLikelihood,
      start: purchaseStart(d),
      ...optional(purchaseSample("bgnbd", s)),
    },
    o,
  );
  const [r, alpha, a, b] = f.theta as unknown as [number, number, number, number];
  const [er, ealpha, ea, eb] = f.standardErrors as [number | null, number | null, number | null, number | null];
  return {
    model: "bgnbd",
    params: { r, alpha, a, b },
    standardErrors: { r: er, alpha: ealpha, a: ea, b: eb },
    logLikelihood: f.logLikelihood,
    customers: d.customers,
    repeatBuyers: d.repeatBuyers,
    starts: f.starts,
    iterations: f.iterations,
    converged: f.converged,
    prior: f.prior,
    identification: f.identification,
  };
}

/**
 * Fit the Pareto/NBD model by maximum likelihood.
 * @example const fit = fitParetoNbd(summarise(rows)); fit.params.s
 */
export function fitParetoNbd(s: PurchaseSummary, o?: FitOptions): FitResult<ParetoNbdParams> {
  const d = preparePurchases("pareto-nbd", s);
  const start = purchaseStart(d);
  const f = maximiseLikelihood(
    {
      model: "pareto-nbd",
      names: ["r", "alpha", "s", "beta"],
      data: d,
      customers: d.customers,
      repeatBuyers: d.repeatBuyers,
      logLikelihood: paretoLogLikelihood,
      start: [start[0] as number, start[1] as number, 0.5, start[1] as number],
      ...optional(purchaseSample("pareto-nbd", s)),
    },
    o,
  );
  const [r, alpha, sh, beta] = f.theta as unknown as [number, number, number, number];
  const [er, ealpha, es, ebeta] = f.standardErrors as [number | null, number | null, number | null, number | null];
  return {
    model: "pareto-nbd",
    params: { r, alpha, s: sh, beta },
    standardErrors: { r: er, alpha: ealpha, s: es, beta: ebeta },
    logLikelihood: f.logLikelihood,
    customers: d.customers,
    repeatBuyers: d.repeatBuyers,
    starts: f.starts,
    iterations: f.iterations,
    converged: f.converged,
    prior: f.prior,
    identification: f.identification,
  };
}

/**
 * Fit the Gamma-Gamma spend model by maximum likelihood on repeat buyers (rows with x = 0 are left out).
 * @example const spend = fitGammaGamma({ x, m, weight }); spend.params.p
 */
export function fitGammaGamma(s: SpendSummary, o?: FitOptions): FitResult<GammaGammaParams> {
  const d: PreparedSpend = prepareSpend(s);
  // Moment-style start: p = 2, q = 3 put the mean at v, so v = mean(m).
  const f = maximiseLikelihood(
    {
      model: "gamma-gamma",
      names: ["p", "q", "v"],
      data: d,
      customers: d.customers,
      repeatBuyers: d.customers,
      logLikelihood: gammaGammaLogLikelihood,
      start: [2, 3, d.meanM],
      ...optional(spendSample(s)),
    },
    o,
  );
  const [p, q, v] = f.theta as unknown as [number, number, number];
  const [ep, eq, ev] = f.standardErrors as [number | null, number | null, number | null];
  return {
    model: "gamma-gamma",
    params: { p, q, v },
    standardErrors: { p: ep, q: eq, v: ev },
    logLikelihood: f.logLikelihood,
    customers: d.customers,
    repeatBuyers: d.customers,
    starts: f.starts,
    iterations: f.iterations,
    converged: f.converged,
    prior: f.prior,
    identification: f.identification,
  };
}

function optional<T>(sample: T | undefined): { sample?: T } {
  return sample === undefined ? {} : { sample };
}

function spendSample(s: SpendSummary): { data: PreparedSpend; customers: number } | undefined {
  const sub = sampleEvery(s, (idx) => ({
    x: Float64Array.from(idx, (i) => s.x[i] as number),
    m: Float64Array.from(idx, (i) => s.m[i] as number),
    weight: Float64Array.from(idx, (i) => s.weight[i] as number),
  }));
  if (!sub) return undefined;
  try {
    const data = prepareSpend(sub);
    return { data, customers: data.customers };
  } catch {
    return undefined;
  }
}
