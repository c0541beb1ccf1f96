import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { parseMapping } from "../../../src/ingest/mapping.js";
import { raw } from "../../../src/sql/index.js";
import { STORE_SCHEMA_VERSION } from "../../../src/sql/store/schema.js";
import { ensureStoreSchema } from "../../../src/store/schema.js";
import { writeInput } from "../../support/ingest-fixture.js";
import { rawRows } from "../../support/raw-rows.js";
import { memoryStore } from "../support.js";

/**
 * The ingest log (`tw_ingests`) holds every table's counts, skipped rows included, so that
 * read = inserted + unchanged + updated + rejected + skipped can be checked from the store later.
 */

const CUSTOMERS = "customer_id,name\nC1,Ann\nC2,Bob\n";
const ORDERS = [
  "order_id,customer_id,ordered_at,amount",
  "O1,C1,2025-01-01,10",
  "O2,,2025-01-02,5", // skipped: no_customer
  "O3,C2,2025-01-03,abc", // rejected: not a number
  "O4,,2025-01-04,7", // skipped: no_customer
  "O5,C2,2025-01-05,3",
  "",
].join("\n");

const MAPPING = parseMapping(
  ["tables:", "  orders:", "    skip:", "      no_customer: customer_id is null"].join("\n"),
  "mapping.yaml",
);

interface LogRow {
  table_name: string;
  read: number;
  inserted: number;
  unchanged: number;
  updated: number;
  rejected: number;
  skipped: number;
}

async function log(engine: Engine): Promise<LogRow[]> {
  const rows = await engine.query(
    rawRows<Record<string, unknown>>(
      raw(
        "SELECT table_name, read, inserted, unchanged, updated, rejected, skipped FROM tw_ingests ORDER BY ingest_id, table_name",
      ),
    ),
  );
  return rows.map((r) => ({
    table_name: String(r["table_name"]),
    read: Number(r["read"]),
    inserted: Number(r["inserted"]),
    unchanged: Number(r["unchanged"]),
    updated: Number(r["updated"]),
    rejected: Number(r["rejected"]),
    skipped: Number(r["skipped"]),
  }));
}

describe("the ingest log", () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
  });

  it("records skipped rows per table, and the counts add up to what was read", async () => {
    const engine = await memoryStore();
    engines.push(engine);
    const dir = await writeInput({ "customers.csv": CUSTOMERS, "orders.csv": ORDERS });
    await ingestDirectory(engine, { dir, mapping: MAPPING, rejectsPath: join(dir, "rejects.csv") });
    await ingestDirectory(engine, { dir, mapping: MAPPING, rejectsPath: join(dir, "rejects.csv") });
    const rows = await log(engine);
    expect(rows).toEqual([
      { table_name: "customers", read: 2, inserted: 2, unchanged: 0, updated: 0, rejected: 0, skipped: 0 },
      { table_name: "orders", read: 5, inserted: 2, unchanged: 0, updated: 0, rejected: 1, skipped: 2 },
      { table_name: "customers", read: 2, inserted: 0, unchanged: 2, updated: 0, rejected: 0, skipped: 0 },
      { table_name: "orders", read: 5, inserted: 0, unchanged: 2, updated: 0, rejected: 1, skipped: 2 },
    ]);
    for (const r of rows) expect(r.read).toBe(r.inserted + r.unchanged + r.updated + r.rejected + r.skipped);
  });

  it("gains the skipped column when a store of schema version 2 is opened", async () => {
    const engine = await memoryStore();
    engines.push(engine);
    await engine.exec(raw("ALTER TABLE tw_ingests DROP COLUMN skipped"));
    await engine.exec(raw("UPDATE tw_meta SET value = '2' WHERE key = 'schema_version'"));
    await ensureStoreSchema(engine);
    const version = await engine.query(
      rawRows<{ value: string }>(raw("SELECT value FROM tw_meta WHERE key = 'schema_version'")),
    );
    expect(version[0]?.value).toBe(String(STORE_SCHEMA_VERSION));
    const dir = await writeInput({ "customers.csv": CUSTOMERS, "orders.csv": ORDERS });
    await ingestDirectory(engine, { dir, mapping: MAPPING, rejectsPath: join(dir, "rejects.csv") });
    expect((await log(engine)).map((r) => [r.table_name, r.skipped])).toEqual([
      ["customers", 0],
      ["orders", 2],
    ]);
  });
});
