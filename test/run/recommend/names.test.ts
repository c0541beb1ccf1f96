import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { associationRules, recommend } from "../../../src/insight/recommend.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { memoryStore } from "../support.js";
import { seedCrossSell } from "./support.js";

/**
 * Products carry names: the recommendations file has a `name` next to each
 * item (the product's name, else its id), and the rules name both products
 * (null without a name). On the fixture of support.ts, with names set: A a
 * name with a comma, B one a spreadsheet would run as a formula, C an empty
 * name, D a plain one.
 */
const NAMES: Readonly<Record<string, string>> = {
  A: "Trail shoe, size 42",
  B: "=SUM(1)",
  C: "",
  D: "Day bag",
};

describe("recommend names the products", () => {
  let engine: Engine;
  let dir = "";
  beforeAll(async () => {
    engine = await memoryStore();
    await seedCrossSell(engine);
    for (const [id, name] of Object.entries(NAMES))
      await engine.exec(sql`UPDATE ${ident("products")} SET name = ${name} WHERE product_id = ${id}`);
    dir = await mkdtemp(join(tmpdir(), "tw-recommend-names-"));
  });
  afterAll(() => engine.close());

  it("writes each product's name next to its id, the id when it has none, formula-safe in CSV", async () => {
    const out = join(dir, "named.csv");
    await recommend(engine, { out, tier: "Gold", top: 2 });
    expect((await readFile(out, "utf8")).trim().split("\n")).toEqual([
      "customer_id,tier,rank,item,name,support,confidence,lift",
      "G1,Gold,1,D,Day bag,0.5,,",
      "G1,Gold,2,E,E,0.16666666666666666,,",
      "G2,Gold,1,D,Day bag,0.5,,",
      "G2,Gold,2,C,C,0.3333333333333333,,",
      "G3,Gold,1,C,C,0.3333333333333333,,",
      "G3,Gold,2,E,E,0.16666666666666666,,",
      'G4,Gold,1,A,"Trail shoe, size 42",0.6666666666666666,,',
      "G4,Gold,2,B,'=SUM(1),0.5,,",
      "G5,Gold,1,B,'=SUM(1),0.5,0.75,1.5",
      "G5,Gold,2,D,Day bag,0.5,,",
      'G6,Gold,1,A,"Trail shoe, size 42",0.6666666666666666,,',
      "G6,Gold,2,B,'=SUM(1),0.5,,",
    ]);
  });

  it("keeps the name as it is in JSON", async () => {
    const out = join(dir, "named.json");
    await recommend(engine, { out, tier: "Gold", top: 1 });
    const rows = JSON.parse(await readFile(out, "utf8")) as { customer_id: string; item: string; name: string }[];
    expect(rows.map((r) => [r.customer_id, r.item, r.name])).toEqual([
      ["G1", "D", "Day bag"],
      ["G2", "D", "Day bag"],
      ["G3", "C", "C"],
      ["G4", "A", "Trail shoe, size 42"],
      ["G5", "B", "=SUM(1)"],
      ["G6", "A", "Trail shoe, size 42"],
    ]);
  });

  it("names both products of each rule (null without a name, and for categories)", async () => {
    const products = await associationRules(engine, { tier: "Gold" });
    expect(products.tiers[0]?.rules.map((r) => [r.antecedentName, r.consequentName])).toEqual([
      ["Trail shoe, size 42", "=SUM(1)"],
      ["=SUM(1)", "Trail shoe, size 42"],
    ]);
    const categories = await associationRules(engine, { tier: "Gold", level: "category" });
    expect(categories.tiers[0]?.rules.map((r) => [r.antecedent, r.antecedentName, r.consequentName])).toEqual([
      ["shoes", null, null],
      ["socks", null, null],
    ]);
  });
});
