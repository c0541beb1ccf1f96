/**
 * Hostile CSV files through the real ingest, on DuckDB and on PostgreSQL
 * (this file runs in both vitest projects): odd line endings, huge fields,
 * broken quotes, bad bytes, odd shapes. For every case the ingest finishes,
 * read = accepted + updated + rejected + skipped, read equals the number of
 * records the independent oracle (test/hostile/physical-records.ts) counts,
 * and every rejected record is in the rejects file with its line. The
 * expected counts and rejects (csv-cases.ts) are written out by hand and are
 * the same for both engines, so the engines agree.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../../src/engine/duckdb-engine.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { physicalRecords } from "../../hostile/physical-records.js";
import { readRejectsFile } from "../../ingest/support/ingest.js";
import { writeInput } from "../../support/ingest-fixture.js";
import { memoryStore } from "../support.js";
import { CASES, ORDERS } from "./csv-cases.js";

describe("hostile CSV corpus (on both engines)", () => {
  let reader: DuckDbEngine;
  beforeAll(async () => {
    reader = await DuckDbEngine.open({ path: ":memory:" });
  });
  afterAll(async () => {
    await reader?.close();
  });

  it("has at least 20 named cases", () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBeGreaterThanOrEqual(20);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const file = c.gzip ? "customers.csv.gz" : "customers.csv";
      const plain = c.bytes();
      const dir = await writeInput({ [file]: c.gzip ? gzipSync(plain) : plain, "orders.csv": ORDERS });
      const rejectsPath = join(dir, "rejects.csv");
      const engine = await memoryStore();
      const result = await ingestDirectory(engine, { dir, rejectsPath }).finally(() => engine.close());
      const t = result.tables.find((x) => x.table === "customers");
      if (!t) throw new Error("no customers result");
      const accepted = t.inserted + t.unchanged;
      expect(t.read).toBe(accepted + t.updated + t.rejected + t.skipped);
      const bytes = c.gzip ? gunzipSync(await readFile(join(dir, file))) : plain;
      expect(t.read).toBe(physicalRecords(bytes, { columns: c.columns ?? 2 }));
      const rejects = (await readRejectsFile(reader, rejectsPath)).filter((r) => r.table === "customers");
      expect({ read: t.read, accepted, rejects: rejects.map((r) => [r.line, r.code]) }).toEqual(c.expect);
      expect(new Set(rejects.map((r) => r.line)).size).toBe(t.rejected);
    });
  }
});
