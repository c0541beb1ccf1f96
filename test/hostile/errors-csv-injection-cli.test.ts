import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { csvRecords, formulaCells } from "./errors-csv-cells.js";

/**
 * CSV injection through the real CLI (issue 13, "Exports are safe to open"):
 * a generated business whose first customer ids are hostile cells and whose
 * first product is named `=1+1`. Every command that writes CSV puts `'`
 * before them, and writes them as they are with --raw. The engine-neutral
 * writers are also tested on both engines in
 * test/run/hostile/errors-csv-injection.test.ts.
 */
const HOSTILE_IDS: Readonly<Record<string, string>> = {
  C0000001: '=HYPERLINK("http://x","y")',
  C0000002: "+1",
  C0000003: "-2+3",
  C0000004: "@SUM(A1)",
};
const csvQuote = (v: string) => `"${v.replaceAll('"', '""')}"`;

describe("CSV writers of the CLI guard formulas unless --raw", () => {
  let dir: string;
  let db: string;
  const cli = async (args: readonly string[]) => {
    const r = await runCli([...args, "--db", db]);
    expect(r.stderr).not.toMatch(/unexpected error|internal error/);
    expect(r.code, r.stderr).toBe(0);
    return r;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tw-csv-injection-cli-"));
    db = join(dir, "shop.duckdb");
    const data = join(dir, "data");
    const gen = await runCli(["generate", "--out", data, "--customers", "300", "--as-of", "2026-01-01"]);
    expect(gen.code, gen.stderr).toBe(0);
    for (const file of await readdir(data)) {
      let text = await readFile(join(data, file), "utf8");
      for (const [id, hostile] of Object.entries(HOSTILE_IDS))
        text = text.replace(new RegExp(`\\b${id}\\b`, "g"), csvQuote(hostile));
      if (file === "products.csv") text = text.replace(/^(P-00001),[^,\n]*,/m, "$1,=1+1,");
      await writeFile(join(data, file), text);
    }
    await cli(["ingest", data]);
    await cli(["run", "--preset", "value-grades", "--as-of", "2026-01-01"]);
  });

  const guarded = async (file: string, cells: readonly string[]) => {
    const text = await readFile(file, "utf8");
    expect(formulaCells(text)).toEqual([]);
    const all = csvRecords(text).flat();
    for (const cell of cells) expect(all).toContain(`'${cell}`);
  };
  const raw = async (file: string, cells: readonly string[]) => {
    const all = csvRecords(await readFile(file, "utf8")).flat();
    for (const cell of cells) expect(all).toContain(cell);
  };
  const ids = Object.values(HOSTILE_IDS);

  it("export", async () => {
    await cli(["export", "--out", join(dir, "export.csv")]);
    await guarded(join(dir, "export.csv"), ids);
    await cli(["export", "--out", join(dir, "export-raw.csv"), "--raw"]);
    await raw(join(dir, "export-raw.csv"), ids);
  });

  it("recommend (customer ids and product names)", async () => {
    await cli(["recommend", "--out", join(dir, "rec.csv"), "--min-customers", "1"]);
    const text = await readFile(join(dir, "rec.csv"), "utf8");
    expect(formulaCells(text)).toEqual([]);
    await cli(["recommend", "--out", join(dir, "rec-raw.csv"), "--min-customers", "1", "--raw"]);
    const rawText = await readFile(join(dir, "rec-raw.csv"), "utf8");
    // Whatever rows the rules give, the raw file holds a formula exactly where the guarded one holds its quoted form.
    expect(formulaCells(rawText).map((c) => `'${c}`)).toEqual(
      csvRecords(text)
        .flat()
        .filter((c) => /^'[=+\-@\t\r]/.test(c)),
    );
  });

  it("clv predict (customer ids)", async () => {
    await cli(["clv", "fit"]);
    await cli(["clv", "predict", "--out", join(dir, "clv.csv")]);
    const text = await readFile(join(dir, "clv.csv"), "utf8");
    expect(formulaCells(text)).toEqual([]);
    // The customers with orders are predicted: those of the hostile ids.
    const predicted = ids.filter((id) => csvRecords(text).flat().includes(`'${id}`));
    expect(predicted.length).toBeGreaterThan(0);
    await cli(["clv", "predict", "--out", join(dir, "clv-raw.csv"), "--raw"]);
    await raw(join(dir, "clv-raw.csv"), predicted);
  });

  it("diff --movers (customer ids)", async () => {
    const policy = join(dir, "lower.yaml");
    const preset = await readFile(new URL("../../presets/value-grades.yaml", import.meta.url), "utf8");
    await writeFile(
      policy,
      preset.replace("min: 100000", "min: 1000").replace("min: 50000", "min: 500").replace("min: 20000", "min: 200"),
    );
    const presetFile = new URL("../../presets/value-grades.yaml", import.meta.url).pathname;
    await cli([
      "diff",
      "--policy",
      presetFile,
      "--policy",
      policy,
      "--as-of",
      "2026-01-01",
      "--movers",
      join(dir, "m.csv"),
    ]);
    const text = await readFile(join(dir, "m.csv"), "utf8");
    expect(formulaCells(text)).toEqual([]);
    const moved = ids.filter((id) => csvRecords(text).flat().includes(`'${id}`));
    expect(moved.length).toBeGreaterThan(0);
    await cli([
      "diff",
      "--policy",
      presetFile,
      "--policy",
      policy,
      "--as-of",
      "2026-01-01",
      "--movers",
      join(dir, "m-raw.csv"),
      "--raw",
    ]);
    await raw(join(dir, "m-raw.csv"), moved);
  });

  it("actions and assign-reps --out (customer ids)", async () => {
    await cli(["actions", "--out", join(dir, "actions.csv")]);
    const actions = await readFile(join(dir, "actions.csv"), "utf8");
    expect(formulaCells(actions)).toEqual([]);
    await cli(["actions", "--out", join(dir, "actions-raw.csv"), "--raw"]);
    expect(formulaCells(await readFile(join(dir, "actions-raw.csv"), "utf8")).length).toBeGreaterThan(0);
    await cli(["assign-reps", "--dry-run", "--out", join(dir, "reps.csv")]);
    expect(formulaCells(await readFile(join(dir, "reps.csv"), "utf8"))).toEqual([]);
  });

  it("ingest: the rejects file (--raw keeps the source record as read)", async () => {
    const data = join(dir, "bad");
    await mkdir(data);
    await writeFile(join(data, "customers.csv"), "customer_id,name,created_at\n=1+2,Someone,2024-01-01,x,y\n");
    await writeFile(join(data, "orders.csv"), "order_id,customer_id,ordered_at,amount,status\n");
    const store = join(dir, "rejects.duckdb");
    const rejects = join(dir, "r.csv");
    const one = await runCli(["ingest", data, "--db", store, "--rejects", rejects]);
    expect(one.stderr).not.toMatch(/unexpected error/);
    expect(formulaCells(await readFile(rejects, "utf8"))).toEqual([]);
    expect(await readFile(rejects, "utf8")).toContain("'=1+2,Someone,2024-01-01,x,y");
    await runCli(["ingest", data, "--db", store, "--rejects", rejects, "--raw"]);
    expect(formulaCells(await readFile(rejects, "utf8"))).toEqual(["=1+2,Someone,2024-01-01,x,y"]);
  });
});
