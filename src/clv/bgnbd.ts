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
  const R = p.r + x;
  const c = p.a + p.b + x - 1;
  const kappa = p.a - 1;
  const base = p.alpha + T;
  const z = t / (base + t);
  const logOneMinusZ = -Math.log1p(t / base);
  const first = c * oneMinusPowOverK(kappa, logOneMinusZ);
  let term = (c - R) * z;
  let sum = term;
  for (let n = 1; n < 1_000_000; n++) {
    term *= (((c - R + n) * (p.a + n - 1)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (n > R - c && (Math.abs(term) <= 1e-16 * Math.abs(sum) || term === 0)) break;
  }
  const value = first - Math.exp(kappa * logOneMinusZ) * sum;
  return Math.max(value, 0);
}
