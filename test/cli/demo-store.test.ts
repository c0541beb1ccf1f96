/**
 * `tierwise demo` writes the default store (./tierwise.duckdb), so the
 * README's commands that follow it act on the demo data; it replaces a store
 * it made, never one it did not (unless --force).
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const DEMO = ["demo", "--customers", "300", "--as-of", "2026-01-01"];

describe("tierwise demo", () => {
  it("writes ./tierwise.duckdb, which the next commands open by default, and says what to try next", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "tw-demo-store-"));
    const demo = await runCli(DEMO, {}, cwd);
    expect(demo.stderr).toBe("");
    expect(demo.code).toBe(0);
    expect(existsSync(join(cwd, "tierwise.duckdb"))).toBe(true);
    expect(existsSync(join(cwd, "tierwise-demo", "tierwise.duckdb"))).toBe(false);
    expect(readFileSync(join(cwd, "tierwise-demo", "report.html"), "utf8")).toContain("<svg");
    expect(demo.stdout).toContain("2/4 ingesting into tierwise.duckdb");
    expect(demo.stdout).toContain("report: tierwise-demo/report.html");
    expect(demo.stdout).toMatch(/\n {2}tierwise explain C0000042 +#/);

    const summary = await runCli(["summary", "--json"], {}, cwd);
    expect(summary.code).toBe(0);
    const rows = (JSON.parse(summary.stdout) as { rows: Array<{ table: string; rows: number }> }).rows;
    expect(rows.find((r) => r.table === "customers")?.rows).toBe(300);
    const explain = await runCli(["explain", "C0000042"], {}, cwd);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("C0000042 in run 1 as of 2026-01-01");

    const wrongCase = await runCli(["explain", "c0000042"], {}, cwd);
    expect(wrongCase.code).toBe(1);
    expect(wrongCase.stderr.trim().split("\n")).toEqual([
      "error: UNKNOWN_ENTITY: no customer with id c0000042 in the store (did you mean C0000042?)",
    ]);

    // Again: the store demo made is replaced, not added to (one run, 300 customers).
    const again = await runCli(DEMO, {}, cwd);
    expect(again.code).toBe(0);
    const runs = await runCli(["explain", "C0000042"], {}, cwd);
    expect(runs.stdout).toContain("C0000042 in run 1 as of 2026-01-01");
  });

  it("refuses to replace a store it did not make, unless --force", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "tw-demo-store-"));
    expect((await runCli(["init", "--db", "shop.duckdb"], {}, cwd)).code).toBe(0);
    const before = await readFile(join(cwd, "shop.duckdb"));
    const refused = await runCli([...DEMO, "--db", "shop.duckdb"], {}, cwd);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr.trim().split("\n")).toEqual([
      "error: NOT_A_DEMO_STORE: shop.duckdb holds a store that tierwise demo did not make; pass --force to replace it, or --db FILE for another file",
    ]);
    expect((await readFile(join(cwd, "shop.duckdb"))).equals(before)).toBe(true);
    expect(existsSync(join(cwd, "tierwise-demo"))).toBe(false);

    const forced = await runCli([...DEMO, "--db", "shop.duckdb", "--force"], {}, cwd);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/tierwise explain C0000042 --db shop\.duckdb/);
    const explain = await runCli(["explain", "C0000042", "--db", "shop.duckdb"], {}, cwd);
    expect(explain.code).toBe(0);
  });
});
