/**
 * Calibration's threshold choice without a database (src/decisions/threshold-choice.ts): what each
 * candidate bound takes is written out by hand, so every edge (a share tie, the half-target limit of
 * ties, a tier the tiers above leave empty, a lower bound meeting the new one) is one line to check.
 */
import { describe, expect, it } from "vitest";
import { parseShares } from "../../src/decisions/calibrate.js";
import {
  candidateBounds,
  chooseThresholds,
  type ExactThreshold,
  proposeBounds,
  type ThresholdChoice,
} from "../../src/decisions/threshold-choice.js";
import { TierwiseError } from "../../src/errors/index.js";
import type { PolicyPlan, ThresholdsScheme } from "../../src/plan/policy.js";
import { checkPolicy } from "../../src/policy/check-policy.js";
import type { Taken } from "../../src/sql/decisions/calibrate.js";

/**
 * The ten customers of test/run/decisions/calibrate.test.ts by 12-month spend: 150,000, 97,000,
 * 61,000, 48,213, 30,000, 22,000, 12,000, 7,340, 3,000 and one with none (0). Shares are of the
 * ten customers; revenue is not used (by: customers).
 */
const n = (...entities: number[]): Taken[] => entities.map((e) => ({ entities: e, revenue: 0 }));

function choice(
  over: Partial<ThresholdChoice> & Pick<ThresholdChoice, "targets" | "exact" | "taken">,
): ThresholdChoice {
  return { scheme: "value", metric: "spend(12 months)", by: "customers", floor: 0, total: 10, ...over };
}

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof TierwiseError) return `${error.code} ${error.message}`;
    throw error;
  }
  throw new Error("not refused");
}

const exact = (...values: number[]): ExactThreshold[] => values.map((value) => ({ value, short: false }));

describe("candidate bounds", () => {
  it("are the exact value at or above and above, then the announceable numbers around it", () => {
    expect(candidateBounds([{ value: 48_213, short: false }])).toEqual([
      { value: 48_213, inclusive: true },
      { value: 48_213, inclusive: false },
      { value: 45_000, inclusive: true },
      { value: 50_000, inclusive: true },
    ]);
  });
});

describe("choosing thresholds", () => {
  it("gives each tier the announceable bound nearer its cumulative target", () => {
    // VIP 10% → 1 customer: 150,000 is on the grid. Gold 20% → 3: exact 61,000; 60,000 takes 3
    // (30%, on target), 65,000 takes 2. Silver 30% → 6: exact 22,000; 20,000 takes 6, 25,000 takes 5.
    const chosen = chooseThresholds(
      choice({
        targets: parseShares("VIP=10%,Gold=20%,Silver=30%"),
        exact: exact(150_000, 61_000, 22_000),
        taken: n(1, 0, 1, 1, 3, 2, 3, 2, 6, 5, 6, 5),
      }),
    );
    expect(chosen).toEqual([150_000, 60_000, 20_000]);
  });

  it("prefers the nearer share over the nearer number", () => {
    // VIP 40% → 4 customers: exact 48,213; 45,000 takes 4 (40%), 50,000 takes 3 (30%), although
    // 50,000 is the nearer number.
    const chosen = chooseThresholds(
      choice({ targets: parseShares("VIP=40%"), exact: exact(48_213), taken: n(4, 3, 4, 3) }),
    );
    expect(chosen).toEqual([45_000]);
  });

  it("breaks a tie of shares by the nearer number", () => {
    // Eight customers, VIP 25%: 45,000 takes 3 (37.5%), 50,000 takes 1 (12.5%): both 12.5 points off.
    const tie = (value: number) =>
      chooseThresholds(
        choice({ total: 8, targets: parseShares("VIP=25%"), exact: exact(value), taken: n(2, 1, 3, 1) }),
      );
    expect(tie(46_000)).toEqual([45_000]);
    expect(tie(49_000)).toEqual([50_000]);
  });

  it("accepts ties up to half the tier's own target, and refuses beyond", () => {
    // Eight customers, VIP 25%; customers at exactly 100 cannot be split. Three at 100 give 0% or
    // 37.5%: 12.5 points off, half of 25%: accepted. Four give 0% or 50%: refused.
    const ties = (atOrAbove: number) => () =>
      chooseThresholds(
        choice({
          total: 8,
          targets: parseShares("VIP=25%"),
          exact: exact(100),
          taken: n(atOrAbove, 0, atOrAbove, atOrAbove),
        }),
      );
    expect(ties(3)()).toEqual([100]);
    expect(refusal(ties(4))).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: VIP cannot get 25% of customers: 50% of customers have spend(12 months) = 100, " +
        "and a threshold cannot split them (it gives VIP and the tiers above 0% or 50%, not 25%)",
    );
  });

  it("refuses a 5% target that one customer in ten cannot meet", () => {
    // VIP 10% → 150,000. Gold 5% → cumulative 15%, 1.5 customers: 97,000 gives 20%, above it 10%.
    expect(
      refusal(() =>
        chooseThresholds(
          choice({
            targets: parseShares("VIP=10%,Gold=5%"),
            exact: exact(150_000, 97_000),
            taken: n(1, 0, 1, 1, 2, 1, 2, 1),
          }),
        ),
      ),
    ).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: Gold cannot get 5% of customers: 10% of customers have spend(12 months) = 97000, " +
        "and a threshold cannot split them (it gives Gold and the tiers above 10% or 20%, not 15%)",
    );
  });

  it("lets a short tier take whoever has something left, and refuses it when nobody is left", () => {
    // Gold's cumulative 95% needs the customer with nothing: Gold is short, its exact value the
    // lowest above 0 (3,000), which takes 9 customers.
    const gold = { value: 3_000, short: true };
    // VIP 80% → 8 customers: exact 7,340; 7,000 takes 8 (on target), 7,500 takes 7. Gold gets 3,000.
    const vip80 = choice({
      targets: parseShares("VIP=80%,Gold=15%"),
      exact: [{ value: 7_340, short: false }, gold],
      taken: n(8, 7, 8, 7, 9, 8, 9, 9),
    });
    expect(chooseThresholds(vip80)).toEqual([7_000, 3_000]);
    // VIP 90% → 9 customers: exact 3,000, on the grid: VIP takes everyone with something, Gold nobody.
    const vip90 = choice({
      targets: parseShares("VIP=90%,Gold=5%"),
      exact: [{ value: 3_000, short: false }, gold],
      taken: n(9, 8, 9, 9, 9, 8, 9, 9),
    });
    expect(refusal(() => chooseThresholds(vip90))).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: Gold cannot get 5% of customers: the tiers above take every customer with " +
        "spend(12 months) above 0, and a bound never takes customers with nothing",
    );
  });

  it("never gives a tier a bound at the tier above's, even when its share would be nearer", () => {
    // Other customers: 150,000, then 149,000, then three between 100,000 and 110,000. VIP 10% →
    // 150,000. Gold 10% → exact 149,000 rounds to 100,000 (5 customers, 50%: 30 points off) or
    // 150,000 (1, 10%: 10 points off, but VIP's own bound, taking nobody new): Gold gets 100,000.
    expect(
      chooseThresholds(
        choice({
          targets: parseShares("VIP=10%,Gold=10%"),
          exact: exact(150_000, 149_000),
          taken: n(1, 0, 1, 1, 2, 1, 5, 1),
        }),
      ),
    ).toEqual([150_000, 100_000]);
  });
});

describe("proposed bounds", () => {
  const { plan, problems } = checkPolicy(`version: 1
schemes:
  - name: value
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: VIP, min: 100000, keep: 90000 }
      - { name: Gold, min: 50000 }
      - { name: Silver, above: 20000 }
      - { name: Regular }
`);
  const scheme = (plan as PolicyPlan | undefined)?.schemes[0] as ThresholdsScheme;
  const tenth = (v: number) => v / 10;

  it("are a min for each targeted tier, the policy's for the rest; keep never above min", () => {
    expect(problems).toEqual([]);
    expect(proposeBounds(scheme, [150_000, 60_000], tenth)).toEqual([
      { tier: "VIP", min: 150_000, keep: 90_000 },
      { tier: "Gold", min: 60_000 },
      { tier: "Silver", above: 20_000 },
      { tier: "Regular" },
    ]);
    expect(proposeBounds(scheme, [80_000], tenth)[0]).toEqual({ tier: "VIP", min: 80_000, keep: 80_000 });
  });

  it("refuse a lower tier's bound at the new one, and accept it just below", () => {
    expect(proposeBounds(scheme, [150_000, 20_001], tenth)[2]).toEqual({ tier: "Silver", above: 20_000 });
    expect(refusal(() => proposeBounds(scheme, [150_000, 20_000], tenth))).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: Silver's bound 2000 is not below Gold's new 2000",
    );
  });
});
