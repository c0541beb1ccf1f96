import { afterEach, describe, expect, it } from "vitest";
import { parseCrosstab } from "../../../src/cli/crosstab-option.js";
import type { Engine } from "../../../src/engine/engine.js";
import { buildReport } from "../../../src/insight/report.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { seedHistory } from "../history/support.js";
import { completedOrders, grade, memoryStore, policyFile, seed } from "../support.js";
import { namesPolicy, pricedPolicy, seedFour } from "./support.js";

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function fresh(): Promise<Engine> {
  engine = await memoryStore();
  return engine;
}

describe("report on a hand-computed store", () => {
  it("gives tier shares of customers, revenue and net contribution, the Gini coefficient and the Pareto sentences", async () => {
    const e = await fresh();
    await seedFour(e);
    await grade(e, { presets: ["value-grades", "relationship-ladder"] });
    const r = await buildReport(e);
    expect(r.window).toEqual({ from: "2025-01-01", to: "2026-01-01" });
    const vg = r.schemes.find((s) => s.scheme === "value-grades");
    expect(vg?.graded).toBe(4);
    expect(vg?.revenue).toBe(100);
    expect(vg?.contribution).toBe(55);
    const regular = vg?.tiers.find((t) => t.tier === "Regular");
    expect(regular).toMatchObject({ entities: 1, entityShare: 0.25, revenue: 100, revenueShare: 1, contribution: 55 });
    expect(regular?.sentence).toBe("Regular: 25% of customers, 100% of revenue");
    expect(vg?.tiers.find((t) => t.tier === "Potential")).toMatchObject({ entities: 3, entityShare: 0.75, revenue: 0 });
    expect(vg?.tiers.map((t) => t.tier)).toEqual(["VIP", "Gold", "Silver", "Regular", "Potential"]);

    const p = r.pareto;
    expect(p?.customers).toBe(4);
    expect(p?.revenue).toBe(100);
    expect(p?.contribution).toBe(55);
    expect(p?.gini).toBe(0.75);
    expect(p?.top80).toBe(0.25);
    expect(p?.top20).toEqual({ customers: 0.25, revenue: 1 });
    expect(p?.withoutRevenue).toBe(3);
    expect(p?.points).toEqual([
      { customers: 0, revenue: 0 },
      { customers: 0.25, revenue: 1 },
      { customers: 0.5, revenue: 1 },
      { customers: 0.75, revenue: 1 },
      { customers: 1, revenue: 1 },
    ]);
    expect(p?.sentences[0]).toBe("the top 25% of customers bring 80% of revenue");
    expect(p?.sentences).toContain("75% of customers brought no revenue in the last 12 months");

    // the first two customer schemes are crossed by default
    expect(r.crosstab?.rows.scheme).toBe("value-grades");
    expect(r.crosstab?.columns.scheme).toBe("relationship-ladder");
    expect(r.crosstab?.customers).toBe(4);
    expect(r.crosstab?.cells).toContainEqual({ row: "Regular", column: "Purchaser", entities: 1, revenue: 100 });
    expect(r.crosstab?.cells.filter((c) => c.row === "Potential").reduce((n, c) => n + c.entities, 0)).toBe(3);

    // one run: no history yet, and it says so
    expect(r.history?.migrations).toBeNull();
    expect(r.history?.notes[0]).toContain("first run of value-grades");
  });

  it("crosses the schemes --crosstab names and refuses unknown ones", async () => {
    const e = await fresh();
    await seedFour(e);
    await grade(e, { presets: ["value-grades", "relationship-ladder"] });
    const r = await buildReport(e, { crosstab: ["relationship-ladder", "value-grades"] });
    expect(r.crosstab?.rows.scheme).toBe("relationship-ladder");
    await expect(buildReport(e, { crosstab: ["value-grades", "nope"] })).rejects.toThrow(/scheme nope is not in run 1/);
    expect(parseCrosstab("value-grades x relationship-ladder")).toEqual(["value-grades", "relationship-ladder"]);
    expect(parseCrosstab("a × b")).toEqual(["a", "b"]);
    expect(parseCrosstab("value-grades")).toBeUndefined();
  });

  it("takes the locale and currency of the run's policy, and any tier name", async () => {
    const e = await fresh();
    await seedFour(e);
    await grade(e, { file: await policyFile(namesPolicy("hu-HU", "HUF")) });
    const r = await buildReport(e);
    expect(r.locale).toBe("hu-HU");
    expect(r.currency).toBe("HUF");
    expect(r.schemes[0]?.tiers.map((t) => t.tier)).toEqual([
      "<script>alert('x')</script>",
      "金牌客户",
      "عميل ذهبي",
      "Prospect & co",
    ]);
    expect(r.schemes[0]?.tiers[1]?.sentence).toBe("金牌客户: 25% of customers, 100% of revenue");
    expect(r.pareto?.sentences[1]).toBe("the top 25% of customers bring 100% of revenue");
    await expect(buildReport(e, { locale: "not a locale!" })).rejects.toThrow(/unknown locale/);
  });
});

describe("benefit cost in the report", () => {
  it("prices each tier's playbook against its revenue and contribution; schemes without playbooks show none", async () => {
    const e = await fresh();
    await seedFour(e);
    await grade(e, { file: await policyFile(pricedPolicy()) });
    const r = await buildReport(e);
    const spend = r.schemes.find((s) => s.scheme === "spend");
    expect(
      spend?.tiers.map((t) => [t.tier, t.benefitCost, t.benefitCostOfRevenue, t.benefitCostOfContribution]),
    ).toEqual([
      ["Buyer", 15, 0.15, 15 / 55],
      ["Idle", 6, null, null],
    ]);
    expect(spend?.benefitCost).toBe(21);
    expect(spend?.benefitCostOfRevenue).toBe(0.21);
    expect(spend?.benefitCostOfContribution).toBeCloseTo(21 / 55, 12);
    expect(spend?.benefitSentence).toBe("benefits cost 21% of revenue and 38.2% of net contribution");
    const plain = r.schemes.find((s) => s.scheme === "plain");
    expect(plain?.benefitCost).toBeNull();
    expect(plain?.benefitSentence).toBeNull();
    expect(plain?.tiers.every((t) => t.benefitCost === null && t.benefitCostOfRevenue === null)).toBe(true);
  });

  it("annualises a shorter revenue window before pricing and comparing", async () => {
    const e = await fresh();
    await seedFour(e);
    await seed(e, { customers: [{ customer_id: "E" }], orders: completedOrders("E", [["2025-09-01 12:00:00", 200]]) });
    await grade(e, { file: await policyFile(pricedPolicy("6 months")) });
    const r = await buildReport(e, { locale: "de-DE" });
    // Buyer: D and E; 6-month revenue 200 (E only) → 400 a year: 10% = 40, gifts 2 × 5 = 10 → 50 = 12.5% of 400.
    const buyer = r.schemes[0]?.tiers[0];
    expect(buyer).toMatchObject({ tier: "Buyer", entities: 2, revenue: 200, contribution: 200, benefitCost: 50 });
    expect(buyer?.benefitCostOfRevenue).toBe(0.125);
    expect(buyer?.benefitCostOfContribution).toBe(0.125);
    // Idle: A, B, C → 6; in all 56 of 400 = 14%, in the locale's numbers.
    expect(r.schemes[0]?.benefitSentence).toBe("benefits cost 14\u00a0% of revenue and 14\u00a0% of net contribution");
  });
});

describe("report with history", () => {
  it("adds the migration matrix, churn by tier and the at-risk list of the latest run", async () => {
    const e = await fresh();
    await seedHistory(e);
    const r = await buildReport(e);
    expect(r.runId).toBe(3);
    // revenue 150,000, 51,000, 25,000, 24,000, 5,000, 1,000, 0: Σ k·x = 454,000
    // Gini = 8/7 − 2·454,000/(7·256,000) = 0.636161; 80% is reached at the 3rd of 7
    expect(r.pareto?.revenue).toBe(256000);
    expect(r.pareto?.gini).toBeCloseTo(0.636161, 6);
    expect(r.pareto?.top80).toBeCloseTo(3 / 7, 6);
    expect(r.pareto?.sentences[0]).toBe("the top 42.9% of customers bring 80% of revenue");
    expect(r.schemes[0]?.tiers.find((t) => t.tier === "VIP")?.sentence).toBe(
      "VIP: 14.3% of customers, 58.6% of revenue",
    );
    const m = r.history?.migrations;
    expect(m?.from.runId).toBe(2);
    expect(m?.totals).toEqual({ upgraded: 1, downgraded: 1, stayed: 4, entered: 1, left: 1 });
    expect(r.history?.churn?.every).toBe("quarter");
    expect(r.history?.churn?.periods).toHaveLength(4);
    const q3 = r.history?.churn?.periods.find((p) => p.start === "2025-07-01");
    expect(q3?.tiers.find((t) => t.tier === "Gold")).toMatchObject({ customers: 2, turned: 1, revenueLost: 55000 });
    expect(r.history?.notes).toEqual([]);
  });

  it("names the movers and the customers at risk from the customers table, in one query", async () => {
    const e = await fresh();
    await seedHistory(e);
    // every customer named but C; H's name is right-to-left
    for (const id of ["A", "B", "D", "F", "G"])
      await e.exec(sql`UPDATE ${ident("customers")} SET name = ${`Customer ${id} & Co`} WHERE customer_id = ${id}`);
    await e.exec(sql`UPDATE ${ident("customers")} SET name = ${"عميل ذهبي"} WHERE customer_id = ${"H"}`);
    const r = await buildReport(e);
    // run 2 → 3: C rose Regular → Silver, H fell Gold → Silver
    expect(r.history?.migrations?.movers.map((m) => [m.entityId, m.name])).toEqual([
      ["C", null],
      ["H", "عميل ذهبي"],
    ]);
    const atRisk = r.history?.churn?.atRisk ?? [];
    expect(atRisk.length).toBeGreaterThan(0);
    for (const a of atRisk)
      expect(a.name).toBe(
        a.customerId === "C" ? null : a.customerId === "H" ? "عميل ذهبي" : `Customer ${a.customerId} & Co`,
      );
  });

  it("compares an older run with the one before it, and leaves churn to the latest run", async () => {
    const e = await fresh();
    await seedHistory(e);
    const r = await buildReport(e, { run: 2 });
    expect(r.asOf).toBe("2025-10-01");
    expect(r.history?.migrations?.from.runId).toBe(1);
    expect(r.history?.churn).toBeNull();
    expect(r.history?.notes[0]).toContain("latest run of value-grades only");
    await expect(buildReport(e, { run: 9 })).rejects.toThrow(/no run 9/);
  });
});
