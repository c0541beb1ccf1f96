import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import type { Engine } from "../../src/engine/engine.js";
import { type IngestOptions, ingestDirectory } from "../../src/ingest/ingest.js";
import type { IngestResult, TableIngestResult } from "../../src/ingest/result.js";
import { raw, sql } from "../../src/sql/index.js";
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

export interface Ingested {
  readonly engine: Engine;
  readonly dir: string;
  readonly result: IngestResult;
  readonly rejects: RejectRow[];
  table(name: string): TableIngestResult;
  rows(sqlText: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
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

/** Read a rejects CSV back with DuckDB (so the test does not parse CSV by hand). */
export async function readRejects(engine: Engine, path: string): Promise<RejectRow[]> {
  const rows = await engine.query(
    sql`SELECT * FROM read_csv(${path}, header = true, all_varchar = true) ORDER BY rowid`,
  );
  const num = (v: unknown) => (v === null || v === undefined || v === "" ? null : Number(v));
  return rows.map((r) => ({
    table: String(r.table),
    file: String(r.file),
    line: num(r.line),
    record: num(r.record),
    column: num(r.column),
    field: (r.field as string | null) ?? null,
    code: String(r.code),
    reason: String(r.reason),
    source_record: (r.source_record as string | null) ?? null,
  }));
}

/**
 * Ingest `files` into `engine` (a fresh in-memory store unless given) and
 * return the result, the rejects file's rows and query helpers.
 */
export async function ingestFiles(
  files: Record<string, string | Buffer>,
  options: Partial<Omit<IngestOptions, "dir" | "rejectsPath">> & { engine?: Engine } = {},
): Promise<Ingested> {
  const dir = await writeInput(files);
  const engine = options.engine ?? (await memoryStore());
  const rejectsPath = join(dir, "out.rejects.csv");
  const { engine: _ignored, ...rest } = options;
  const result = await ingestDirectory(engine, { ...rest, dir, rejectsPath });
  const rejects = await readRejects(engine, rejectsPath);
  return {
    engine,
    dir,
    result,
    rejects,
    table(name) {
      const t = result.tables.find((x) => x.table === name);
      if (!t) throw new Error(`no result for table ${name}`);
      return t;
    },
    rows: (text) => engine.query(raw(text)),
    close: () => engine.close(),
  };
}

/** Minimal valid customers file for tests that are about other tables. */
export const CUSTOMERS_CSV = "customer_id,name,kind\nC1,Ann,b2c\nC2,Bob,b2b\n007,Lea,b2c\n";
