import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bgnbdExpectedIfAlive, directExpectedIfAlive } from "../../src/clv/bgnbd.js";
import {
  type BgNbdParams,
  clv,
  expectedPurchases,
  expectedPurchasesNew,
  expectedSpend,
  type FitResult,
  type GammaGammaParams,
  type ParetoNbdParams,
  type PurchaseFit,
  pAlive,
} from "../../src/clv/index.js";
import { TierwiseError } from "../../src/errors/index.js";

let refused = 0;
/** Runs `f`; a CLV_DEGENERATE refusal (the only allowed failure at extreme parameters) is counted and skipped. */
function orRefused(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof TierwiseError && e.code === "CLV_DEGENERATE")) throw e;
    refused++;
  }
}

function fitOf<P extends object>(model: "bgnbd" | "pareto-nbd" | "gamma-gamma", params: P): FitResult<P> {
  const standardErrors = Object.fromEntries(Object.keys(params).map((k) => [k, null])) as {
    [K in keyof P]: number | null;
  };
  return {
    model,
    params,
    standardErrors,
    logLikelihood: 0,
    customers: 1,
    repeatBuyers: 1,
    starts: 1,
    iterations: 0,
    converged: true,
    prior: "none",
    identification: { parameters: [], conditionNumber: 1, verdict: "well identified", message: "well identified" },
  };
}

/** Positive parameters from 1e-4 to 1e4, log-uniform, plus the edges. */
const positive = fc.oneof(
  fc.double({ min: -4, max: 4, noNaN: true }).map((e) => 10 ** e),
  fc.constantFrom(1e-4, 1, 1e4),
);
/** The range fits of real data land in: shapes 0.01–100, scales 0.1–1000; horizons up to 1000 time units. */
const shape = fc.double({ min: -2, max: 2, noNaN: true }).map((e) => 10 ** e);
const scale = fc.double({ min: -1, max: 3, noNaN: true }).map((e) => 10 ** e);
const realisticHorizon = fc.oneof(fc.double({ min: 0, max: 1000, noNaN: true }), fc.constantFrom(0, 1e-6, 52, 1000));

const realisticFit: fc.Arbitrary<PurchaseFit> = fc.oneof(
  fc.record({ r: shape, alpha: scale, a: shape, b: shape }).map((p) => fitOf("bgnbd", p) as PurchaseFit),
  fc.record({ r: shape, alpha: scale, s: shape, beta: scale }).map((p) => fitOf("pareto-nbd", p) as PurchaseFit),
);

const purchaseFit: fc.Arbitrary<PurchaseFit> = fc.oneof(
  fc
    .record({ r: positive, alpha: positive, a: positive, b: positive })
    .map((p: BgNbdParams) => fitOf("bgnbd", p) as PurchaseFit),
  fc
    .record({ r: positive, alpha: positive, s: positive, beta: positive })
    .map((p: ParetoNbdParams) => fitOf("pareto-nbd", p) as PurchaseFit),
);

/** A customer: x from 0 to huge, T from 0, tx anywhere in [0, T] including both ends. */
const customer = fc
  .record({
    x: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constantFrom(0, 1, 1000, 1_000_000, 1e9)),
    T: fc.oneof(fc.double({ min: 0, max: 2000, noNaN: true }), fc.constantFrom(0, 1e-9, 52, 1e5)),
    share: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1)),
  })
  .map(({ x, T, share }) => ({ x, T, tx: x === 0 ? 0 : Math.min(T, share * T) }));

const horizon = fc.oneof(fc.double({ min: 0, max: 5000, noNaN: true }), fc.constantFrom(0, 1e-6, 52, 1e5));

describe("predictions are finite and within bounds", () => {
  const inBounds = (fit: PurchaseFit, c: { x: number; tx: number; T: number }, t: number) => {
    const p = pAlive(fit, c.x, c.tx, c.T);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
    const e = expectedPurchases(fit, t, c.x, c.tx, c.T);
    expect(Number.isFinite(e)).toBe(true);
    expect(e).toBeGreaterThanOrEqual(0);
    const later = expectedPurchases(fit, t * 2 + 1, c.x, c.tx, c.T);
    expect(later).toBeGreaterThanOrEqual(e * (1 - 1e-9));
    const fresh = expectedPurchasesNew(fit, t);
    expect(Number.isFinite(fresh)).toBe(true);
    expect(fresh).toBeGreaterThanOrEqual(0);
  };

  it("at realistic parameters: 0 ≤ P(alive) ≤ 1, expected purchases finite, ≥ 0 and non-decreasing in the horizon", () => {
    fc.assert(
      fc.property(realisticFit, customer, realisticHorizon, (fit, c, t) => inBounds(fit, c, t)),
      { numRuns: 500, seed: 20261124 },
    );
  });

  it("at extreme parameters (1e-4 to 1e4) the same holds, or the prediction is refused with CLV_DEGENERATE, never NaN", () => {
    refused = 0;
    fc.assert(
      fc.property(purchaseFit, customer, horizon, (fit, c, t) => orRefused(() => inBounds(fit, c, t))),
      { numRuns: 500, seed: 20261124 },
    );
    expect(refused).toBeLessThan(100);
  });

  it("a customer with no repeat purchases is alive under BG/NBD; one who just bought is at least as alive as one who bought long ago", () => {
    fc.assert(
      fc.property(purchaseFit, customer, (fit, c) => {
        if (fit.model === "bgnbd") expect(pAlive(fit, 0, 0, c.T)).toBe(1);
        if (c.x > 0) expect(pAlive(fit, c.x, c.T, c.T)).toBeGreaterThanOrEqual(pAlive(fit, c.x, c.tx, c.T) - 1e-12);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("expected spend is finite and positive; CLV is finite, ≥ 0 and grows with the horizon", () => {
    const spendFit = fc
      .record({ p: positive, q: positive.map((q) => 1 + q), v: positive })
      .map((p: GammaGammaParams) => fitOf("gamma-gamma", p));
    fc.assert(
      fc.property(
        purchaseFit,
        spendFit,
        customer,
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.constantFrom<"day" | "week">("day", "week"),
        (fit, spend, c, m, unit) => {
          orRefused(() => {
            const value = expectedSpend(spend, c.x, m);
            expect(Number.isFinite(value)).toBe(true);
            expect(value).toBeGreaterThan(0);
            const o = { horizon: unit === "day" ? 365 : 52, discountRate: 0.1, margin: 0.3, unit };
            const year = clv(fit, spend, c.x, c.tx, c.T, m, o);
            expect(Number.isFinite(year)).toBe(true);
            expect(year).toBeGreaterThanOrEqual(0);
            const twoYears = clv(fit, spend, c.x, c.tx, c.T, m, { ...o, horizon: o.horizon * 2 });
            expect(twoYears).toBeGreaterThanOrEqual(year * (1 - 1e-9));
          });
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});

describe("predictions against hand-checked values", () => {
  const bg = fitOf("bgnbd", { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
  it("BG/NBD P(alive) and expectation match FHL's formulas", () => {
    // 1 / (1 + a/(b+x−1) ((α+T)/(α+tx))^(r+x)), x = 2, tx = 30.43, T = 38.86.
    const odds = (0.793 / (2.426 + 1)) * ((4.414 + 38.86) / (4.414 + 30.43)) ** 2.243;
    expect(pAlive(bg, 2, 30.43, 38.86)).toBeCloseTo(1 / (1 + odds), 12);
    // A new customer's expected repeat purchases in 39 weeks: FHL report E[X(39)] ≈ 1.0 purchase... per the model,
    // (a+b−1)/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))], computed here with a plain series.
    const t = 39;
    const z = t / (4.414 + t);
    let term = 1;
    let sum = 1;
    for (let n = 0; n < 2000; n++) {
      term *= (((0.243 + n) * (2.426 + n)) / ((0.793 + 2.426 - 1 + n) * (n + 1))) * z;
      sum += term;
    }
    const plain = ((0.793 + 2.426 - 1) / (0.793 - 1)) * (1 - (4.414 / (4.414 + t)) ** 0.243 * sum);
    expect(expectedPurchasesNew(bg, t)).toBeCloseTo(plain, 10);
  });

  it("CLV with no discounting and margin 1 is expected purchases × spend", () => {
    const e = expectedPurchases(bg, 52, 3, 20, 38);
    const o = { horizon: 52, discountRate: 0, margin: 1, unit: "week" } as const;
    expect(clv(bg, undefined, 3, 20, 38, 25, o)).toBeCloseTo(e * 25, 10);
    // Discounting at 10% a year lowers it, but by less than 10%.
    const discounted = clv(bg, undefined, 3, 20, 38, 25, { ...o, discountRate: 0.1 });
    expect(discounted).toBeLessThan(e * 25);
    expect(discounted).toBeGreaterThan((e * 25) / 1.1);
  });

  it("BG/NBD's two series (Euler-transformed and direct) agree where both are accurate", () => {
    for (const [r, a, b, t, x, T] of [
      [5, 2, 1, 10, 0, 0],
      [3, 0.5, 2, 30, 2, 20],
      [10, 3, 4, 100, 5, 40],
      [25, 1.3, 1, 50, 0, 10],
    ] as const) {
      const p = { r, alpha: 2, a, b };
      const euler = bgnbdExpectedIfAlive(p, t, x, T);
      expect(Math.abs(euler - directExpectedIfAlive(p, t, x, T)) / euler).toBeLessThan(1e-9);
    }
  });
});
