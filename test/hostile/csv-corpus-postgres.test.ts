/**
 * The hostile CSV corpus (test/run/hostile/csv-cases.ts) on DuckDB and on
 * PostgreSQL side by side: the same counts for every table, the same rejects
 * file byte for byte (reader rejects' raw text included), the same rows
 * stored. Runs once, in the `postgres` project (its name holds `postgres`).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import { ingestDirectory } from "../../src/ingest/ingest.js";
import { raw, records } from "../../src/sql/index.js";
import { openStore } from "../../src/store/index.js";
import { CASES, ORDERS } from "../run/hostile/csv-cases.js";
import { writeInput } from "../support/ingest-fixture.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.js";

const databases: TestDatabase[] = [];

async function ingestOn(engineName: "duckdb" | "postgres", files: Record<string, Buffer>) {
  const dir = await writeInput({ ...files, "orders.csv": Buffer.from(ORDERS) });
  let engine: Engine;
  if (engineName === "duckdb") {
    engine = await openStore(":memory:");
  } else {
    const db = await createTestDatabase("tw_csv_hostile");
    databases.push(db);
    engine = await openStore("", { engine: "postgres", databaseUrl: db.url });
  }
  try {
    const rejectsPath = join(dir, "rejects.csv");
    const result = await ingestDirectory(engine, { dir, rejectsPath });
    const counts = result.tables.map(({ table, read, inserted, unchanged, updated, rejected, skipped }) => ({
      table,
      read,
      inserted,
      unchanged,
      updated,
      rejected,
      skipped,
    }));
    const customers = await engine.query(records(raw("SELECT customer_id, name FROM customers ORDER BY customer_id")));
    return { counts, rejects: await readFile(rejectsPath, "utf8"), customers };
  } finally {
    await engine.close();
  }
}

describe("hostile CSV corpus: DuckDB and PostgreSQL side by side", () => {
  afterAll(async () => {
    for (const db of databases.splice(0)) await db.drop();
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const plain = c.bytes();
      const files = { [c.gzip ? "customers.csv.gz" : "customers.csv"]: c.gzip ? gzipSync(plain) : plain };
      const duckdb = await ingestOn("duckdb", files);
      const postgres = await ingestOn("postgres", files);
      expect(postgres.counts).toEqual(duckdb.counts);
      expect(postgres.rejects).toBe(duckdb.rejects);
      expect(postgres.customers).toEqual(duckdb.customers);
    });
  }
});
