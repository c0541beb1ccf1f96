import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { displayWidth } from "../../src/cli/text-table.js";
import { ident, sql } from "../../src/sql/fragment.js";
import { seedCrossSell } from "../run/recommend/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/** `tierwise recommend` on the hand-checked fixture of test/run/recommend/support.ts. */
describe("tierwise recommend", () => {
  let db = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-recommend-cli-", seedCrossSell);
  });

  it("writes the recommendations and prints each tier's rules", async () => {
    const out = join(dirname(db), "cross-sell.csv");
    const r = await runCli(["recommend", "--out", out, "--db", db]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `value-grades, run 1 (as of 2026-01-01), products: 24 recommendations (top 5) for 11 customers written to ${out}`,
    );
    expect(r.stdout).toMatch(/Gold: 6 customers, 6 with items\n\s+customers\s+support\s+confidence\s+lift\s+rule/);
    expect(r.stdout).toMatch(/3\s+50%\s+75%\s+1\.50 {2}A → B\n/);
    expect(r.stdout).toMatch(/Regular: 5 customers, 4 with items\n\s+no rule with lift above 1/);
    const lines = (await readFile(out, "utf8")).trim().split("\n");
    expect(lines[0]).toBe("customer_id,tier,rank,item,name,support,confidence,lift");
    expect(lines).toContain("G5,Gold,1,B,B,0.5,0.75,1.5");
  });

  it("takes --tier, --top, --level and --json, and refuses a bad --level", async () => {
    const out = join(dirname(db), "categories.json");
    const r = await runCli([
      "recommend",
      "--out",
      out,
      "--tier",
      "Gold",
      "--top",
      "1",
      "--level",
      "category",
      "--json",
      "--db",
      db,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { rows: number; level: string; tiers: { tier: string }[] };
    expect(summary).toMatchObject({ rows: 5, level: "category", top: 1 });
    expect(summary.tiers.map((t) => t.tier)).toEqual(["Gold"]);
    const csv = join(dirname(db), "categories.csv");
    const text = await runCli(["recommend", "--out", csv, "--tier", "Gold", "--level", "category", "--db", db]);
    expect(text.stdout).toContain("value-grades, run 1 (as of 2026-01-01), categories: 7 recommendations (top 5)");
    expect(text.stdout).toMatch(/3\s+50%\s+60%\s+1\.20 {2}shoes → socks/);
    const rows = JSON.parse(await readFile(out, "utf8")) as { customer_id: string; item: string }[];
    expect(rows.map((x) => `${x.customer_id} ${x.item}`)).toEqual([
      "G1 bags",
      "G2 bags",
      "G4 socks",
      "G5 socks",
      "G6 shoes",
    ]);
    const bad = await runCli(["recommend", "--out", out, "--level", "brand", "--db", db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--level <level>' argument 'brand' is invalid");
    const noOut = await runCli(["recommend", "--db", db]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("--out <file>");
    const unknown = await runCli(["recommend", "--out", out, "--tier", "Golden", "--db", db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("scheme value-grades has no tier Golden");
  });

  it("names the products of each rule next to their ids, in 80 columns, for recommend and report", async () => {
    const named = await seededStoreFile("tw-recommend-names-", async (e) => {
      await seedCrossSell(e);
      const name = (id: string, text: string) =>
        e.exec(sql`UPDATE ${ident("products")} SET name = ${text} WHERE product_id = ${id}`);
      await name("A", "Trail running shoe, waterproof, men's wide fit");
      await name("B", "Merino wool hiking socks\u001b[2J");
    });
    const out = join(dirname(named), "named.csv");
    const r = await runCli(["recommend", "--out", out, "--db", named], { COLUMNS: "80" });
    expect(r.code).toBe(0);
    const report = await runCli(["report", "--db", named], { COLUMNS: "80" });
    expect(report.code).toBe(0);
    // the report's cross-sell section (its other tables are not this test's)
    const crossSell = report.stdout.slice(report.stdout.indexOf("cross-sell within tiers"));
    for (const text of [r.stdout, crossSell]) {
      expect(text.split("\n").filter((l) => displayWidth(l) > 80)).toEqual([]);
      // wrapped under itself on a narrow terminal: joined again, the rule reads whole, the control character made harmless
      const joined = text.replace(/\n\s+/g, " ");
      expect(joined).toContain(
        "A (Trail running shoe, waterproof, men's wide fit) → B (Merino wool hiking socks\uFFFD[2J)",
      );
    }
  });
});
