import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { buildReport } from "../../../src/insight/report.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { seedCrossSell } from "../recommend/support.js";
import { memoryStore } from "../support.js";

/** The report's cross-sell section on the planted A → B association of test/run/recommend/support.ts (both engines). */
describe("report: cross-sell within tiers", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await seedCrossSell(engine);
  });
  afterAll(async () => {
    await engine.close();
  });

  it("lists the planted rule in Gold and none from mixing tiers", async () => {
    const r = await buildReport(engine);
    expect(r.crossSell?.scheme).toBe("value-grades");
    const gold = r.crossSell?.tiers.find((t) => t.tier === "Gold");
    expect(gold?.rules.map((x) => [x.antecedent, x.consequent, x.customers, x.confidence, x.lift])).toEqual([
      ["A", "B", 3, 0.75, 1.5],
      ["B", "A", 3, 1, 1.5],
    ]);
    const regular = r.crossSell?.tiers.find((t) => t.tier === "Regular");
    expect(regular?.rules ?? []).toEqual([]);
  });

  it("names the rules' products from the products table (none for a product without a name)", async () => {
    await engine.exec(sql`UPDATE ${ident("products")} SET name = ${"Trail shoe <b>"} WHERE product_id = ${"A"}`);
    const r = await buildReport(engine);
    const gold = r.crossSell?.tiers.find((t) => t.tier === "Gold");
    expect(gold?.rules.map((x) => [x.antecedent, x.antecedentName, x.consequent, x.consequentName])).toEqual([
      ["A", "Trail shoe <b>", "B", null],
      ["B", null, "A", "Trail shoe <b>"],
    ]);
  });

  it("leaves the section out when asked", async () => {
    expect((await buildReport(engine, { crossSell: false })).crossSell).toBeNull();
  });
});
