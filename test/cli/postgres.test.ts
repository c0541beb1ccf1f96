/**
 * `tierwise ingest` and `tierwise summary` with `--engine postgres` against a
 * real PostgreSQL: the same output as on DuckDB, and the usual exit codes.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.js";

let dir: string;

const databases: TestDatabase[] = [];

/** A database of its own for one test (on the run's one server), and its connection string. */
async function database(name: string): Promise<string> {
  const db = await createTestDatabase(name);
  databases.push(db);
  return db.url;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-cli-pg-"));
  await writeFile(join(dir, "customers.csv"), 'customer_id,name,kind\nC1,"Ann\nSmith",b2c\nC2,Bob,b2b\nC3,Cy,b2x\n');
  await writeFile(
    join(dir, "orders.csv"),
    "order_id,customer_id,ordered_at,amount\nO1,C1,2025-01-01,10\nO2,C9,2025-01-01,5\nO3,C2,2025-02-30,1\nO4,C2,2025-03-01,7,extra\n",
  );
});

afterAll(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

describe("tierwise with --engine postgres", () => {
  it("ingests like DuckDB: the same result, the same rejects file, then the same summary", async () => {
    const url = await database("cli_ingest");
    const onPg = await runCli([
      "ingest",
      dir,
      "--engine",
      "postgres",
      "--database-url",
      url,
      "--rejects",
      join(dir, "pg.rejects.csv"),
      "--json",
    ]);
    const onDuck = await runCli(["ingest", dir, "--db", join(dir, "shop.duckdb"), "--json"]);
    expect(onPg.stderr).toBe("");
    expect(onPg.code).toBe(0);
    const pgResult = JSON.parse(onPg.stdout) as { rejectsPath: string };
    const duckResult = JSON.parse(onDuck.stdout) as { rejectsPath: string };
    expect({ ...pgResult, rejectsPath: "" }).toEqual({ ...duckResult, rejectsPath: "" });
    expect(await readFile(join(dir, "pg.rejects.csv"), "utf8")).toBe(
      await readFile(join(dir, "shop.rejects.csv"), "utf8"),
    );

    const text = await runCli(["summary", "--engine", "postgres"], { TIERWISE_DATABASE_URL: url });
    expect(text.code).toBe(0);
    expect(text.stdout).toBe((await runCli(["summary", "--db", join(dir, "shop.duckdb")])).stdout);
    expect(text.stdout).toMatch(/customers\s+2/);
  });

  it("prints the human-readable summary of an ingest, and ingesting again changes nothing", async () => {
    const url = await database("cli_again");
    const args = ["ingest", dir, "--engine", "postgres", "--database-url", url, "--rejects", join(dir, "again.csv")];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(first.stdout.split("\n").find((l) => l.startsWith("orders "))).toMatch(
      /orders\s+csv\s+4\s+1\s+1\s+0\s+0\s+3$/,
    );
    const again = await runCli([...args, "--json"]);
    const result = JSON.parse(again.stdout) as {
      tables: Array<{ table: string; inserted: number; unchanged: number }>;
    };
    expect(result.tables.map((t) => [t.table, t.inserted, t.unchanged])).toEqual([
      ["customers", 0, 2],
      ["orders", 0, 1],
    ]);
  });

  it("refuses a date format PostgreSQL cannot read, with a coded line and exit 1, before writing anything", async () => {
    const url = await database("cli_format");
    const mapping = join(dir, "mapping.yaml");
    await writeFile(mapping, "date_format: '%Y-%m-%d %Z'\n");
    const run = await runCli(["ingest", dir, "--engine", "postgres", "--database-url", url, "--mapping", mapping]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("DATE_FORMAT_UNSUPPORTED");
    expect(run.stderr).toContain("%Z is not supported on PostgreSQL");
    const summary = await runCli(["summary", "--engine", "postgres", "--database-url", url, "--json"]);
    expect((JSON.parse(summary.stdout) as { rows: Array<{ rows: number }> }).rows.every((r) => r.rows === 0)).toBe(
      true,
    );
  });

  it("needs a database URL (exit 2) and names an unreachable server in one line (exit 1)", async () => {
    const missing = await runCli(["ingest", dir, "--engine", "postgres"], { TIERWISE_DATABASE_URL: "" });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--database-url");
    const down = await runCli([
      "summary",
      "--engine",
      "postgres",
      "--database-url",
      "postgresql://u:secret@127.0.0.1:1/x",
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("STORE_UNREACHABLE");
    expect(down.stderr).not.toContain("secret");
  });
});
