import { describe, expect, it } from "vitest";
import { compareSignal, effectStrength } from "../../../src/insight/churn-effect.js";

const sums = (values: readonly number[]) => ({
  n: BigInt(values.length),
  sum: BigInt(values.reduce((a, b) => a + b, 0)),
  sumOfSquares: BigInt(values.reduce((a, b) => a + b * b, 0)),
});

describe("churn signal effect size", () => {
  it("is Cohen's d with the pooled standard deviation", () => {
    // means 3 and 0.25; squares about the means 2 and 0.75; pooled variance 2.75 / 5
    const e = compareSignal(sums([3, 2, 4]), sums([1, 0, 0, 0]), 1);
    expect([e.meanChurned, e.meanRetained, e.ratio, e.separated]).toEqual([3, 0.25, 12, false]);
    expect(e.effect).toBeCloseTo(2.75 / Math.sqrt(0.55), 12);
  });

  it("handles no variance, empty groups and too few customers without NaN or Infinity", () => {
    expect(compareSignal(sums([1, 1]), sums([0, 0, 0]), 1)).toEqual({
      meanChurned: 1,
      meanRetained: 0,
      ratio: null,
      effect: null,
      separated: true,
    });
    expect(compareSignal(sums([2, 2]), sums([2, 2, 2]), 1)).toMatchObject({ effect: 0, ratio: 1, separated: false });
    expect(compareSignal(sums([]), sums([1, 2]), 1)).toMatchObject({
      meanChurned: null,
      effect: null,
      separated: false,
    });
    expect(compareSignal(sums([5]), sums([1]), 1)).toMatchObject({ ratio: 5, effect: null, separated: false });
    // a share in millionths: the scale cancels out of d
    const share = compareSignal(sums([500_000, 300_000]), sums([100_000, 200_000, 0]), 1_000_000);
    expect(share.meanChurned).toBe(0.4);
    expect(share.effect).toBeCloseTo(compareSignal(sums([5, 3]), sums([1, 2, 0]), 1).effect ?? 0, 12);
  });

  it("ranks separated signals first and signals without an effect last", () => {
    const ranked = [
      { effect: null, separated: false },
      { effect: -2, separated: false },
      { effect: null, separated: true },
      { effect: 1, separated: false },
    ].sort((a, b) => effectStrength(b) - effectStrength(a));
    expect(ranked.map((e) => [e.effect, e.separated])).toEqual([
      [null, true],
      [-2, false],
      [1, false],
      [null, false],
    ]);
  });
});
