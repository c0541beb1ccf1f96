/**
 * A PostgreSQL store that cannot be used as asked says why, truly: a
 * database that does not exist, and a database that accepts only reads
 * (`default_transaction_read_only`, as on a hot standby): reading commands
 * still work there (they open without the schema upgrade), writing ones
 * fail with STORE_READ_ONLY. Real CLI against the run's one server.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { createTestDatabase, serverUrl, type TestDatabase } from "../support/postgres-database.js";
import { inputFolder } from "./store-fixture.js";

let db: TestDatabase;

/** Run one statement as the server's admin. */
async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  db = await createTestDatabase("tw_store_ro");
  const pgArgs = ["--engine", "postgres", "--database-url", db.url];
  const ingest = await runCli(["ingest", await inputFolder(8), ...pgArgs, "--rejects", "/dev/null"]);
  if (ingest.code !== 0) throw new Error(ingest.stderr);
  const run = await runCli(["run", "--preset", "value-grades", "--as-of", "2025-12-31", ...pgArgs]);
  if (run.code !== 0) throw new Error(run.stderr);
  await admin(`ALTER DATABASE ${new URL(db.url).pathname.slice(1)} SET default_transaction_read_only = on`);
});

afterAll(async () => {
  await db?.drop();
});

describe("a PostgreSQL store that cannot be used as asked", () => {
  it("a database that does not exist: STORE_UNREADABLE in the server's words", async () => {
    const url = db.url.replace(/\/[^/]+$/, "/tw_no_such_database");
    const r = await runCli(["summary", "--engine", "postgres", "--database-url", url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: STORE_UNREADABLE: .*\/tw_no_such_database cannot be read: database "tw_no_such_database" does not exist\n$/,
    );
  });

  it("a role the server does not know: STORE_ACCESS_DENIED in the server's words, password redacted", async () => {
    const url = new URL(db.url);
    url.username = "tw_no_such_role";
    url.password = "hunter2";
    const r = await runCli(["summary", "--engine", "postgres", "--database-url", url.toString()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: STORE_ACCESS_DENIED: the PostgreSQL server of postgresql:\/\/tw_no_such_role:\*\*\*@.* refused the login: role "tw_no_such_role" does not exist\n$/,
    );
    expect(r.stderr).not.toContain("hunter2");
  });

  it("a read-only database: summary, report and runs work", async () => {
    for (const args of [["summary"], ["report"], ["runs"]]) {
      const r = await runCli([...args, "--engine", "postgres", "--database-url", db.url]);
      expect(r.stderr, args.join(" ")).toBe("");
      expect(r.code, args.join(" ")).toBe(0);
    }
  });

  it("a read-only database: run fails with STORE_READ_ONLY, nothing written", async () => {
    const r = await runCli([
      "run",
      "--preset",
      "value-grades",
      "--as-of",
      "2026-01-31",
      "--engine",
      "postgres",
      "--database-url",
      db.url,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: STORE_READ_ONLY: .* cannot be written \(the server accepts only reads\)/);
    const runs = await runCli(["runs", "--engine", "postgres", "--database-url", db.url, "--json"]);
    expect(JSON.parse(runs.stdout)).toHaveLength(1);
  });
});
