import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import type { Engine } from "../../src/engine/engine.js";
import { ensureStoreSchema } from "../../src/store/schema.js";

/** One line of the rejects file, as written. */
export interface RejectRow {
  table: string;
  file: string;
  line: number | null;
  record: number | null;
  column: number | null;
  field: string | null;
  code: string;
  reason: string;
  source_record: string | null;
}

/** Write `files` (name → content) into a fresh directory. */
export async function writeInput(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tierwise-in-"));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

/** A fresh in-memory store with the canonical schema. */
export async function memoryStore(): Promise<Engine> {
  const engine = await DuckDbEngine.open({ path: ":memory:" });
  await ensureStoreSchema(engine);
  return engine;
}

/** Minimal valid customers file for tests that are about other tables. */
export const CUSTOMERS_CSV = "customer_id,name,kind\nC1,Ann,b2c\nC2,Bob,b2b\n007,Lea,b2c\n";
