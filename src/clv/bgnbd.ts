/**
 * The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the
 * easy way"). A customer buys at rate λ ~ Gamma(r, α) while alive and, after
 * each repeat purchase, drops out with probability p ~ Beta(a, b).
 *
 * Log-likelihood of one customer (x repeat purchases, the last at tx, age T):
 *   ℓ = ln Γ(r+x) − ln Γ(r) + r ln α + ln Γ(b+x) − ln Γ(b) + ln Γ(a+b) − ln Γ(a+b+x)
 *       + ln[ (α+T)^−(r+x) + [x>0] a/(b+x−1) (α+tx)^−(r+x) ]
 * The last term is a log-sum-exp; the gamma ratios are computed once per
 * distinct x (running sums, see gammaRatios) and the logs once per distinct
 * T and tx.
 */
import { TierwiseError } from "../errors/index.js";
import type { PreparedPurchases } from "./data.js";
import { gammaRatios, oneMinusPowOverK } from "./special.js";
import type { BgNbdParams } from "./types.js";

interface Scratch {
  lnAT: Float64Array;
  invAT: Float64Array;
  lnAtx: Float64Array;
  invAtx: Float64Array;
  lr: Float64Array;
  pr: Float64Array;
  lb: Float64Array;
  pb: Float64Array;
  lab: Float64Array;
  pab: Float64Array;
  w2: Float64Array;
  lq: Float64Array;
}

const scratches = new WeakMap<PreparedPurchases, Scratch>();

function scratch(d: PreparedPurchases): Scratch {
  let s = scratches.get(d);
  if (!s) {
    const nx = d.xs.length;
    s = {
      lnAT: new Float64Array(d.Ts.length),
      invAT: new Float64Array(d.Ts.length),
      lnAtx: new Float64Array(d.txs.length),
      invAtx: new Float64Array(d.txs.length),
      lr: new Float64Array(nx),
      pr: new Float64Array(nx),
      lb: new Float64Array(nx),
      pb: new Float64Array(nx),
      lab: new Float64Array(nx),
      pab: new Float64Array(nx),
      w2: new Float64Array(nx),
      lq: new Float64Array(nx),
    };
    scratches.set(d, s);
  }
  return s;
}

/**
 * The summed BG/NBD log-likelihood at θ = (r, α, a, b); when `grad` is given,
 * its gradient in the same parameters is written there.
 */
export function bgnbdLogLikelihood(d: PreparedPurchases, theta: Float64Array, grad: Float64Array | null): number {
  const r = theta[0] as number;
  const alpha = theta[1] as number;
  const a = theta[2] as number;
  const b = theta[3] as number;
  const s = scratch(d);
  const lnAlpha = Math.log(alpha);
  for (let i = 0; i < d.Ts.length; i++) {
    const v = alpha + (d.Ts[i] as number);
    s.lnAT[i] = Math.log(v);
    s.invAT[i] = 1 / v;
  }
  for (let i = 0; i < d.txs.length; i++) {
    const v = alpha + (d.txs[i] as number);
    s.lnAtx[i] = Math.log(v);
    s.invAtx[i] = 1 / v;
  }
  gammaRatios(r, d.xs, s.lr, s.pr);
  gammaRatios(b, d.xs, s.lb, s.pb);
  gammaRatios(a + b, d.xs, s.lab, s.pab);
  s.w2.fill(0);

  // Customers with x = 0: ℓ = r ln(α/(α+T)).
  let ll = 0;
  let gr = 0;
  let gAlpha = 0;
  let ga = 0;
  let gb = 0;
  for (let i = 0; i < d.Ts.length; i++) {
    const w = d.zeroWeight[i] as number;
    if (w === 0) continue;
    ll += w * r * (lnAlpha - (s.lnAT[i] as number));
    gr += w * (lnAlpha - (s.lnAT[i] as number));
    gAlpha += w * r * (1 / alpha - (s.invAT[i] as number));
  }
  // The parts of repeat buyers' ℓ that depend on x only.
  const lnA = Math.log(a);
  for (let k = 0; k < d.xs.length; k++) {
    const w = d.xWeight[k] as number;
    ll += w * ((s.lr[k] as number) + r * lnAlpha + (s.lb[k] as number) - (s.lab[k] as number));
    gr += w * ((s.pr[k] as number) + lnAlpha);
    gAlpha += (w * r) / alpha;
    ga -= w * (s.pab[k] as number);
    gb += w * ((s.pb[k] as number) - (s.pab[k] as number));
    s.lq[k] = lnA - Math.log(b + (d.xs[k] as number) - 1);
  }
  // The mixture of "alive at T" and "dropped out just after tx", per row.
  const w2 = s.w2;
  for (let i = 0; i < d.rowWeight.length; i++) {
    const w = d.rowWeight[i] as number;
    const xi = d.rowX[i] as number;
    const x = d.rowXValue[i] as number;
    const ti = d.rowT[i] as number;
    const txi = d.rowTx[i] as number;
    const rx = r + x;
    const c1 = -rx * (s.lnAT[ti] as number);
    const c2 = (s.lq[xi] as number) - rx * (s.lnAtx[txi] as number);
    let m: number;
    let q: number; // weight of the second term, e^c2 / (e^c1 + e^c2)
    if (c2 > c1) {
      const e = Math.exp(c1 - c2);
      m = c2 + Math.log1p(e);
      q = 1 / (1 + e);
    } else {
      const e = Math.exp(c2 - c1);
      m = c1 + Math.log1p(e);
      q = e / (1 + e);
    }
    ll += w * m;
    if (grad) {
      const p = 1 - q;
      gr -= w * (p * (s.lnAT[ti] as number) + q * (s.lnAtx[txi] as number));
      gAlpha -= w * rx * (p * (s.invAT[ti] as number) + q * (s.invAtx[txi] as number));
      w2[xi] = (w2[xi] as number) + w * q;
    }
  }
  if (grad) {
    for (let k = 0; k < d.xs.length; k++) {
      const wq = w2[k] as number;
      ga += wq / a;
      gb -= wq / (b + (d.xs[k] as number) - 1);
    }
    grad[0] = gr;
    grad[1] = gAlpha;
    grad[2] = ga;
    grad[3] = gb;
  }
  return ll;
}

/**
 * P(alive at T | x, tx, T) = 1 / (1 + [x>0] a/(b+x−1) ((α+T)/(α+tx))^(r+x)).
 * @example bgnbdPAlive({ r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, 2, 30, 38) // ≈ 0.9
 */
export function bgnbdPAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logOdds = Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected purchases in (T, T+t] of a customer alive at T (FHL 2005 eq. 10
 * without the P(alive) factor):
 *   (a+b+x−1)/(a−1) [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)],  z = t/(α+T+t).
 * Evaluated after Euler's transformation ₂F₁(R, B; c; z)(1−z)^R = (1−z)^(a−1) ₂F₁(c−R, a−1; c; z),
 * which cancels the (a−1) pole analytically (a = 1 is fine, a < 1 too) and
 * leaves c·(1 − (1−z)^(a−1))/(a−1) − (1−z)^(a−1) Σ_{n≥1} (c−R)_n (a)_{n−1} / ((c+1)_{n−1} n!) zⁿ.
 */
export function bgnbdExpectedIfAlive(p: BgNbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  // The Euler series alternates while n < (r+x) − (a+b+x−1), its terms growing to about (1+z)^that:
  // past e^14 of growth switch to the direct form, whose terms are all positive.
  const alternation = p.r + 1 - p.a - p.b;
  if (alternation > 0 && alternation * Math.log1p(t / (p.alpha + T + t)) > 14) {
    // Near a = 1 the direct form is 0/0: interpolate linearly between a = 1 ± h (error O(h²) ≈ 1e-6 relative).
    const h = 2e-3;
    if (Math.abs(p.a - 1) >= h) return directExpectedIfAlive(p, t, x, T);
    const below = directExpectedIfAlive({ ...p, a: 1 - h }, t, x, T);
    const above = directExpectedIfAlive({ ...p, a: 1 + h }, t, x, T);
    return below + ((p.a - (1 - h)) / (2 * h)) * (above - below);
  }
  const R = p.r + x;
  const c = p.a + p.b + x - 1;
  const kappa = p.a - 1;
  const base = p.alpha + T;
  const z = t / (base + t);
  const logOneMinusZ = -Math.log1p(t / base);
  const first = c * oneMinusPowOverK(kappa, logOneMinusZ);
  let term = (c - R) * z;
  let sum = term;
  let largest = Math.abs(term);
  let n = 1;
  for (; n < 2_000_000; n++) {
    term *= (((c - R + n) * (p.a + n - 1)) / ((c + n) * (n + 1))) * z;
    sum += term;
    const size = Math.abs(term);
    if (size > largest) largest = size;
    if (n > R - c && (size <= 1e-16 * Math.abs(sum) || term === 0)) break;
  }
  const weight = Math.exp(kappa * logOneMinusZ);
  const value = first - weight * sum;
  // The series alternates while n < R − c: refuse a value that cancellation or overflow has emptied of digits.
  if (
    !Number.isFinite(value) ||
    n >= 2_000_000 ||
    Math.max(Math.abs(first), weight * largest) > 1e8 * Math.abs(value)
  ) {
    throw new TierwiseError("CLV_DEGENERATE", {
      model: "bgnbd",
      reason: `expected purchases cannot be evaluated to 8 digits at r = ${p.r.toPrecision(3)}, a = ${p.a.toPrecision(3)}, b = ${p.b.toPrecision(3)} for x = ${x}, t = ${t.toPrecision(3)}`,
    });
  }
  return Math.max(value, 0);
}

/**
 * The same expectation from FHL's form (a+b+x−1)/(a−1) [1 − (1−z)^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)]
 * for r+x well above a+b+x−1, where the Euler series alternates for many
 * terms while this one's terms are all positive. The product (1−z)^(r+x) ₂F₁
 * is summed in log space (scaled by its largest term), so neither factor
 * overflows or underflows.
 */
export function directExpectedIfAlive(p: BgNbdParams, t: number, x: number, T: number): number {
  const R = p.r + x;
  const B = p.b + x;
  const c = p.a + p.b + x - 1;
  const base = p.alpha + T;
  const z = t / (base + t);
  const logZ = Math.log(z);
  let logTerm = -R * Math.log1p(t / base);
  let top = logTerm;
  let scaled = 1; // Σ exp(logTerm − top)
  let n = 0;
  for (; n < 2_000_000; n++) {
    logTerm += Math.log(((R + n) * (B + n)) / ((c + n) * (n + 1))) + logZ;
    if (logTerm > top) {
      scaled = scaled * Math.exp(top - logTerm) + 1;
      top = logTerm;
    } else {
      const e = Math.exp(logTerm - top);
      scaled += e;
      if (e <= 1e-17 * scaled && (R + n) * (B + n) * z < (c + n) * (n + 1)) break;
    }
  }
  const product = Math.exp(top + Math.log(scaled));
  const value = (c / (p.a - 1)) * (1 - product);
  if (!Number.isFinite(value) || n >= 2_000_000 || Math.abs(1 - product) < 1e-8) {
    throw new TierwiseError("CLV_DEGENERATE", {
      model: "bgnbd",
      reason: `expected purchases cannot be evaluated to 8 digits at r = ${p.r.toPrecision(3)}, a = ${p.a.toPrecision(3)}, b = ${p.b.toPrecision(3)} for x = ${x}, t = ${t.toPrecision(3)}`,
    });
  }
  return Math.max(value, 0);
}
