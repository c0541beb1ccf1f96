import { describe, expect, it } from "vitest";
import { bgnbdLogLikelihood } from "../../src/clv/bgnbd.js";
import { preparePurchases } from "../../src/clv/data.js";
import { fitBgNbd, fitGammaGamma, fitParetoNbd, summarise } from "../../src/clv/index.js";
import { paretoLogLikelihood } from "../../src/clv/pareto-nbd.js";
import { hyp2f1 } from "../../src/clv/special.js";
import { cdnowCalibration, cdnowPublishedSummary } from "./cdnow.js";

const customers = cdnowCalibration();
const summary = summarise(customers);
const repeat = customers.filter((c) => c.x > 0);
const spend = {
  x: Float64Array.from(repeat, (c) => c.x),
  m: Float64Array.from(repeat, (c) => c.m),
  weight: new Float64Array(repeat.length).fill(1),
};

/** The BG/NBD likelihood of FHL (2005) eq. 6, written plainly: gamma and beta ratios as products, no logs until the end. */
function plainBgNbdLogLikelihood(r: number, alpha: number, a: number, b: number): number {
  let ll = 0;
  for (const c of customers) {
    let gammaRatio = 1; // Γ(r+x)/Γ(r)
    let betaRatio = 1; // B(a, b+x)/B(a, b) = Π (b+k)/(a+b+k)
    for (let k = 0; k < c.x; k++) {
      gammaRatio *= r + k;
      betaRatio *= (b + k) / (a + b + k);
    }
    const common = (gammaRatio * alpha ** r) / (alpha + c.T) ** (r + c.x);
    let l = betaRatio * common;
    if (c.x > 0) {
      // B(a+1, b+x−1)/B(a, b) = a/(b+x−1) · B(a, b+x)/B(a, b)
      const dropped = (a / (b + c.x - 1)) * betaRatio * ((gammaRatio * alpha ** r) / (alpha + c.tx) ** (r + c.x));
      l += dropped;
    }
    ll += Math.log(l);
  }
  return ll;
}

/** The Pareto/NBD likelihood as FHL's note writes it, with their two ₂F₁ terms for A₀. */
function hypergeometricParetoLogLikelihood(r: number, alpha: number, s: number, beta: number): number {
  let ll = 0;
  for (const c of customers) {
    const rsx = r + s + c.x;
    const [big, b2, z] = alpha >= beta ? [alpha, s + 1, alpha - beta] : [beta, r + c.x, beta - alpha];
    const g = (u: number) => hyp2f1(rsx, b2, rsx + 1, z / (big + u)) / (big + u) ** rsx;
    const a0 = g(c.tx) - g(c.T);
    let gammaRatio = 1;
    for (let k = 0; k < c.x; k++) gammaRatio *= r + k;
    const l =
      gammaRatio * alpha ** r * beta ** s * (1 / ((alpha + c.T) ** (r + c.x) * (beta + c.T) ** s) + (s / rsx) * a0);
    ll += Math.log(l);
  }
  return ll;
}

describe("CDNOW sample, weekly units, calibration to 1997-09-30", () => {
  it("our calibration statistics equal the published summary", () => {
    const published = cdnowPublishedSummary();
    expect(customers).toHaveLength(2357);
    expect(repeat).toHaveLength(946);
    expect(customers.reduce((s, c) => s + c.x, 0)).toBe(2457);
    for (const c of customers) {
      const p = published.get(c.id);
      expect(p).toBeDefined();
      expect(c.x).toBe(p?.x);
      expect(Math.abs(c.tx - (p?.tx ?? Number.NaN))).toBeLessThan(0.006);
      expect(Math.abs(c.T - (p?.T ?? Number.NaN))).toBeLessThan(0.006);
      expect(Math.abs(c.m - (p?.m ?? Number.NaN))).toBeLessThan(0.006);
    }
  });

  it("our log-likelihood equals a plainly written BG/NBD likelihood to 1e-10 relative", () => {
    const d = preparePurchases("bgnbd", summary);
    for (const [r, alpha, a, b] of [
      [0.243, 4.414, 0.793, 2.426],
      [1, 1, 1, 1],
      [0.05, 30, 5, 0.3],
      [3, 0.5, 0.2, 20],
      [0.5, 100, 1.5, 1.5],
    ] as const) {
      const ours = bgnbdLogLikelihood(d, Float64Array.of(r, alpha, a, b), null);
      const plain = plainBgNbdLogLikelihood(r, alpha, a, b);
      expect(Math.abs(ours - plain) / Math.abs(plain)).toBeLessThan(1e-10);
    }
  });

  it("BG/NBD: the literature's estimates, and 60 random starts find no higher likelihood", () => {
    const fit = fitBgNbd(summary);
    expect(fit.params.r).toBeCloseTo(0.2426, 3);
    expect(fit.params.alpha).toBeCloseTo(4.4136, 3);
    expect(fit.params.a).toBeCloseTo(0.7929, 3);
    expect(fit.params.b).toBeCloseTo(2.4259, 3);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4292, 3);
    expect(fit.logLikelihood).toBeCloseTo(
      plainBgNbdLogLikelihood(fit.params.r, fit.params.alpha, fit.params.a, fit.params.b),
      6,
    );
    expect(fit).toMatchObject({ model: "bgnbd", customers: 2357, repeatBuyers: 946, converged: true });
    for (const se of Object.values(fit.standardErrors)) expect(se).toBeGreaterThan(0);
    const many = fitBgNbd(summary, { starts: 60, seed: 99 });
    expect(many.logLikelihood).toBeLessThan(fit.logLikelihood + 1e-6);
    expect(many.params.b).toBeCloseTo(fit.params.b, 4);
    // And no point of a wide random grid beats it.
    const d = preparePurchases("bgnbd", summary);
    let seed = 1;
    const u = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 5000; i++) {
      const theta = Float64Array.from({ length: 4 }, () => Math.exp(-5 + 10 * u()));
      expect(bgnbdLogLikelihood(d, theta, null)).toBeLessThan(fit.logLikelihood);
    }
  });

  it("Pareto/NBD: the literature's estimates, agreeing with the hypergeometric form, no higher optimum from 20 starts", () => {
    const fit = fitParetoNbd(summary);
    expect(fit.params.r).toBeCloseTo(0.5533, 3);
    expect(fit.params.alpha).toBeCloseTo(10.578, 2);
    expect(fit.params.s).toBeCloseTo(0.6062, 3);
    expect(fit.params.beta).toBeCloseTo(11.669, 2);
    expect(fit.logLikelihood).toBeCloseTo(-9594.976, 2);
    const d = preparePurchases("pareto-nbd", summary);
    for (const [r, alpha, s, beta] of [
      [0.5533, 10.578, 0.6062, 11.669],
      [0.3, 5, 1.2, 40],
      [2, 30, 0.3, 6],
    ] as const) {
      const ours = paretoLogLikelihood(d, Float64Array.of(r, alpha, s, beta), null);
      const reference = hypergeometricParetoLogLikelihood(r, alpha, s, beta);
      expect(Math.abs(ours - reference) / Math.abs(reference)).toBeLessThan(1e-9);
    }
    const many = fitParetoNbd(summary, { starts: 20, seed: 7 });
    expect(many.logLikelihood).toBeLessThan(fit.logLikelihood + 1e-6);
  });

  it("Gamma-Gamma on the repeat buyers' mean spend: the literature's estimates", () => {
    const fit = fitGammaGamma(spend);
    expect(fit.params.p).toBeCloseTo(6.25, 1);
    expect(fit.params.q).toBeCloseTo(3.74, 1);
    expect(fit.params.v).toBeCloseTo(15.44, 1);
    expect(fit.customers).toBe(946);
    const many = fitGammaGamma(spend, { starts: 40, seed: 3 });
    expect(many.logLikelihood).toBeLessThan(fit.logLikelihood + 1e-6);
  });
});
