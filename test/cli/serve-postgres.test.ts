import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, type ServingCli, startServeCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.js";

/**
 * `tierwise serve --engine postgres` through the real CLI: two servers on
 * one database answer side by side, and the command line keeps working on
 * that database while they run (no STORE_SERVED on PostgreSQL).
 */
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

describe("two tierwise serve processes on one PostgreSQL database, and the CLI beside them", () => {
  it("both answer with the same key; a run made by the CLI meanwhile is what both serve next", async () => {
    const db = await createTestDatabase("cli_serve");
    databases.push(db);
    const pg = ["--engine", "postgres", "--database-url", db.url];
    const dir = await mkdtemp(join(tmpdir(), "tw-serve-pg-"));
    await writeFile(join(dir, "customers.csv"), "customer_id,name\nC1,Ann\nC2,Bob\nC3,Cy\n");
    await writeFile(
      join(dir, "orders.csv"),
      "order_id,customer_id,ordered_at,amount\nO1,C1,2025-06-01,500\nO2,C2,2025-06-01,20\nO3,C3,2025-06-01,5\n",
    );
    expect((await runCli(["ingest", dir, ...pg, "--rejects", join(dir, "r.csv")])).code).toBe(0);
    expect((await runCli(["run", "--preset", "abc", "--as-of", "2026-01-01", ...pg])).code).toBe(0);
    const created = await runCli(["keys", "create", "--role", "viewer", "--name", "shop", ...pg]);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();

    const servers: ServingCli[] = [];
    try {
      servers.push(await startServeCli(pg), await startServeCli(pg));
      const runOf = async (s: ServingCli) => {
        const r = await fetch(`${s.url}/customers?limit=1`, { headers: { authorization: `Bearer ${key}` } });
        expect(r.status).toBe(200);
        return ((await r.json()) as { run: { id: number; as_of: string } }).run;
      };
      const before = await Promise.all(servers.map(runOf));
      expect(before[0]).toEqual(before[1]);
      const again = await runCli(["run", "--preset", "abc", "--as-of", "2026-02-01", ...pg]);
      expect(again.stderr).not.toContain("STORE_");
      expect(again.code).toBe(0);
      const after = await Promise.all(servers.map(runOf));
      expect(after.map((r) => r.as_of)).toEqual(["2026-02-01", "2026-02-01"]);
      expect(after[0]?.id).toBeGreaterThan(before[0]?.id ?? 0);
      for (const s of servers) expect(await s.stop()).toBe(0);
      for (const s of servers) expect(s.stderr()).toBe("");
    } finally {
      for (const s of servers) await s.stop(0);
    }
  });
});
