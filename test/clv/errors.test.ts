import { describe, expect, it } from "vitest";
import {
  clv,
  expectedSpend,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  type PurchaseSummary,
  pAlive,
  simulateBgNbd,
  summarise,
} from "../../src/clv/index.js";
import { TierwiseError } from "../../src/errors/index.js";

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof TierwiseError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return "no error";
}

const of = (rows: [number, number, number][]): PurchaseSummary => summarise(rows.map(([x, tx, T]) => ({ x, tx, T })));

describe("coded errors, never NaN parameters", () => {
  for (const fitter of [fitBgNbd, fitParetoNbd]) {
    it(`${fitter.name}: empty input, bad values, no repeat buyers, identical customers`, () => {
      expect(codeOf(() => fitter(of([])))).toMatch(/^CLV_BAD_INPUT: .*empty/);
      expect(
        codeOf(() =>
          fitter({
            x: Float64Array.of(1),
            tx: Float64Array.of(1),
            T: Float64Array.of(2, 3),
            weight: Float64Array.of(1),
          }),
        ),
      ).toMatch(/^CLV_BAD_INPUT: .*column T has 2 entries/);
      expect(codeOf(() => fitter(of([[1, 5, 4]])))).toMatch(/^CLV_BAD_INPUT: .*entry 0: tx must lie in \[0, T\]/);
      expect(
        codeOf(() =>
          fitter(
            of([
              [0, 0, 4],
              [1.5, 1, 4],
            ]),
          ),
        ),
      ).toMatch(/^CLV_BAD_INPUT: .*entry 1: x must be a whole number/);
      expect(codeOf(() => fitter(of([[0, 0, Number.NaN]])))).toMatch(/^CLV_BAD_INPUT: .*T must be a finite number/);
      expect(
        codeOf(() =>
          fitter(
            of([
              [0, 0, 30],
              [0, 0, 35],
              [0, 0, 38],
            ]),
          ),
        ),
      ).toMatch(/^CLV_NO_REPEAT_BUYERS: .*none of the 3 customers bought again/);
      const same = {
        x: Float64Array.of(2),
        tx: Float64Array.of(10),
        T: Float64Array.of(30),
        weight: Float64Array.of(500),
      };
      expect(codeOf(() => fitter(same))).toMatch(/^CLV_DEGENERATE: .*every customer has the same \(x, tx, T\)/);
    });
  }

  it("BG/NBD: a parameter the data cannot identify is CLV_DEGENERATE, not a huge number", () => {
    // Repeat buyers who all bought right at the end: no sign of dropout, b runs away.
    const rows: [number, number, number][] = [];
    for (let i = 0; i < 200; i++) rows.push([1 + (i % 4), 30 + (i % 9), 30 + (i % 9)], [0, 0, 20 + (i % 7)]);
    const message = codeOf(() => fitBgNbd(of(rows)));
    expect(message).toMatch(/^CLV_DEGENERATE: .*(ran to|do not identify)/);
  });

  it("an optimiser stopped before a stationary point is CLV_NOT_CONVERGED", () => {
    const s = simulateBgNbd({ r: 0.5, alpha: 5, a: 1, b: 3 }, new Float64Array(500).fill(40), 6);
    expect(codeOf(() => fitBgNbd(s, { maxIterations: 2, starts: 2 }))).toMatch(
      /^CLV_NOT_CONVERGED: fitting the bgnbd model did not converge from any of 2 starts: iterations/,
    );
  });

  it("Gamma-Gamma: no repeat buyers, identical spend, non-positive spend", () => {
    const w = (n: number) => new Float64Array(n).fill(1);
    expect(codeOf(() => fitGammaGamma({ x: Float64Array.of(0, 0), m: Float64Array.of(0, 0), weight: w(2) }))).toMatch(
      /^CLV_NO_REPEAT_BUYERS/,
    );
    expect(
      codeOf(() => fitGammaGamma({ x: Float64Array.of(1, 2, 3), m: Float64Array.of(9, 9, 9), weight: w(3) })),
    ).toMatch(/^CLV_DEGENERATE: .*same mean spend/);
    expect(codeOf(() => fitGammaGamma({ x: Float64Array.of(1, 2), m: Float64Array.of(9, -1), weight: w(2) }))).toMatch(
      /^CLV_BAD_INPUT: .*entry 1: the mean repeat spend m must be a finite number > 0/,
    );
  });

  it("predictions refuse bad customers and an infinite population mean spend", () => {
    const bg = fitBgNbd(simulateBgNbd({ r: 0.5, alpha: 5, a: 1, b: 3 }, new Float64Array(500).fill(40), 5));
    expect(codeOf(() => pAlive(bg, 1, 40, 30))).toMatch(/^CLV_BAD_INPUT: .*tx must lie in \[0, T\]/);
    expect(codeOf(() => pAlive(bg, -1, 0, 30))).toMatch(/^CLV_BAD_INPUT/);
    const o = { horizon: 52, discountRate: 0.1, margin: 0.3, unit: "week" } as const;
    expect(codeOf(() => clv(bg, undefined, 1, 5, 30, Number.NaN, o))).toMatch(/^CLV_BAD_INPUT: .*m must be/);
    expect(codeOf(() => clv(bg, undefined, 1, 5, 30, 10, { ...o, discountRate: -2 }))).toMatch(/^CLV_BAD_INPUT/);
    const heavy = {
      ...bg,
      model: "gamma-gamma" as const,
      params: { p: 2, q: 0.8, v: 10 },
      standardErrors: { p: null, q: null, v: null },
    };
    expect(codeOf(() => expectedSpend(heavy, 0, 0))).toMatch(/^CLV_DEGENERATE: .*mean spend infinite/);
    expect(expectedSpend(heavy, 3, 20)).toBeCloseTo((2 * (10 + 60)) / (6 + 0.8 - 1), 12);
  });

  it("summarise merges exact duplicates and keeps first-seen order", () => {
    const s = summarise([
      { x: 0, tx: 0, T: 30 },
      { x: 2, tx: 10, T: 30 },
      { x: 0, tx: 0, T: 30 },
      { x: 0, tx: -0, T: 30 },
      { x: 2, tx: 10, T: 31 },
    ]);
    expect([...s.x]).toEqual([0, 2, 2]);
    expect([...s.T]).toEqual([30, 30, 31]);
    expect([...s.weight]).toEqual([3, 1, 1]);
    const many = summarise(Array.from({ length: 5000 }, (_, i) => ({ x: i % 7, tx: i % 7, T: 10 + (i % 13) })));
    expect(many.x.length).toBe(7 * 13);
    expect(many.weight.reduce((a, b) => a + b, 0)).toBe(5000);
  });
});
