import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import { raw, records } from "../../src/sql/index.js";
import { runCli } from "../support/cli.js";
import { rawRows } from "../support/raw-rows.js";

async function snapshot(db: string): Promise<string> {
  const engine = await DuckDbEngine.open({ path: db });
  try {
    const tables = ["customers", "orders", "interactions", "tw_ingests"];
    const parts: string[] = [];
    for (const t of tables) {
      const rows = await engine.query(records(raw(`SELECT * FROM ${t} ORDER BY ALL`)));
      parts.push(`${t}:${JSON.stringify(rows)}`);
    }
    return parts.join("\n");
  } finally {
    await engine.close();
  }
}

describe("an ingest is one transaction", () => {
  it("leaves the store exactly as before when the process is killed before commit", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tierwise-tx-"));
    const first = join(dir, "first");
    const second = join(dir, "second");
    const db = join(dir, "store.duckdb");
    await runCli(["init", "--db", db, "--mapping", join(dir, "m.yaml")]);
    const { mkdir } = await import("node:fs/promises");
    await mkdir(first);
    await mkdir(second);
    await writeFile(join(first, "customers.csv"), "customer_id,name\nC1,Ann\nC2,Bob\n");
    await writeFile(join(first, "orders.csv"), "order_id,customer_id,ordered_at,amount\nO1,C1,2025-01-01,10\n");
    const ok = await runCli(["ingest", first, "--db", db]);
    expect(ok.code).toBe(0);
    const before = await snapshot(db);
    expect(before).toContain('"customer_id":"C2"');

    // A second load that changes a row, adds rows and adds a table, killed just before COMMIT.
    await writeFile(join(second, "customers.csv"), "customer_id,name\nC1,Ann Changed\nC3,Cy\n");
    await writeFile(join(second, "orders.csv"), "order_id,customer_id,ordered_at,amount\nO2,C3,2025-02-01,20\n");
    await writeFile(join(second, "interactions.csv"), "interaction_id,customer_id,at,kind\nI1,C1,2025-01-02,support\n");
    const killed = await runCli(["ingest", second, "--db", db], { TIERWISE_FAULT_BEFORE_COMMIT: "1" });
    expect(killed.signal).toBe("SIGKILL");
    expect(await snapshot(db)).toBe(before);

    // The same load without the fault commits everything.
    const done = await runCli(["ingest", second, "--db", db]);
    expect(done.code).toBe(0);
    const after = await snapshot(db);
    expect(after).toContain("Ann Changed");
    expect(after).toContain('"interaction_id":"I1"');
  });

  it("writes nothing when one file of the load is unusable", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tierwise-tx-"));
    const db = join(dir, "store.duckdb");
    await writeFile(join(dir, "customers.csv"), "customer_id,name\nC1,Ann\n");
    await writeFile(join(dir, "orders.csv"), "order_id,customer_id,ordered_at\nO1,C1,2025-01-01\n");
    const run = await runCli(["ingest", dir, "--db", db]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      "error: MISSING_REQUIRED_COLUMN: orders.csv has no column amount (required for orders)",
    );
    const engine = await DuckDbEngine.open({ path: db });
    try {
      const n = await engine.query(rawRows<{ n: string }>(raw("SELECT count(*) AS n FROM customers")));
      expect(n[0]?.n).toBe("0");
    } finally {
      await engine.close();
    }
  });
});
