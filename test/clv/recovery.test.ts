import { describe, expect, it } from "vitest";
import {
  type FitResult,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  simulateBgNbd,
  simulateParetoNbd,
  simulateSpend,
  summarise,
} from "../../src/clv/index.js";

/** Ages of n customers whose first purchases spread over a year, observed 39 weeks after the last cohort. */
function ages(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 39 + (52 * i) / n);
}

function rows(s: { x: Float64Array; tx: Float64Array; T: Float64Array }) {
  return Array.from(s.x, (x, i) => ({ x, tx: s.tx[i] as number, T: s.T[i] as number }));
}

/** Every parameter within 3 standard errors of the truth. */
function expectRecovered<P extends object>(fit: FitResult<P>, truth: P): void {
  for (const [k, v] of Object.entries(truth) as [keyof P & string, number][]) {
    const est = fit.params[k] as number;
    const se = fit.standardErrors[k];
    expect(se, k).not.toBeNull();
    expect(Math.abs(est - v), `${k}: ${est} vs ${v} (se ${se})`).toBeLessThan(3 * (se ?? 0));
  }
}

describe("parameter recovery from simulated customers", () => {
  const bgSets = {
    "CDNOW-like": { r: 0.25, alpha: 4, a: 0.8, b: 2.5 },
    "very low repeat rate": { r: 0.1, alpha: 20, a: 1.2, b: 3 },
    "very high churn": { r: 2, alpha: 6, a: 6, b: 1.5 },
    "steady, almost no churn": { r: 1.5, alpha: 10, a: 0.3, b: 8 },
    "extremely low repeat rate (about 5% repeat buyers)": { r: 0.05, alpha: 30, a: 1, b: 3 },
    "near-certain churn after each purchase (mean p 0.91)": { r: 1, alpha: 5, a: 20, b: 2 },
  };
  for (const [name, truth] of Object.entries(bgSets)) {
    it(`BG/NBD, ${name}`, () => {
      const sim = simulateBgNbd(truth, ages(20_000), 11);
      const fit = fitBgNbd(summarise(rows(sim)));
      expect(fit.converged).toBe(true);
      expectRecovered(fit, truth);
    });
  }

  const paretoSets = {
    "CDNOW-like": { r: 0.55, alpha: 10.5, s: 0.6, beta: 11.7 },
    "very low repeat rate": { r: 0.2, alpha: 40, s: 1, beta: 20 },
    "very high churn": { r: 1, alpha: 3, s: 3, beta: 6 },
  };
  for (const [name, truth] of Object.entries(paretoSets)) {
    it(`Pareto/NBD, ${name}`, () => {
      const sim = simulateParetoNbd(truth, ages(8_000), 12);
      const fit = fitParetoNbd(summarise(rows(sim)));
      expect(fit.converged).toBe(true);
      expectRecovered(fit, truth);
    });
  }

  it("Gamma-Gamma", () => {
    const truth = { p: 6, q: 4, v: 15 };
    const x = Float64Array.from({ length: 20_000 }, (_, i) => 1 + (i % 7));
    const m = simulateSpend(truth, x, 13);
    const fit = fitGammaGamma({ x, m, weight: new Float64Array(x.length).fill(1) });
    expectRecovered(fit, truth);
  });

  it("Gamma-Gamma with widely spread customers (q small)", () => {
    const truth = { p: 2, q: 1.8, v: 40 };
    const x = Float64Array.from({ length: 20_000 }, (_, i) => 1 + (i % 3));
    const m = simulateSpend(truth, x, 14);
    expectRecovered(fitGammaGamma({ x, m, weight: new Float64Array(x.length).fill(1) }), truth);
  });
});
