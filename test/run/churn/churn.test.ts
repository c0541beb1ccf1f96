import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { churn } from "../../../src/insight/churn.js";
import { checkPolicy } from "../../../src/policy/check-policy.js";
import { completedOrders, grade, memoryStore, seed } from "../support.js";
import { seedChurn } from "./support.js";

describe("churn by tier", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await seedChurn(engine);
  });
  afterAll(async () => {
    await engine.close();
  });

  it("counts turned customers per month and tier of the run at the period's start, with revenue lost", async () => {
    const c = await churn(engine, { scheme: "value-grades" });
    expect([c.scheme, c.asOf, c.runId, c.definition, c.every]).toEqual([
      "value-grades",
      "2025-07-01",
      2,
      { days: 180, k: 3 },
      "month",
    ]);
    expect(c.periods.map((p) => [p.start, p.end, p.runId])).toHaveLength(12);
    expect(c.periods[0]).toMatchObject({ start: "2024-07-01", end: "2024-08-01", runId: null, tiers: [] });
    const turned = c.periods.flatMap((p) =>
      p.tiers.filter((t) => t.turned > 0).map((t) => [p.start, t.tier, t.customers, t.turned, t.share, t.revenueLost]),
    );
    expect(turned).toEqual([
      // R: median gap 90 → 270 days, so April rather than January
      ["2025-04-01", "Silver", 2, 1, 0.5, 30000],
      ["2025-05-01", "Gold", 1, 1, 1, 60000],
      ["2025-05-01", "Silver", 2, 1, 0.5, 40000],
    ]);
    const april = c.periods.find((p) => p.start === "2025-04-01");
    expect(april?.runId).toBe(1);
    expect(april?.tiers.map((t) => [t.tier, t.customers])).toEqual([
      ["VIP", 0],
      ["Gold", 1],
      ["Silver", 2],
      ["Regular", 1],
      ["Potential", 3],
    ]);
  });

  it("turns a customer exactly `days` after the last order, in the tier of the later run", async () => {
    const c = await churn(engine, { scheme: "value-grades", from: "2025-07-01", to: "2025-08-01" });
    expect(c.periods).toHaveLength(1);
    expect(c.periods[0]?.runId).toBe(2);
    expect(c.periods[0]?.tiers.filter((t) => t.turned > 0)).toEqual([
      { tier: "Regular", customers: 4, turned: 1, share: 0.25, revenueLost: 5000 },
    ]);
  });

  it("groups by quarter and counts ungraded customers under a null tier", async () => {
    const c = await churn(engine, { every: "quarter", from: "2024-10-01", to: "2025-07-01" });
    expect(c.scheme).toBe("value-grades");
    expect(c.periods.map((p) => [p.start, p.end, p.runId])).toEqual([
      ["2024-10-01", "2025-01-01", null],
      ["2025-01-01", "2025-04-01", 1],
      ["2025-04-01", "2025-07-01", 1],
    ]);
    const q2 = c.periods[2]?.tiers.filter((t) => t.turned > 0).map((t) => [t.tier, t.turned, t.revenueLost]);
    expect(q2).toEqual([
      ["Gold", 1, 60000],
      ["Silver", 2, 70000],
    ]);
  });

  it("lists customers past their expected order who have not turned, by 12-month spend", async () => {
    const c = await churn(engine, { scheme: "value-grades" });
    expect(c.atRisk).toEqual([
      {
        customerId: "V",
        tier: "Gold",
        lastOrder: "2025-03-21",
        medianGap: 10,
        expected: "2025-03-31",
        turnsOn: "2025-09-17",
        spend: 60000,
      },
      {
        customerId: "Z",
        tier: "Regular",
        lastOrder: "2025-01-03",
        medianGap: null,
        expected: "2025-03-04",
        turnsOn: "2025-07-02",
        spend: 4000,
      },
    ]);
  });

  it("refuses bad options and unknown schemes", async () => {
    await expect(churn(engine, { scheme: "nope" })).rejects.toMatchObject({ code: "UNKNOWN_SCHEME" });
    await expect(churn(engine, { from: "2025-13" })).rejects.toMatchObject({ code: "INVALID_OPTION" });
    await expect(churn(engine, { from: "2025-07-01", to: "2025-01-01" })).rejects.toMatchObject({
      code: "INVALID_OPTION",
    });
  });
});

describe("churn: in the policy", () => {
  const base =
    "version: 1\nschemes:\n  - name: s\n    kind: thresholds\n    metric: spend(12 months)\n    tiers:\n      - { name: Gold, min: 5 }\n      - { name: Rest }\n";
  it("defaults to 180 days and k = 3, takes both, and locates non-positive values", () => {
    expect(checkPolicy(base).plan?.churn).toEqual({ days: 180, k: 3 });
    expect(checkPolicy(`${base}churn: { days: 90, k: 2.5 }\n`).plan?.churn).toEqual({ days: 90, k: 2.5 });
    const bad = checkPolicy(`${base}churn:\n  days: 0\n  k: -1\n  weeks: 3\n`);
    expect(bad.plan).toBeUndefined();
    expect(bad.problems.map((p) => [p.code, p.location.line])).toEqual([
      ["POLICY_SHAPE", 10],
      ["POLICY_SHAPE", 11],
      ["POLICY_SHAPE", 12],
    ]);
  });
});

describe("churn: a policy's own definition", () => {
  it("uses days and k of the latest run's recorded policy", async () => {
    const engine = await memoryStore();
    try {
      await seed(engine, {
        customers: [{ customer_id: "A" }, { customer_id: "B" }],
        orders: [
          // single buyer: turns 30 days after 2025-05-01
          ...completedOrders("A", [["2025-05-01 12:00:00", 100]]),
          // median gap 20, k = 2 → 40 days: turns on 2025-05-21 + 40 = 2025-06-30
          ...completedOrders(
            "B",
            ["2025-04-11", "2025-05-01", "2025-05-21"].map((d) => [`${d} 12:00:00`, 100] as const),
          ),
        ],
      });
      const dir = await mkdtemp(join(tmpdir(), "tw-churn-"));
      const file = join(dir, "policy.yaml");
      const preset = await readFile(new URL("../../../presets/value-grades.yaml", import.meta.url), "utf8");
      await writeFile(file, `${preset}\nchurn: { days: 30, k: 2 }\n`);
      await grade(engine, { file }, "2025-07-01");
      const c = await churn(engine, { from: "2025-05-01", to: "2025-07-01" });
      expect(c.definition).toEqual({ days: 30, k: 2 });
      expect(
        c.periods.map((p) => [p.start, p.tiers.filter((t) => t.turned > 0).map((t) => [t.tier, t.turned])]),
      ).toEqual([
        ["2025-05-01", [[null, 1]]],
        ["2025-06-01", [[null, 1]]],
      ]);
    } finally {
      await engine.close();
    }
  });
});
