import { describe, expect, it } from "vitest";
import { preparePurchases } from "../../src/clv/data.js";
import { logDropoutIntegral } from "../../src/clv/pareto-integral.js";
import { paretoLogLikelihood } from "../../src/clv/pareto-nbd.js";
import { paretoPAlive } from "../../src/clv/pareto-nbd-predict.js";
import { gammaRatios } from "../../src/clv/special.js";
import type { PurchaseSummary } from "../../src/clv/types.js";

/** A deterministic awkward summary: continuous and gridded times, tx a hair below T, x up to 2,000 shared by many rows, T = 0, tx = T. */
function awkward(): PurchaseSummary {
  let seed = 11;
  const u = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const xi = i % 10 === 0 ? 0 : i % 37 === 0 ? (i % 2 === 0 ? 700 : 2000) : Math.floor(30 * u() ** 2) + 1;
    const Ti = i % 3 === 0 ? Math.floor(400 * u()) / 7 : 60 * u();
    const kind = i % 7;
    const txi =
      xi === 0 ? 0 : kind === 0 ? Ti : kind === 1 ? Math.max(0, Ti - 1e-9) : kind === 2 ? Ti * 0.999999 : Ti * u();
    x.push(xi);
    tx.push(i === 5 ? 0 : txi);
    T.push(i === 5 ? 0 : Ti);
  }
  return {
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    weight: Float64Array.from(x, (_, i) => 1 + (i % 3)),
  };
}

/** The likelihood row by row, each dropout integral on its own (the way it was before integrals were shared). */
function rowByRow(s: PurchaseSummary, theta: readonly number[], grad: Float64Array): number {
  const [r, alpha, sh, beta] = theta as [number, number, number, number];
  const moments = new Float64Array(4);
  grad.fill(0);
  let ll = 0;
  for (let i = 0; i < s.x.length; i++) {
    const x = s.x[i] as number;
    const tx = s.tx[i] as number;
    const T = s.T[i] as number;
    const w = s.weight[i] as number;
    const lr = new Float64Array(1);
    const pr = new Float64Array(1);
    gammaRatios(r, Float64Array.of(x), lr, pr);
    const lnAT = Math.log(alpha + T);
    const lnBT = Math.log(beta + T);
    const logTerm1 = -(r + x) * lnAT - sh * lnBT;
    moments.fill(0);
    const logI = logDropoutIntegral(r + x, sh + 1, alpha, beta, tx, T, moments);
    const logR = Math.log(sh) + logI - logTerm1;
    const q = logR > 0 ? 1 / (1 + Math.exp(-logR)) : Math.exp(logR) / (1 + Math.exp(logR));
    const p = 1 - q;
    const log1pR = logR > 0 ? logR + Math.log1p(Math.exp(-logR)) : Math.log1p(Math.exp(logR));
    ll += w * ((lr[0] as number) + r * Math.log(alpha) + sh * Math.log(beta) + logTerm1 + log1pR);
    grad[0] = (grad[0] as number) + w * ((pr[0] as number) + Math.log(alpha) - p * lnAT - q * (moments[0] as number));
    grad[1] = (grad[1] as number) + w * (r / alpha - (r + x) * (p / (alpha + T) + q * (moments[2] as number)));
    grad[2] = (grad[2] as number) + w * (Math.log(beta) - p * lnBT + q * (1 / sh - (moments[1] as number)));
    grad[3] = (grad[3] as number) + w * (sh / beta - (p * sh) / (beta + T) - q * (sh + 1) * (moments[3] as number));
  }
  return ll;
}

describe("Pareto/NBD integrals shared between rows and customers", () => {
  const s = awkward();
  const d = preparePurchases("pareto-nbd", s);
  const points = [
    [0.55, 10.6, 0.6, 11.7],
    [0.05, 0.2, 3, 80],
    [3, 80, 0.05, 0.2],
    [1, 5, 1, 5],
    [0.01, 1e4, 20, 1e-3],
  ] as const;

  it("the shared-chain likelihood and gradient equal the row-by-row integrals", () => {
    for (const theta of points) {
      const g = new Float64Array(4);
      const gRef = new Float64Array(4);
      const ll = paretoLogLikelihood(d, Float64Array.from(theta), g);
      const ref = rowByRow(s, theta, gRef);
      expect(Math.abs(ll - ref) / Math.abs(ref), `LL at ${theta}`).toBeLessThan(1e-12);
      const scale = Math.max(...gRef.map(Math.abs), 1);
      for (let k = 0; k < 4; k++) {
        expect(Math.abs((g[k] as number) - (gRef[k] as number)) / scale, `grad ${k} at ${theta}`).toBeLessThan(1e-9);
      }
    }
  });

  it("P(alive) from memoised tails equals the direct integral to 1e-10 relative", () => {
    for (const [r, alpha, sh, beta] of points) {
      const p = { r, alpha, s: sh, beta };
      for (let i = 0; i < s.x.length; i++) {
        const x = s.x[i] as number;
        const tx = s.tx[i] as number;
        const T = s.T[i] as number;
        const pa = r + x;
        const logR =
          T > tx
            ? Math.log(sh) +
              logDropoutIntegral(pa, sh + 1, alpha, beta, tx, T, null) +
              pa * Math.log(alpha + T) +
              sh * Math.log(beta + T)
            : Number.NEGATIVE_INFINITY;
        const direct = logR > 0 ? Math.exp(-logR) / (1 + Math.exp(-logR)) : 1 / (1 + Math.exp(logR));
        const ours = paretoPAlive(p, x, tx, T);
        expect(Number.isFinite(ours)).toBe(true);
        expect(Math.abs(ours - direct), `customer ${i} at ${[r, alpha, sh, beta]}`).toBeLessThanOrEqual(1e-10 * direct);
      }
    }
  });
});
