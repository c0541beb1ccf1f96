/**
 * The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987; likelihood as
 * in Fader, Hardie & Lee 2005, "A note on deriving the Pareto/NBD model").
 * A customer buys at rate λ ~ Gamma(r, α) until an unobserved dropout time
 * τ ~ Exp(μ), μ ~ Gamma(s, β). One customer's likelihood is
 *   Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s I ],
 *   I = ∫_tx^T (α+y)^−(r+x) (β+y)^−(s+1) dy   (dropout at y in (tx, T]).
 * The literature writes I as a difference of two ₂F₁ values whose series
 * converges slowly, and loses digits, as |α−β|/(max(α,β)+tx) nears 1. We
 * integrate I directly instead (pareto-integral.ts): substituting m+y = (m+tx)e^v with m =
 * min(α, β) makes the log-integrand E(v) concave with a slope bounded by the
 * exponents, so composite 10-point Gauss–Legendre on segments over which E
 * changes by at most ~3, after cutting off the part beyond 40 e-folds, gives
 * I to ~1e-14 relative for any x, tx, T, α, β. The gradient comes from the
 * same nodes by differentiating under the integral. The likelihood shares the
 * integrals' ends between rows (chains of pieces per x, below); predictions
 * one customer at a time difference memoised ₂F₁ tails (pareto-nbd-predict.ts).
 */
import type { PreparedPurchases } from "./data.js";
import { logDropoutIntegral } from "./pareto-integral.js";
import { gammaRatios } from "./special.js";

const moments = new Float64Array(4);

const ZERO = new Float64Array(4);

/**
 * The dropout integrals of a prepared data set share their ends: I(x, tx, T)
 * = S(x, tx) − S(x, T) with S(x, u) = ∫_u^U (α+y)^−(r+x) (β+y)^−(s+1) dy, U
 * the largest end seen with that x. So each distinct (x, u) pair is a node of
 * a chain per x; one evaluation integrates the short pieces between
 * neighbouring nodes (the same quadrature), sums them from the right with
 * compensation, and reads every row's I (and the I-weighted moments for the
 * gradient) as a difference of two nodes. The sums are kept as
 * (hi + lo)·2^e so nothing overflows and rescaling is exact. A row whose I is
 * below 1e-3 of S(x, tx) (the difference would lose more than three digits)
 * gets its integral directly instead.
 */
interface ParetoChains {
  /** Per node: x, u, and whether the next node continues the same chain. */
  readonly nodeX: Float64Array;
  readonly nodeU: Float64Array;
  readonly nodeLinked: Uint8Array;
  /** Per repeat row: the nodes of (x, tx) and (x, T). */
  readonly rowTxNode: Uint32Array;
  readonly rowTNode: Uint32Array;
  /** Per distinct T: the nodes of (0, 0) and (0, T) for the x = 0 customers (only read when zeroWeight > 0). */
  readonly zeroStartNode: Uint32Array;
  readonly zeroTNode: Uint32Array;
  /** Per-evaluation scratch: the compensated sum (hi, lo), its binary exponent, the four moment sums. */
  readonly hi: Float64Array;
  readonly lo: Float64Array;
  readonly exp2: Float64Array;
  readonly mom: Float64Array;
}

const chainCache = new WeakMap<PreparedPurchases, ParetoChains>();

/** The distinct values of `a`, ascending (a sorted copy). */
function uniqueSorted(a: Float64Array): Float64Array {
  const sorted = a.slice().sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (n === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i] as number;
  }
  return sorted.slice(0, n);
}

function chainsOf(d: PreparedPurchases): ParetoChains {
  const known = chainCache.get(d);
  if (known) return known;
  const us = uniqueSorted(Float64Array.from([0, ...d.Ts, ...d.txs]));
  const uIndex = new Map<number, number>();
  us.forEach((u, i) => {
    uIndex.set(u, i);
  });
  const nU = us.length;
  // Key of (x index + 1, u index); x = 0 gets x index −1.
  const key = (xi: number, u: number): number => (xi + 1) * nU + (uIndex.get(u) as number);
  const rows = d.rowWeight.length;
  const keys = new Float64Array(2 * rows + d.Ts.length + 1);
  let nk = 0;
  for (let i = 0; i < rows; i++) {
    const xi = d.rowX[i] as number;
    keys[nk++] = key(xi, d.txs[d.rowTx[i] as number] as number);
    keys[nk++] = key(xi, d.Ts[d.rowT[i] as number] as number);
  }
  let zeros = false;
  for (let i = 0; i < d.Ts.length; i++) {
    if ((d.zeroWeight[i] as number) === 0) continue;
    zeros = true;
    keys[nk++] = key(-1, d.Ts[i] as number);
  }
  if (zeros) keys[nk++] = key(-1, 0);
  const sorted = uniqueSorted(keys.subarray(0, nk));
  const n = sorted.length;
  const nodeOf = new Map<number, number>();
  const nodeX = new Float64Array(n);
  const nodeU = new Float64Array(n);
  const nodeLinked = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    const k = sorted[j] as number;
    nodeOf.set(k, j);
    const xk = Math.floor(k / nU);
    nodeX[j] = xk === 0 ? 0 : (d.xs[xk - 1] as number);
    nodeU[j] = us[k - xk * nU] as number;
    if (j > 0 && Math.floor((sorted[j - 1] as number) / nU) === xk) nodeLinked[j - 1] = 1;
  }
  const rowTxNode = new Uint32Array(rows);
  const rowTNode = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) {
    rowTxNode[i] = nodeOf.get(keys[2 * i] as number) as number;
    rowTNode[i] = nodeOf.get(keys[2 * i + 1] as number) as number;
  }
  const zeroStartNode = new Uint32Array(d.Ts.length);
  const zeroTNode = new Uint32Array(d.Ts.length);
  for (let i = 0; i < d.Ts.length; i++) {
    if ((d.zeroWeight[i] as number) === 0) continue;
    zeroStartNode[i] = nodeOf.get(key(-1, 0)) as number;
    zeroTNode[i] = nodeOf.get(key(-1, d.Ts[i] as number)) as number;
  }
  const chains: ParetoChains = {
    nodeX,
    nodeU,
    nodeLinked,
    rowTxNode,
    rowTNode,
    zeroStartNode,
    zeroTNode,
    hi: new Float64Array(n),
    lo: new Float64Array(n),
    exp2: new Float64Array(n),
    mom: new Float64Array(4 * n),
  };
  chainCache.set(d, chains);
  return chains;
}

const LN2 = Math.LN2;
/** Past this many binary orders above its scale a running sum is rescaled. */
const RESCALE_BITS = 512;

/** Fills the chains' sums S(x, u) (and the moment sums when `withMoments`) at (r, α, s, β). */
function sumChains(c: ParetoChains, r: number, alpha: number, s: number, beta: number, withMoments: boolean): void {
  const { nodeX, nodeU, nodeLinked, hi, lo, exp2, mom } = c;
  const pb = s + 1;
  let sHi = 0;
  let sLo = 0;
  let e = 0;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  for (let j = nodeX.length - 1; j >= 0; j--) {
    if (nodeLinked[j] === 1) {
      const lnP = logDropoutIntegral(
        r + (nodeX[j] as number),
        pb,
        alpha,
        beta,
        nodeU[j] as number,
        nodeU[j + 1] as number,
        withMoments ? moments : null,
      );
      if (sHi === 0 && sLo === 0) e = Math.floor(lnP / LN2);
      let shift = lnP / LN2 - e;
      if (shift > RESCALE_BITS) {
        const k = Math.floor(shift);
        const f = 2 ** -k;
        sHi *= f;
        sLo *= f;
        m0 *= f;
        m1 *= f;
        m2 *= f;
        m3 *= f;
        e += k;
        shift -= k;
      }
      const p = 2 ** shift;
      // Two-sum: sHi + p exactly as the new sHi plus an error added to sLo.
      const t = sHi + p;
      const bb = t - sHi;
      sLo += sHi - (t - bb) + (p - bb);
      sHi = t;
      if (withMoments) {
        m0 += p * (moments[0] as number);
        m1 += p * (moments[1] as number);
        m2 += p * (moments[2] as number);
        m3 += p * (moments[3] as number);
      }
    } else {
      sHi = 0;
      sLo = 0;
      e = 0;
      m0 = 0;
      m1 = 0;
      m2 = 0;
      m3 = 0;
    }
    hi[j] = sHi;
    lo[j] = sLo;
    exp2[j] = e;
    if (withMoments) {
      mom[4 * j] = m0;
      mom[4 * j + 1] = m1;
      mom[4 * j + 2] = m2;
      mom[4 * j + 3] = m3;
    }
  }
}

/** Below this share of S(x, tx) a row's integral is computed directly (the difference would lose > 3 digits). */
const CANCELLATION = 1e-3;

/**
 * ln I for the row between nodes a = (x, tx) and b = (x, T), with the
 * normalised moments in `moments` when `withMoments`; falls back to the
 * direct quadrature when the difference cancels.
 */
function chainLogIntegral(
  c: ParetoChains,
  a: number,
  b: number,
  pa: number,
  pb: number,
  alpha: number,
  beta: number,
  tx: number,
  T: number,
  withMoments: boolean,
): number {
  if (!(T > tx)) return Number.NEGATIVE_INFINITY;
  const ea = c.exp2[a] as number;
  const eb = c.exp2[b] as number;
  const f = eb === ea ? 1 : 2 ** (eb - ea);
  const aHi = c.hi[a] as number;
  const diff = aHi - (c.hi[b] as number) * f + ((c.lo[a] as number) - (c.lo[b] as number) * f);
  if (!(diff >= CANCELLATION * aHi))
    return logDropoutIntegral(pa, pb, alpha, beta, tx, T, withMoments ? moments : null);
  if (withMoments) {
    const { mom } = c;
    for (let k = 0; k < 4; k++) moments[k] = ((mom[4 * a + k] as number) - (mom[4 * b + k] as number) * f) / diff;
  }
  return Math.log(diff) + ea * LN2;
}

/**
 * One customer's log-likelihood without the terms that depend on x only
 * (ln Γ(r+x) − ln Γ(r) + r ln α + s ln β), from its ln I and the logs of
 * α+T, β+T, s; its gradient in (r, α, s, β), from the I-weighted moments in
 * `moments`, is added into `grad` times `w` when given. With
 * R = s I / ((α+T)^−(r+x) (β+T)^−s), P(alive) = 1/(1+R).
 */
function rowFromIntegral(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  T: number,
  lnAT: number,
  lnBT: number,
  lnS: number,
  logI: number,
  w: number,
  grad: Float64Array | null,
): number {
  const pa = r + x;
  const logTerm1 = -pa * lnAT - s * lnBT;
  const logR = lnS + logI - logTerm1;
  const e = Math.exp(-Math.abs(logR));
  const q = logR > 0 ? 1 / (1 + e) : e / (1 + e);
  const ll = logTerm1 + Math.max(logR, 0) + Math.log1p(e);
  if (grad) {
    const p = 1 - q;
    const m = q > 0 ? moments : ZERO;
    grad[0] = (grad[0] as number) - w * (p * lnAT + q * (m[0] as number));
    grad[1] = (grad[1] as number) - w * pa * (p / (alpha + T) + q * (m[2] as number));
    grad[2] = (grad[2] as number) + w * (-p * lnBT + q * (1 / s - (m[1] as number)));
    grad[3] = (grad[3] as number) - w * ((p * s) / (beta + T) + q * (s + 1) * (m[3] as number));
  }
  return ll;
}

/** The summed Pareto/NBD log-likelihood at θ = (r, α, s, β); the gradient goes to `grad` when given. */
export function paretoLogLikelihood(d: PreparedPurchases, theta: Float64Array, grad: Float64Array | null): number {
  const r = theta[0] as number;
  const alpha = theta[1] as number;
  const s = theta[2] as number;
  const beta = theta[3] as number;
  if (grad) grad.fill(0);
  const c = chainsOf(d);
  const withMoments = grad !== null;
  sumChains(c, r, alpha, s, beta, withMoments);
  const lr = new Float64Array(d.xs.length);
  const pr = new Float64Array(d.xs.length);
  gammaRatios(r, d.xs, lr, pr);
  const lnAlpha = Math.log(alpha);
  const lnBeta = Math.log(beta);
  const lnS = Math.log(s);
  const lnAT = d.Ts.map((T) => Math.log(alpha + T));
  const lnBT = d.Ts.map((T) => Math.log(beta + T));
  // The sum is compensated (Neumaier): with hundreds of thousands of rows a plain sum
  // rounds by ~1e-6 absolute, a noise floor the polishing line search cannot see past.
  let ll = 0;
  let llLo = 0;
  let total = 0;
  for (let k = 0; k < d.xs.length; k++) {
    const w = d.xWeight[k] as number;
    total += w;
    {
      const v = w * (lr[k] as number);
      const t = ll + v;
      llLo += Math.abs(ll) >= Math.abs(v) ? ll - t + v : v - t + ll;
      ll = t;
    }
    if (grad) grad[0] = (grad[0] as number) + w * (pr[k] as number);
  }
  for (let i = 0; i < d.Ts.length; i++) {
    const w = d.zeroWeight[i] as number;
    if (w === 0) continue;
    total += w;
    const T = d.Ts[i] as number;
    const logI = chainLogIntegral(
      c,
      c.zeroStartNode[i] as number,
      c.zeroTNode[i] as number,
      r,
      s + 1,
      alpha,
      beta,
      0,
      T,
      withMoments,
    );
    {
      const v = w * rowFromIntegral(r, alpha, s, beta, 0, T, lnAT[i] as number, lnBT[i] as number, lnS, logI, w, grad);
      const t = ll + v;
      llLo += Math.abs(ll) >= Math.abs(v) ? ll - t + v : v - t + ll;
      ll = t;
    }
  }
  for (let i = 0; i < d.rowWeight.length; i++) {
    const w = d.rowWeight[i] as number;
    const ti = d.rowT[i] as number;
    const T = d.Ts[ti] as number;
    const tx = d.txs[d.rowTx[i] as number] as number;
    const x = d.rowXValue[i] as number;
    const logI = chainLogIntegral(
      c,
      c.rowTxNode[i] as number,
      c.rowTNode[i] as number,
      r + x,
      s + 1,
      alpha,
      beta,
      tx,
      T,
      withMoments,
    );
    {
      const v =
        w * rowFromIntegral(r, alpha, s, beta, x, T, lnAT[ti] as number, lnBT[ti] as number, lnS, logI, w, grad);
      const t = ll + v;
      llLo += Math.abs(ll) >= Math.abs(v) ? ll - t + v : v - t + ll;
      ll = t;
    }
  }
  for (const v of [total * r * lnAlpha, total * s * lnBeta]) {
    const t = ll + v;
    llLo += Math.abs(ll) >= Math.abs(v) ? ll - t + v : v - t + ll;
    ll = t;
  }
  if (grad) {
    grad[0] = (grad[0] as number) + total * lnAlpha;
    grad[1] = (grad[1] as number) + (total * r) / alpha;
    grad[2] = (grad[2] as number) + total * lnBeta;
    grad[3] = (grad[3] as number) + (total * s) / beta;
  }
  return ll + llLo;
}
