/**
 * The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo
 * & Jiang 1999). Each purchase's value is Gamma(p, ν); a customer's ν is
 * Gamma(q, v). The mean m of x purchases has density
 *   Γ(px+q) / (Γ(px) Γ(q)) · v^q m^(px−1) x^(px) / (v + m x)^(px+q),
 * independent of the buying process.
 */
import type { PreparedSpend } from "./data.js";
import { digamma, lgamma } from "./special.js";
import type { GammaGammaParams } from "./types.js";

/** The summed Gamma-Gamma log-likelihood at θ = (p, q, v); the gradient goes to `grad` when given. */
export function gammaGammaLogLikelihood(d: PreparedSpend, theta: Float64Array, grad: Float64Array | null): number {
  const p = theta[0] as number;
  const q = theta[1] as number;
  const v = theta[2] as number;
  const lgq = lgamma(q);
  const psiq = digamma(q);
  const lnv = Math.log(v);
  let ll = 0;
  let gp = 0;
  let gq = 0;
  let gv = 0;
  // Per distinct x: ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + px ln x.
  const psiSum = new Float64Array(d.xs.length);
  const psiPx = new Float64Array(d.xs.length);
  for (let k = 0; k < d.xs.length; k++) {
    const x = d.xs[k] as number;
    const w = d.xWeight[k] as number;
    const px = p * x;
    ll += w * (lgamma(px + q) - lgamma(px) - lgq + q * lnv + px * Math.log(x));
    if (grad) {
      psiSum[k] = digamma(px + q);
      psiPx[k] = digamma(px);
      gp += w * x * ((psiSum[k] as number) - (psiPx[k] as number) + Math.log(x));
      gq += w * ((psiSum[k] as number) - psiq + lnv);
      gv += (w * q) / v;
    }
  }
  for (let i = 0; i < d.rowWeight.length; i++) {
    const w = d.rowWeight[i] as number;
    const x = d.rowXValue[i] as number;
    const lm = d.rowLogM[i] as number;
    const px = p * x;
    const denom = v + (d.rowM[i] as number) * x;
    const ld = Math.log(denom);
    ll += w * ((px - 1) * lm - (px + q) * ld);
    if (grad) {
      gp += w * x * (lm - ld);
      gq -= w * ld;
      gv -= (w * (px + q)) / denom;
    }
  }
  if (grad) {
    grad[0] = gp;
    grad[1] = gq;
    grad[2] = gv;
  }
  return ll;
}

/**
 * E[value of a purchase | x, m] = p (v + x m) / (p x + q − 1): a weighted mean
 * of the population mean p v / (q − 1) and the customer's own mean m. For
 * x = 0 it is the population mean, which is infinite when q ≤ 1 (returned as
 * Infinity; callers decide).
 */
export function gammaGammaExpectedSpend(g: GammaGammaParams, x: number, m: number): number {
  const den = g.p * x + g.q - 1;
  if (den <= 0) return Number.POSITIVE_INFINITY;
  return (g.p * (g.v + (x > 0 ? x * m : 0))) / den;
}
