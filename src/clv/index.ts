// TEMPORARY: replaced by branch clv-core
/**
 * A minimal but real stand-in for the CLV model core (branch clv-core), so
 * the commands, storage and benchmark of branch clv-cli typecheck and run end
 * to end: BG/NBD, Pareto/NBD and Gamma-Gamma maximum likelihood by
 * Nelder–Mead on log parameters over the closed-form log-likelihoods of
 * grouped sufficient statistics, standard errors from a numerical Hessian.
 */
import { TierwiseError } from "../errors/index.js";
import type {
  BgNbdParams,
  ClvOptions,
  FitOptions,
  FitResult,
  GammaGammaParams,
  ParetoNbdParams,
  PurchaseFit,
  PurchaseSummary,
  SpendSummary,
} from "./types.js";

export type {
  BgNbdParams,
  ClvModel,
  ClvOptions,
  FitOptions,
  FitResult,
  GammaGammaParams,
  ParetoNbdParams,
  PurchaseFit,
  PurchaseSummary,
  SpendSummary,
  TimeUnit,
} from "./types.js";

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function lgamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lgamma(1 - z);
  const x = z - 1;
  let a = LANCZOS[0] as number;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Gauss hypergeometric 2F1(a, b; c; z) for 0 <= z < 1 by its series. */
function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 100_000; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    if (Math.abs(term) < 1e-15 * Math.abs(sum)) break;
  }
  return sum;
}

function logSumExp(a: number, b: number): number {
  const m = Math.max(a, b);
  return m === Number.NEGATIVE_INFINITY ? m : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

interface Minimum {
  readonly point: number[];
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Nelder–Mead minimisation of `f` from `start`. */
function nelderMead(f: (p: readonly number[]) => number, start: readonly number[], maxIterations: number): Minimum {
  const n = start.length;
  const safe = (p: readonly number[]) => {
    const v = f(p);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  let simplex = [start.slice()];
  for (let i = 0; i < n; i++) {
    const p = start.slice();
    p[i] = (p[i] as number) + 0.5;
    simplex.push(p);
  }
  let values = simplex.map(safe);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
    simplex = order.map((i) => simplex[i] as number[]);
    values = order.map((i) => values[i] as number);
    const best = values[0] as number;
    const worst = values[n] as number;
    if (Math.abs(worst - best) <= 1e-10 * (Math.abs(best) + 1e-10)) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + (simplex[i]?.[j] as number) / n;
    const along = (t: number) => centroid.map((c, j) => c + t * ((simplex[n]?.[j] as number) - c));
    const reflected = along(-1);
    const fr = safe(reflected);
    if (fr < best) {
      const expanded = along(-2);
      const fe = safe(expanded);
      simplex[n] = fe < fr ? expanded : reflected;
      values[n] = Math.min(fe, fr);
    } else if (fr < (values[n - 1] as number)) {
      simplex[n] = reflected;
      values[n] = fr;
    } else {
      const contracted = fr < worst ? along(-0.5) : along(0.5);
      const fc = safe(contracted);
      if (fc < Math.min(fr, worst)) {
        simplex[n] = contracted;
        values[n] = fc;
      } else {
        const b0 = simplex[0] as number[];
        for (let i = 1; i <= n; i++) {
          simplex[i] = (simplex[i] as number[]).map((v, j) => (b0[j] as number) + 0.5 * (v - (b0[j] as number)));
          values[i] = safe(simplex[i] as number[]);
        }
      }
    }
  }
  return { point: simplex[0] as number[], value: values[0] as number, iterations, converged };
}

/** Standard errors from the inverse of the numerical Hessian of the negative log-likelihood. */
function standardErrors(negLl: (p: readonly number[]) => number, at: readonly number[]): (number | null)[] {
  const n = at.length;
  const h = at.map((v) => Math.max(1e-5, Math.abs(v) * 1e-4));
  const f = (p: number[]) => negLl(p);
  const H: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const f0 = f(at.slice());
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const hi = h[i] as number;
      const hj = h[j] as number;
      const shifted = (si: number, sj: number) => {
        const p = at.slice();
        p[i] = (p[i] as number) + si * hi;
        p[j] = (p[j] as number) + sj * hj;
        return f(p);
      };
      const v =
        i === j
          ? (shifted(1, 0) - 2 * f0 + shifted(-1, 0)) / (hi * hi)
          : (shifted(1, 1) - shifted(1, -1) - shifted(-1, 1) + shifted(-1, -1)) / (4 * hi * hj);
      (H[i] as number[])[j] = v;
      (H[j] as number[])[i] = v;
    }
  }
  // Gauss–Jordan inverse.
  const A = H.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r]?.[c] as number) > Math.abs(A[pivot]?.[c] as number)) pivot = r;
    [A[c], A[pivot]] = [A[pivot] as number[], A[c] as number[]];
    const row = A[c] as number[];
    const d = row[c] as number;
    if (!Number.isFinite(d) || Math.abs(d) < 1e-300) return at.map(() => null);
    for (let k = 0; k < 2 * n; k++) row[k] = (row[k] as number) / d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const other = A[r] as number[];
      const factor = other[c] as number;
      for (let k = 0; k < 2 * n; k++) other[k] = (other[k] as number) - factor * (row[k] as number);
    }
  }
  return at.map((_, i) => {
    const v = A[i]?.[n + i] as number;
    return Number.isFinite(v) && v > 0 ? Math.sqrt(v) : null;
  });
}

function totals(weight: Float64Array, x: Float64Array): { customers: number; repeatBuyers: number } {
  let customers = 0;
  let repeatBuyers = 0;
  for (let i = 0; i < weight.length; i++) {
    customers += weight[i] as number;
    if ((x[i] as number) > 0) repeatBuyers += weight[i] as number;
  }
  return { customers, repeatBuyers };
}

/** Distinct x values and each row's index into them (terms that depend on x only are computed once per value). */
function distinctX(x: Float64Array): { values: Float64Array; index: Int32Array } {
  const map = new Map<number, number>();
  const index = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    let k = map.get(v);
    if (k === undefined) {
      k = map.size;
      map.set(v, k);
    }
    index[i] = k;
  }
  return { values: Float64Array.from(map.keys()), index };
}

function bgNbdLl(s: PurchaseSummary, xs: { values: Float64Array; index: Int32Array }, p: readonly number[]): number {
  const [r, alpha, a, b] = p as [number, number, number, number];
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return Number.NEGATIVE_INFINITY;
  const constX = new Float64Array(xs.values.length);
  const extraX = new Float64Array(xs.values.length);
  const base = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
  for (let k = 0; k < xs.values.length; k++) {
    const x = xs.values[k] as number;
    constX[k] = base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
    extraX[k] = x > 0 ? Math.log(a / (b + x - 1)) : Number.NEGATIVE_INFINITY;
  }
  let ll = 0;
  for (let i = 0; i < s.x.length; i++) {
    const k = xs.index[i] as number;
    const rx = r + (s.x[i] as number);
    const l1 = -rx * Math.log(alpha + (s.T[i] as number));
    const l2 = (extraX[k] as number) - rx * Math.log(alpha + (s.tx[i] as number));
    ll += (s.weight[i] as number) * ((constX[k] as number) + logSumExp(l1, l2));
  }
  return ll;
}

function checkPurchases(s: PurchaseSummary): { customers: number; repeatBuyers: number } {
  const t = totals(s.weight, s.x);
  if (t.repeatBuyers === 0) throw new TierwiseError("CLV_NO_REPEAT_BUYERS", { customers: t.customers });
  return t;
}

function fitLogParams(
  ll: (p: readonly number[]) => number,
  start: readonly number[],
  o: FitOptions | undefined,
): { params: number[]; se: (number | null)[]; ll: number; iterations: number; converged: boolean; starts: number } {
  const starts = Math.max(1, o?.starts ?? 1);
  let best: Minimum | undefined;
  let iterations = 0;
  for (let k = 0; k < starts; k++) {
    const from = start.map((v, i) => Math.log(v) + (k === 0 ? 0 : 0.3 * Math.sin(k * 7.1 + i * 3.3)));
    const m = nelderMead((lp) => -ll(lp.map(Math.exp)), from, o?.maxIterations ?? 2000);
    iterations += m.iterations;
    if (!best || m.value < best.value) best = m;
  }
  if (!best || !Number.isFinite(best.value)) throw new TierwiseError("CLV_DEGENERATE", { model: "fit" });
  const params = best.point.map(Math.exp);
  return {
    params,
    se: standardErrors((p) => -ll(p), params),
    ll: -best.value,
    iterations,
    converged: best.converged,
    starts,
  };
}

export function fitBgNbd(s: PurchaseSummary, o?: FitOptions): FitResult<BgNbdParams> {
  const t = checkPurchases(s);
  const xs = distinctX(s.x);
  const f = fitLogParams((p) => bgNbdLl(s, xs, p), [1, 1, 1, 1], o);
  const [r, alpha, a, b] = f.params as [number, number, number, number];
  const [er, ealpha, ea, eb] = f.se as [number | null, number | null, number | null, number | null];
  return {
    model: "bgnbd",
    params: { r, alpha, a, b },
    standardErrors: { r: er, alpha: ealpha, a: ea, b: eb },
    logLikelihood: f.ll,
    ...t,
    starts: f.starts,
    iterations: f.iterations,
    converged: f.converged,
  };
}

/** Pareto/NBD A0 term (Fader, Hardie and Lee 2005, "A Note on Deriving the Pareto/NBD Model…"). */
function paretoA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const rsx = r + s + x;
  if (alpha >= beta) {
    const f = (t: number) => hyp2f1(rsx, s + 1, rsx + 1, (alpha - beta) / (alpha + t)) / (alpha + t) ** rsx;
    return f(tx) - f(T);
  }
  const f = (t: number) => hyp2f1(rsx, r + x, rsx + 1, (beta - alpha) / (beta + t)) / (beta + t) ** rsx;
  return f(tx) - f(T);
}

function paretoLl(sm: PurchaseSummary, p: readonly number[]): number {
  const [r, alpha, s, beta] = p as [number, number, number, number];
  if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return Number.NEGATIVE_INFINITY;
  const params = { r, alpha, s, beta };
  let ll = 0;
  for (let i = 0; i < sm.x.length; i++) {
    const x = sm.x[i] as number;
    const T = sm.T[i] as number;
    const a0 = paretoA0(params, x, sm.tx[i] as number, T);
    const l =
      lgamma(r + x) -
      lgamma(r) +
      r * Math.log(alpha) +
      s * Math.log(beta) +
      Math.log(1 / ((alpha + T) ** (r + x) * (beta + T) ** s) + (s / (r + s + x)) * a0);
    ll += (sm.weight[i] as number) * l;
  }
  return ll;
}

export function fitParetoNbd(s: PurchaseSummary, o?: FitOptions): FitResult<ParetoNbdParams> {
  const t = checkPurchases(s);
  const f = fitLogParams((p) => paretoLl(s, p), [1, 1, 1, 1], o);
  const [r, alpha, sh, beta] = f.params as [number, number, number, number];
  const [er, ealpha, es, ebeta] = f.se as [number | null, number | null, number | null, number | null];
  return {
    model: "pareto-nbd",
    params: { r, alpha, s: sh, beta },
    standardErrors: { r: er, alpha: ealpha, s: es, beta: ebeta },
    logLikelihood: f.ll,
    ...t,
    starts: f.starts,
    iterations: f.iterations,
    converged: f.converged,
  };
}

function gammaGammaLl(sm: SpendSummary, p: readonly number[]): number {
  const [pp, q, v] = p as [number, number, number];
  if (!(pp > 0 && q > 0 && v > 0)) return Number.NEGATIVE_INFINITY;
  let ll = 0;
  const base = -lgamma(q) + q * Math.log(v);
  for (let i = 0; i < sm.x.length; i++) {
    const x = sm.x[i] as number;
    const m = sm.m[i] as number;
    if (!(x > 0 && m > 0)) continue;
    const px = pp * x;
    const l =
      base + lgamma(px + q) - lgamma(px) + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(x * m + v);
    ll += (sm.weight[i] as number) * l;
  }
  return ll;
}

export function fitGammaGamma(s: SpendSummary, o?: FitOptions): FitResult<GammaGammaParams> {
  const t = totals(s.weight, s.x);
  if (t.repeatBuyers === 0) throw new TierwiseError("CLV_NO_REPEAT_BUYERS", { customers: t.customers });
  const f = fitLogParams((p) => gammaGammaLl(s, p), [1, 1, 1], o);
  const [p, q, v] = f.params as [number, number, number];
  const [ep, eq, ev] = f.se as [number | null, number | null, number | null];
  return {
    model: "gamma-gamma",
    params: { p, q, v },
    standardErrors: { p: ep, q: eq, v: ev },
    logLikelihood: f.ll,
    ...t,
    starts: f.starts,
    iterations: f.iterations,
    converged: f.converged,
  };
}

const isBg = (fit: PurchaseFit): fit is FitResult<BgNbdParams> => fit.model === "bgnbd";

export function pAlive(fit: PurchaseFit, x: number, tx: number, T: number): number {
  if (isBg(fit)) {
    const { r, alpha, a, b } = fit.params;
    if (x === 0) return 1;
    return 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
  }
  const p = fit.params as ParetoNbdParams;
  const { r, alpha, s, beta } = p;
  return 1 / (1 + (s / (r + s + x)) * (alpha + T) ** (r + x) * (beta + T) ** s * paretoA0(p, x, tx, T));
}

export function expectedPurchases(fit: PurchaseFit, t: number, x: number, tx: number, T: number): number {
  if (isBg(fit)) {
    const { r, alpha, a, b } = fit.params;
    const z = t / (alpha + T + t);
    const head = (a + b + x - 1) / (a - 1);
    const body = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
    const tail = x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0;
    return (head * body) / (1 + tail);
  }
  const { r, alpha, s, beta } = fit.params as ParetoNbdParams;
  return (
    (((r + x) * (beta + T)) / ((alpha + T) * (s - 1))) *
    (1 - ((beta + T) / (beta + T + t)) ** (s - 1)) *
    pAlive(fit, x, tx, T)
  );
}

export function expectedPurchasesNew(fit: PurchaseFit, t: number): number {
  if (isBg(fit)) {
    const { r, alpha, a, b } = fit.params;
    return ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
  }
  const { r, alpha, s, beta } = fit.params as ParetoNbdParams;
  return ((r * beta) / (alpha * (s - 1))) * (1 - (beta / (beta + t)) ** (s - 1));
}

export function expectedSpend(fit: FitResult<GammaGammaParams>, x: number, m: number): number {
  const { p, q, v } = fit.params;
  return (p * (v + x * m)) / (p * x + q - 1);
}

/**
 * Discounted margin of the expected purchases over the horizon, valued at the
 * Gamma-Gamma expected spend (or at `m` without a spend model); discounted
 * in monthly steps.
 */
export function clv(
  purchase: PurchaseFit,
  spend: FitResult<GammaGammaParams> | undefined,
  x: number,
  tx: number,
  T: number,
  m: number,
  o: ClvOptions,
): number {
  const value = spend ? expectedSpend(spend, x, m) : m;
  const perYear = o.unit === "week" ? 365.25 / 7 : 365.25;
  const step = perYear / 12;
  let total = 0;
  let before = 0;
  for (let end = Math.min(step, o.horizon); ; end = Math.min(end + step, o.horizon)) {
    const upTo = expectedPurchases(purchase, end, x, tx, T);
    total += (upTo - before) / (1 + o.discountRate) ** (end / perYear);
    before = upTo;
    if (end >= o.horizon) break;
  }
  return total * value * o.margin;
}
