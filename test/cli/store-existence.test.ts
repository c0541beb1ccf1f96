/**
 * A command that only reads or grades never creates a store: a missing
 * --db file is refused with one line naming it, and nothing is left behind.
 * `run` and `backfill` on a store without customers fail instead of printing
 * a table of zeros.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const NO_STORE = (path: string) =>
  `error: NO_STORE: no store at ${path} — run \`tierwise ingest DIR\` or \`tierwise demo\` first`;

describe("a missing store", () => {
  it("is refused by reading and grading commands, which create nothing (default path and --db)", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "tw-nostore-"));
    for (const args of [
      ["summary"],
      ["run", "--preset", "value-grades"],
      ["explain", "C0000042"],
      ["history", "C0000042"],
      ["migrations", "--scheme", "value-grades"],
      ["policy", "history"],
      ["events"],
      ["export", "--out", "grades.csv"],
    ]) {
      const run = await runCli(args, {}, cwd);
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stderr.trim().split("\n"), args.join(" ")).toEqual([NO_STORE("tierwise.duckdb")]);
    }
    const run = await runCli(["summary", "--db", "shop/missing.duckdb"], {}, cwd);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(NO_STORE("shop/missing.duckdb"));
    expect(await readdir(cwd)).toEqual([]);
  });

  it("is created by init and ingest", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "tw-nostore-"));
    expect((await runCli(["init", "--db", "a.duckdb"], {}, cwd)).code).toBe(0);
    expect(existsSync(join(cwd, "a.duckdb"))).toBe(true);
    await writeFile(join(cwd, "customers.csv"), "customer_id,name\nC1,Ann\n");
    await writeFile(join(cwd, "orders.csv"), "order_id,customer_id,ordered_at,amount\nO1,C1,2025-01-01,10\n");
    expect((await runCli(["ingest", ".", "--db", "b.duckdb"], {}, cwd)).code).toBe(0);
    expect(existsSync(join(cwd, "b.duckdb"))).toBe(true);
  });
});

describe("a store with no customers", () => {
  it("run and backfill fail with one clear line instead of a table of zeros", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "tw-empty-"));
    expect((await runCli(["init"], {}, cwd)).code).toBe(0);
    const line =
      "error: NO_CUSTOMERS: the store tierwise.duckdb has no customers to grade — run `tierwise ingest DIR` or `tierwise demo` first";
    const run = await runCli(["run", "--preset", "value-grades"], {}, cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toEqual([line]);
    const backfill = await runCli(
      ["backfill", "--preset", "value-grades", "--from", "2025-01-31", "--to", "2025-03-31", "--every", "month"],
      {},
      cwd,
    );
    expect(backfill.code).toBe(1);
    expect(backfill.stderr.trim().split("\n")).toEqual([line]);
  });
});
