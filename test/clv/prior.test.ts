import { describe, expect, it } from "vitest";
import { fitBgNbd, fitGammaGamma, fitParetoNbd, simulateBgNbd, summarise } from "../../src/clv/index.js";
import { Rng } from "../../src/clv/random.js";
import { TierwiseError } from "../../src/errors/index.js";
import { cdnowCalibration } from "./cdnow.js";

const customers = cdnowCalibration();
const summary = summarise(customers);
const repeat = customers.filter((c) => c.x > 0);
const spend = {
  x: Float64Array.from(repeat, (c) => c.x),
  m: Float64Array.from(repeat, (c) => c.m),
  weight: new Float64Array(repeat.length).fill(1),
};

/**
 * 500 CDNOW-like BG/NBD customers (r 0.25, α 4, a 0.8, b 2.5) observed for
 * only 1–12 weeks (ages uniform, rounded; ages from Rng(seed · 101)). With
 * so short a calibration few customers show any sign of dropout, and for
 * seeds 13 and 23 (of 1–30) the maximum-likelihood estimate runs to the
 * boundary (a, b → 1e-10 with the likelihood flat: CLV_DEGENERATE).
 */
const TRUTH = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
function shortCalibration(seed: number) {
  const rng = new Rng(seed * 101);
  const T = Float64Array.from({ length: 500 }, () => Math.round(1 + rng.uniform() * 11));
  return simulateBgNbd(TRUTH, T, seed);
}

describe("clv fit --prior weak (maximum a posteriori)", () => {
  it("reproduces the plain maximum-likelihood estimates on CDNOW within 1%", () => {
    const pairs = [
      [fitBgNbd(summary), fitBgNbd(summary, { prior: "weak" })],
      [fitParetoNbd(summary), fitParetoNbd(summary, { prior: "weak" })],
      [fitGammaGamma(spend), fitGammaGamma(spend, { prior: "weak" })],
    ] as const;
    for (const [mle, map] of pairs) {
      expect(mle.prior).toBe("none");
      expect(map.prior).toBe("weak");
      const p = mle.params as unknown as Record<string, number>;
      const q = map.params as unknown as Record<string, number>;
      for (const k of Object.keys(p)) expect(Math.abs((q[k] as number) / (p[k] as number) - 1)).toBeLessThan(0.01);
    }
  });

  for (const seed of [13, 23]) {
    it(`succeeds where the MLE degenerates (seed ${seed}) and recovers the truth within 3 standard errors`, () => {
      const s = shortCalibration(seed);
      let error: unknown;
      try {
        fitBgNbd(s);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TierwiseError);
      expect((error as TierwiseError).code).toBe("CLV_DEGENERATE");
      expect((error as TierwiseError).message).toContain("--prior weak");

      const fit = fitBgNbd(s, { prior: "weak" });
      const p = fit.params as unknown as Record<string, number>;
      const se = fit.standardErrors as unknown as Record<string, number>;
      for (const [k, truth] of Object.entries(TRUTH)) {
        expect(se[k]).toBeGreaterThan(0);
        expect(Math.abs((p[k] as number) - truth)).toBeLessThan(3 * (se[k] as number));
      }
      // Honest: the dropout parameters are still not pinned down by the data.
      expect(fit.identification.verdict).toBe("weakly identified");
      expect(fit.identification.message).toContain("the prior, not the data, sets it");
    });
  }
});

describe("identification diagnostics", () => {
  it("CDNOW's fits are well identified, with per-parameter ratios and a condition number", () => {
    const fit = fitBgNbd(summary);
    expect(fit.identification.verdict).toBe("well identified");
    expect(fit.identification.message).toBe("well identified");
    const a = fit.identification.parameters.find((p) => p.name === "a");
    expect(a?.estimate).toBeCloseTo(0.7929, 3);
    expect(a?.standardError).toBeCloseTo(0.186, 2);
    expect(a?.ratio).toBeCloseTo(0.186 / 0.7929, 2);
    expect(fit.identification.conditionNumber).toBeGreaterThan(1);
    expect(fit.identification.conditionNumber).toBeLessThan(1e4);
  });

  it("a fit whose dropout parameters wander off along the ridge says so in plain words", () => {
    // Seed 3 of the short calibration: the MLE stops at a ≈ 2.5e9, b ≈ 9.2e9 (inside the bounds).
    const fit = fitBgNbd(shortCalibration(3));
    expect(fit.identification.verdict).toBe("weakly identified");
    expect(fit.identification.message).toBe(
      "weakly identified: a's and b's standard errors exceed their estimates — the data cannot tell how fast customers leave; consider --prior weak or a longer calibration period",
    );
  });
});
