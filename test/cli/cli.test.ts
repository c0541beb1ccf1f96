import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

describe("tierwise CLI", () => {
  it("lists its commands in --help and exits 0", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["init", "generate", "ingest", "summary", "demo"]) expect(run.stdout).toContain(command);
  });

  it("has --help on each command", async () => {
    const run = await runCli(["ingest", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--mapping <file>");
    expect(run.stdout).toContain("rejects file");
  });

  it("exits 2 on wrong usage", async () => {
    expect((await runCli(["frobnicate"])).code).toBe(2);
    expect((await runCli(["ingest"])).code).toBe(2);
    const bad = await runCli(["generate", "--out", "x", "--customers", "ten"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--customers must be a positive whole number");
  });

  it("fails with one line per problem and no stack trace", async () => {
    const run = await runCli([
      "ingest",
      "/nonexistent/dir",
      "--db",
      join(await mkdtemp(join(tmpdir(), "tw-")), "s.duckdb"),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual(["error: NOT_A_DIRECTORY: /nonexistent/dir is not a directory"]);
    expect(run.stderr).not.toContain("    at ");
  });

  it("prints read = accepted + updated + rejected per table and writes the rejects file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-cli-"));
    const db = join(dir, "shop.duckdb");
    await writeFile(join(dir, "customers.csv"), "customer_id,name\nC1,Ann\nC2,Bob\n");
    await writeFile(
      join(dir, "orders.csv"),
      "order_id,customer_id,ordered_at,amount\nO1,C1,2025-01-01,10\nO2,C9,2025-01-01,5\n",
    );
    const run = await runCli(["ingest", dir, "--db", db]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(""); // no progress bar without a terminal
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/table\s+format\s+read\s+accepted\s+new\s+unchanged\s+updated\s+rejected/);
    expect(lines.find((l) => l.startsWith("customers"))).toMatch(/customers\s+csv\s+2\s+2\s+2\s+0\s+0\s+0$/);
    expect(lines.find((l) => l.startsWith("orders "))).toMatch(/orders\s+csv\s+2\s+1\s+1\s+0\s+0\s+1$/);
    expect(run.stdout).toContain("UNKNOWN_REFERENCE");
    expect(run.stdout).toContain(join(dir, "shop.rejects.csv"));

    const again = await runCli(["ingest", dir, "--db", db, "--json"]);
    const result = JSON.parse(again.stdout) as {
      tables: Array<{ table: string; unchanged: number; inserted: number }>;
    };
    expect(result.tables.map((t) => [t.table, t.inserted, t.unchanged])).toEqual([
      ["customers", 0, 2],
      ["orders", 0, 1],
    ]);
  });

  it("demo generates a business, ingests it with no rejects, prints the data summary, runs every preset and writes the HTML report", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "tw-demo-"));
    const dir = join(cwd, "demo");
    const run = await runCli(["demo", "--dir", dir, "--customers", "300", "--as-of", "2026-01-01"], {}, cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("1/4 generating 300 customers");
    expect(run.stdout).toContain("4/4 running every preset");
    for (const scheme of [
      "abc",
      "b2b-scorecard",
      "lead-grades",
      "relationship-ladder",
      "rfm",
      "satisfaction",
      "three-tier",
      "value-grades",
    ]) {
      expect(run.stdout).toMatch(new RegExp(`\\n${scheme} \\(\\w+, [a-z-]+\\): [\\d,]+ (customers|leads) graded`));
    }
    expect(run.stdout).toMatch(/VIP\s+\d+\s+[\d.]+%/);
    expect(run.stdout).toMatch(/customers\s+csv\s+300\s+300\s+300\s+0\s+0\s+0/);
    expect(run.stdout).toContain("no rows rejected");
    expect(run.stdout).toMatch(/revenue \(net of credit notes\): [\d,]+\.\d\d/);
    expect(run.stdout).toMatch(/orders placed: 20\d\d-\d\d-\d\d to 2025-12-3[01]/);
    expect(run.stdout).toMatch(/b2b\s+\d+/);
    expect(run.stdout).toContain("2/4 ingesting into tierwise.duckdb"); // the default store, in the current folder
    const report = join(dir, "report.html");
    expect(run.stdout).toContain(`report: ${report}`);
    const html = readFileSync(report, "utf8");
    expect(html).toContain('<svg class="chart pareto"');
    expect(html).toContain("value-grades</bdi> × <bdi>relationship-ladder");
  });

  it("refuses a file that is not a store with one line naming it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-cli-"));
    const db = join(dir, "notes.duckdb");
    await writeFile(db, "just some text, not a database\n");
    const run = await runCli(["summary", "--db", db]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^error: STORE_NOT_TIERWISE: .*notes\.duckdb is not a Tierwise store: the file is not a DuckDB database$/m,
    );
  });

  it("summarises a store", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-cli-"));
    const db = join(dir, "shop.duckdb");
    await writeFile(join(dir, "customers.csv"), "customer_id,kind\nC1,b2b\nC2,b2c\nC3,\n");
    await writeFile(
      join(dir, "orders.csv"),
      "order_id,customer_id,ordered_at,amount,status\nO1,C1,2025-01-01,1000.50,completed\nO2,C2,2025-03-01,20,returned\nO3,C1,2025-06-30,9.5,\n",
    );
    expect((await runCli(["ingest", dir, "--db", db])).code).toBe(0);
    const run = await runCli(["summary", "--db", db, "--json"]);
    const s = JSON.parse(run.stdout) as {
      revenue: string;
      firstOrderAt: string;
      lastOrderAt: string;
      customersByKind: Array<{ kind: string; count: number; buyers: number }>;
    };
    expect(Number(s.revenue)).toBe(1010);
    expect(s.firstOrderAt.slice(0, 10)).toBe("2025-01-01");
    expect(s.lastOrderAt.slice(0, 10)).toBe("2025-06-30");
    expect(s.customersByKind).toEqual([
      { kind: "b2b", count: 1, buyers: 1 },
      { kind: "b2c", count: 1, buyers: 0 },
      { kind: "unknown", count: 1, buyers: 0 },
    ]);
  });
});
