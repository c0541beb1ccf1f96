import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceable } from "../../../src/decisions/announceable.js";
import { calibrate, parseShares } from "../../../src/decisions/calibrate.js";
import type { Engine } from "../../../src/engine/engine.js";
import { TierwiseError } from "../../../src/errors/index.js";
import type { PolicyPlan } from "../../../src/plan/policy.js";
import { checkPolicy } from "../../../src/policy/check-policy.js";
import { AS_OF, completedOrders, memoryStore, seed } from "../support.js";
import { customers, valuePolicy } from "./support.js";

/** Ten customers: nine with a known 12-month spend (430,553 in all), C10 with none. */
const SPEND: Readonly<Record<string, number>> = {
  C01: 150_000,
  C02: 97_000,
  C03: 61_000,
  C04: 48_213,
  C05: 30_000,
  C06: 22_000,
  C07: 12_000,
  C08: 7_340,
  C09: 3_000,
};
const IDS = ["C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09", "C10"];

function plan(text: string): PolicyPlan {
  const { plan, problems } = checkPolicy(text);
  if (!plan) throw new Error(problems.map((p) => p.oneLine()).join("\n"));
  return plan;
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof TierwiseError) return `${error.code} ${error.message}`;
    throw error;
  }
  throw new Error("not refused");
}

describe("announceable numbers", () => {
  it("are multiples of half the leading power of ten", () => {
    expect(announceable(48_213)).toEqual({ down: 45_000, up: 50_000 });
    expect(announceable(7_340)).toEqual({ down: 7_000, up: 7_500 });
    expect(announceable(120_000)).toEqual({ down: 100_000, up: 150_000 });
    expect(announceable(150_000)).toEqual({ down: 150_000, up: 150_000 });
    expect(announceable(0.37)).toEqual({ down: 0.35, up: 0.4 });
    expect(parseShares("VIP=10%, Gold = 20,Silver=30.5%")).toEqual([
      { tier: "VIP", percent: 10 },
      { tier: "Gold", percent: 20 },
      { tier: "Silver", percent: 30.5 },
    ]);
    expect(() => parseShares("VIP10%")).toThrow(/not TIER=PERCENT/);
  });
});

describe("calibrate: thresholds from target shares", () => {
  let engine: Engine;
  const policy = plan(valuePolicy(100000));
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, {
      customers: customers(IDS),
      orders: Object.entries(SPEND).flatMap(([id, amount]) => completedOrders(id, [["2025-03-01", amount]])),
    });
  });
  afterAll(async () => engine.close());

  it("meets customer shares with announceable thresholds and shows current against proposed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tierwise-calibrate-"));
    const c = await calibrate(engine, policy, {
      scheme: "value",
      by: "customers",
      targets: parseShares("VIP=20%,Gold=20%,Silver=20%"),
      asOf: AS_OF,
      patchOut: join(dir, "value.patch.yaml"),
    });
    // VIP: the 2nd highest is 97,000 → 95,000 (2 of 10) beats 100,000 (1 of 10).
    // Gold: the 4th is 48,213 → 45,000 (4 of 10, 40% cumulative) beats 50,000 (30%).
    // Silver: the 6th is 22,000 → 20,000 (60%) beats 25,000 (50%). Regular and Potential keep their bounds.
    expect(c.tiers.map((t) => [t.tier, t.exactThreshold, t.proposedBound])).toEqual([
      ["VIP", 97000, { min: 95000 }],
      ["Gold", 48213, { min: 45000 }],
      ["Silver", 22000, { min: 20000 }],
      ["Regular", undefined, { above: 0 }],
      ["Potential", undefined, {}],
    ]);
    expect(c.tiers.map((t) => [t.current.entities, t.proposed.entities])).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
      [3, 3],
      [1, 1],
    ]);
    expect(c.tiers[0]?.proposed.revenue).toBe(247000);
    expect(c.graded).toBe(10);
    const patch = await readFile(join(dir, "value.patch.yaml"), "utf8");
    expect(patch).toBe(c.patch);
    expect(patch).toContain('scheme: "value"');
    expect(patch).toContain('  - name: "Gold"\n    min: 45000  # was min: 50000; gives 20% of customers (target 20%)');
  });

  it("brings a retention bound above the new entry bound down to it, and leaves one below alone", async () => {
    const withKeep = plan(
      valuePolicy(100000)
        .replace("{ name: Gold, min: 50000 }", "{ name: Gold, min: 50000, keep: 48000 }")
        .replace("{ name: Silver, min: 20000 }", "{ name: Silver, min: 20000, keep: 15000 }"),
    );
    const c = await calibrate(engine, withKeep, {
      scheme: "value",
      by: "customers",
      targets: parseShares("VIP=20%,Gold=20%,Silver=20%"),
      asOf: AS_OF,
    });
    expect(c.tiers.slice(0, 3).map((t) => t.proposedBound)).toEqual([
      { min: 95000 },
      { min: 45000, keep: 45000 },
      { min: 20000, keep: 15000 },
    ]);
    expect(c.patch).toContain("    keep: 45000  # was 48000: a retention bound is not above min");
    expect(c.patch).not.toContain("keep: 15000");
  });

  it("meets revenue shares", async () => {
    // 150,000 is 34.8% of 430,553; with 97,000 it is 57.4%: 95,000 (57.4%) is nearer 50% than 100,000 (34.8%).
    const c = await calibrate(engine, policy, {
      scheme: "value",
      by: "revenue",
      targets: parseShares("VIP=50%"),
      asOf: AS_OF,
    });
    expect(c.tiers[0]?.proposedBound).toEqual({ min: 95000 });
    expect(c.tiers[0]?.proposed.revenueShare).toBeCloseTo(247000 / 430553, 9);
    // Gold keeps 50,000: now only C03 (61,000).
    expect(c.tiers[1]?.proposed.entities).toBe(1);
  });

  it("never takes customers with nothing: a tier short of them gets what spend gives, and says so", async () => {
    // 95% cumulative needs C10, who has nothing: Silver stops at the lowest spend, 3,000 (C05…C09: 50%, not 55%).
    const c = await calibrate(engine, policy, {
      scheme: "value",
      by: "customers",
      targets: parseShares("VIP=20%,Gold=20%,Silver=55%"),
      asOf: AS_OF,
    });
    expect(c.tiers.map((t) => [t.tier, t.proposedBound, t.proposed.entities])).toEqual([
      ["VIP", { min: 95000 }, 2],
      ["Gold", { min: 45000 }, 2],
      ["Silver", { min: 3000 }, 5],
      ["Regular", { above: 0 }, 0],
      ["Potential", {}, 1],
    ]);
    expect(c.notes).toEqual([
      "Silver gets 50% of customers, not 55%: 10% of customers have no spend(12 months) above 0, and a bound never takes customers with nothing",
    ]);
    // A further target below finds nobody left with spend.
    expect(
      await refusal(
        calibrate(engine, policy, {
          scheme: "value",
          by: "customers",
          targets: parseShares("VIP=20%,Gold=20%,Silver=50%,Regular=5%"),
          asOf: AS_OF,
        }),
      ),
    ).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: Regular cannot get 5% of customers: the tiers above take every customer with spend(12 months) above 0, and a bound never takes customers with nothing",
    );
  });

  it("refuses impossible targets and says which tier and why", async () => {
    const go = (targets: string, scheme = "value") =>
      refusal(calibrate(engine, policy, { scheme, by: "customers", targets: parseShares(targets), asOf: AS_OF }));
    expect(await go("VIP=60%,Gold=50%")).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: the targets sum to 110%, more than the whole",
    );
    expect(await go("VIP=10%,Silver=20%")).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: targets name the tiers from the top without gaps: Gold has none",
    );
    expect(await go("Gold=10%,VIP=20%")).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: targets must follow the tier order, from VIP down",
    );
    expect(await go("VIP=10%,Gold=10%,Silver=10%,Regular=10%,Potential=10%")).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: Potential takes everyone the tiers above leave: its share is what remains",
    );
    expect(await go("Glod=10%")).toBe("UNKNOWN_TIER scheme value has no tier Glod");
    expect(await go("VIP=10%", "valu")).toBe("UNKNOWN_SCHEME scheme valu is not in the policy");
  });
});

describe("calibrate: ties", () => {
  let engine: Engine;
  const policy = plan(valuePolicy(100000));
  beforeAll(async () => {
    engine = await memoryStore();
    const tied = ["C02", "C03", "C04", "C05", "C06", "C07"];
    await seed(engine, {
      customers: customers(IDS),
      orders: [
        ...completedOrders("C01", [["2025-03-01", 50_000]]),
        ...tied.flatMap((id) => completedOrders(id, [["2025-03-01", 1_000]])),
      ],
    });
  });
  afterAll(async () => engine.close());

  it("refuses a share that ties make unreachable", async () => {
    // C01 alone is 10%; the next threshold takes all six customers at 1,000 (70% cumulative): Gold gets 0% or 60%.
    expect(
      await refusal(
        calibrate(engine, policy, {
          scheme: "value",
          by: "customers",
          targets: parseShares("VIP=10%,Gold=30%"),
          asOf: AS_OF,
        }),
      ),
    ).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: Gold cannot get 30% of customers: 60% of customers have spend(12 months) = 1000, " +
        "and a threshold cannot split them (it gives Gold and the tiers above 10% or 70%, not 40%)",
    );
  });

  it("accepts a share the tie allows, all tied customers in one tier; lower bounds must stay below", async () => {
    const targets = parseShares("VIP=10%,Gold=55%");
    // Gold's threshold becomes 1,000: Silver's 20,000 would sit above it.
    expect(await refusal(calibrate(engine, policy, { scheme: "value", by: "customers", targets, asOf: AS_OF }))).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: Silver's bound 20000 is not below Gold's new 1000",
    );
    // A lower `above: 1000` under Gold's new `min: 1000` would get nobody either.
    const same = plan(valuePolicy(100000).replace("min: 20000", "above: 1000"));
    expect(await refusal(calibrate(engine, same, { scheme: "value", by: "customers", targets, asOf: AS_OF }))).toBe(
      "CALIBRATION_IMPOSSIBLE cannot calibrate value: Silver's bound 1000 is not below Gold's new 1000",
    );
    const lower = plan(valuePolicy(100000).replace("min: 20000", "min: 500"));
    const c = await calibrate(engine, lower, { scheme: "value", by: "customers", targets, asOf: AS_OF });
    expect(c.tiers.map((t) => [t.tier, t.proposedBound, t.proposed.entities])).toEqual([
      ["VIP", { min: 50000 }, 1],
      ["Gold", { min: 1000 }, 6],
      ["Silver", { min: 500 }, 0],
      ["Regular", { above: 0 }, 0],
      ["Potential", {}, 3],
    ]);
  });
});
