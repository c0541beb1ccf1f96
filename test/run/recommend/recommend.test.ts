import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { associationRules, recommend } from "../../../src/insight/recommend.js";
import { records, sql } from "../../../src/sql/index.js";
import { openStore } from "../../../src/store/index.js";
import { completedOrders, grade, memoryStore, seed } from "../support.js";
import { BASKETS, seedCrossSell } from "./support.js";

const ENGINE = process.env["TIERWISE_TEST_ENGINE"] ?? "duckdb";

/** Every line of the product-level file (top 5, every tier), hand-checked against support.ts. */
const PRODUCT_CSV = [
  "customer_id,tier,rank,item,name,support,confidence,lift",
  "G1,Gold,1,D,D,0.5,,",
  "G1,Gold,2,E,E,0.16666666666666666,,",
  "G2,Gold,1,D,D,0.5,,",
  "G2,Gold,2,C,C,0.3333333333333333,,",
  "G2,Gold,3,E,E,0.16666666666666666,,",
  "G3,Gold,1,C,C,0.3333333333333333,,",
  "G3,Gold,2,E,E,0.16666666666666666,,",
  "G4,Gold,1,A,A,0.6666666666666666,,",
  "G4,Gold,2,B,B,0.5,,",
  "G4,Gold,3,E,E,0.16666666666666666,,",
  "G5,Gold,1,B,B,0.5,0.75,1.5",
  "G5,Gold,2,D,D,0.5,,",
  "G5,Gold,3,C,C,0.3333333333333333,,",
  "G5,Gold,4,E,E,0.16666666666666666,,",
  "G6,Gold,1,A,A,0.6666666666666666,,",
  "G6,Gold,2,B,B,0.5,,",
  "G6,Gold,3,C,C,0.3333333333333333,,",
  "R1,Regular,1,E,E,0.25,,",
  "R2,Regular,1,E,E,0.25,,",
  "R3,Regular,1,E,E,0.25,,",
  "R4,Regular,1,X,X,0.75,,",
  "R5,Regular,1,A,A,1,,",
  "R5,Regular,2,X,X,0.75,,",
  "R5,Regular,3,E,E,0.25,,",
];

const rowsOf = (text: string) =>
  text
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","));

describe(`tierwise recommend: cross-selling within a tier (${ENGINE})`, () => {
  let engine: Engine;
  let dir = "";
  beforeAll(async () => {
    engine = await memoryStore();
    await seedCrossSell(engine);
    dir = await mkdtemp(join(tmpdir(), "tw-recommend-"));
  });
  afterAll(() => engine.close());

  it("finds the planted rule A → B and offers B first to the Gold customer who has A but not B", async () => {
    const out = join(dir, "products.csv");
    const r = await recommend(engine, { out, scheme: "value-grades" });
    expect((await readFile(out, "utf8")).trim().split("\n")).toEqual(PRODUCT_CSV);
    expect(r).toMatchObject({ scheme: "value-grades", level: "product", asOf: "2026-01-01", top: 5, rows: 24 });
    expect(r.customers).toBe(11);
    const gold = r.tiers.find((t) => t.tier === "Gold");
    expect(gold).toMatchObject({ customers: 6, buyers: 6 });
    expect(gold?.rules).toEqual([
      {
        antecedent: "A",
        consequent: "B",
        antecedentName: null,
        consequentName: null,
        customers: 3,
        support: 0.5,
        confidence: 0.75,
        lift: 1.5,
      },
      {
        antecedent: "B",
        consequent: "A",
        antecedentName: null,
        consequentName: null,
        customers: 3,
        support: 0.5,
        confidence: 1,
        lift: 1.5,
      },
    ]);
    expect(r.tiers.find((t) => t.tier === "Regular")).toMatchObject({ customers: 5, buyers: 4, rules: [] });
  });

  it("never recommends an item the customer bought before as-of, and only items of the customer's own tier", async () => {
    const out = join(dir, "check.csv");
    await recommend(engine, { out, top: 10 });
    const rows = rowsOf(await readFile(out, "utf8"));
    expect(rows.length).toBeGreaterThan(0);
    for (const [customer = "", tier, , item = ""] of rows) {
      expect(BASKETS[customer]).not.toContain(item);
      if (tier === "Gold") expect(item).not.toBe("X");
    }
    // the line of B after as-of does not count: G5 still gets B
    expect(rows.filter((r) => r[0] === "G5").map((r) => r[3])).toEqual(["B", "D", "C", "E"]);
  });

  it("limits each customer to --top items and one tier to --tier", async () => {
    const out = join(dir, "top1.csv");
    const r = await recommend(engine, { out, top: 1, tier: "Gold" });
    expect((await readFile(out, "utf8")).trim().split("\n")).toEqual([
      "customer_id,tier,rank,item,name,support,confidence,lift",
      "G1,Gold,1,D,D,0.5,,",
      "G2,Gold,1,D,D,0.5,,",
      "G3,Gold,1,C,C,0.3333333333333333,,",
      "G4,Gold,1,A,A,0.6666666666666666,,",
      "G5,Gold,1,B,B,0.5,0.75,1.5",
      "G6,Gold,1,A,A,0.6666666666666666,,",
    ]);
    expect(r.tiers.map((t) => t.tier)).toEqual(["Gold"]);
  });

  it("recommends categories at --level category (the line's category, else the product's)", async () => {
    const out = join(dir, "categories.csv");
    const r = await recommend(engine, { out, level: "category" });
    expect((await readFile(out, "utf8")).trim().split("\n")).toEqual([
      "customer_id,tier,rank,item,name,support,confidence,lift",
      "G1,Gold,1,bags,bags,0.5,,",
      "G2,Gold,1,bags,bags,0.5,,",
      "G4,Gold,1,socks,socks,0.5,0.6,1.2",
      "G5,Gold,1,socks,socks,0.5,0.6,1.2",
      "G5,Gold,2,bags,bags,0.5,,",
      "G6,Gold,1,shoes,shoes,0.8333333333333334,,",
      "G6,Gold,2,socks,socks,0.5,,",
      "R1,Regular,1,bags,bags,0.25,,",
      "R2,Regular,1,bags,bags,0.25,,",
      "R3,Regular,1,bags,bags,0.25,,",
      "R4,Regular,1,hats,hats,0.75,,",
      "R5,Regular,1,shoes,shoes,1,,",
      "R5,Regular,2,hats,hats,0.75,,",
      "R5,Regular,3,bags,bags,0.25,,",
    ]);
    expect(r.tiers.find((t) => t.tier === "Gold")?.rules.map((x) => [x.antecedent, x.consequent, x.lift])).toEqual([
      ["shoes", "socks", 1.2],
      ["socks", "shoes", 1.2],
    ]);
  });

  it("returns the tiers' association rules without writing a file", async () => {
    const report = await associationRules(engine, { tier: "Gold", minCustomers: 1 });
    const rules = report.tiers[0]?.rules ?? [];
    expect(report.tiers.map((t) => t.tier)).toEqual(["Gold"]);
    // with one customer enough, C ↔ D (G4 only) has lift 1·6/(2·3) = 1 and is left out; D ↔ E (G6): 1·6/(3·1) = 2
    expect(rules.slice(0, 2)).toEqual([
      {
        antecedent: "D",
        consequent: "E",
        antecedentName: null,
        consequentName: null,
        customers: 1,
        support: 1 / 6,
        confidence: 1 / 3,
        lift: 2,
      },
      {
        antecedent: "E",
        consequent: "D",
        antecedentName: null,
        consequentName: null,
        customers: 1,
        support: 1 / 6,
        confidence: 1,
        lift: 2,
      },
    ]);
    expect(rules.some((x) => x.antecedent === "C" && x.consequent === "D")).toBe(false);
    expect(rules.every((x) => x.lift > 1)).toBe(true);
  });

  it("writes Parquet and JSON with typed columns", async () => {
    const json = join(dir, "r.json");
    await recommend(engine, { out: json, tier: "Gold", top: 1 });
    const rows = JSON.parse(await readFile(json, "utf8")) as Record<string, unknown>[];
    expect(rows.find((x) => x["customer_id"] === "G5")).toEqual({
      customer_id: "G5",
      tier: "Gold",
      rank: 1,
      item: "B",
      name: "B",
      support: 0.5,
      confidence: 0.75,
      lift: 1.5,
    });
    const parquet = join(dir, "r.parquet");
    await recommend(engine, { out: parquet, tier: "Gold", top: 1 });
    const duck = await openStore(":memory:");
    try {
      const back = await duck.query(
        records(
          sql`SELECT CAST(count(*) AS INTEGER) AS n, sum(lift) AS l, min(typeof(rank)) AS t FROM read_parquet(${parquet})`,
        ),
      );
      expect(back).toEqual([{ n: 6, l: 1.5, t: "INTEGER" }]);
    } finally {
      await duck.close();
    }
  });

  it("refuses an unknown tier or scheme, a bad --top and a bad file type with a clear message", async () => {
    await expect(recommend(engine, { out: join(dir, "x.csv"), tier: "Platinum" })).rejects.toThrow(/no tier Platinum/);
    await expect(recommend(engine, { out: join(dir, "x.txt") })).rejects.toThrow(/\.csv, \.parquet or \.json/);
    await expect(recommend(engine, { out: join(dir, "x.csv"), scheme: "nope" })).rejects.toThrow(/scheme nope/);
    await expect(recommend(engine, { out: join(dir, "x.csv"), top: 0 })).rejects.toThrow(/--top takes a whole number/);
  });

  it("writes only the header when the store has no order lines", async () => {
    const bare = await memoryStore();
    try {
      await seed(bare, {
        customers: [{ customer_id: "C1" }],
        orders: completedOrders("C1", [["2025-06-01 12:00:00", 60000]]),
      });
      await grade(bare, { presets: ["value-grades"] });
      const out = join(dir, "bare.csv");
      const r = await recommend(bare, { out });
      expect(await readFile(out, "utf8")).toBe("customer_id,tier,rank,item,name,support,confidence,lift\n");
      expect(r.rows).toBe(0);
      expect(r.tiers.find((t) => t.tier === "Gold")).toMatchObject({ customers: 1, buyers: 0, rules: [] });
    } finally {
      await bare.close();
    }
  });
});
