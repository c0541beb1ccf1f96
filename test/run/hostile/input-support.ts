import { join } from "node:path";
import { DuckDbEngine } from "../../../src/engine/duckdb-engine.js";
import type { Engine } from "../../../src/engine/engine.js";
import { TierwiseErrors } from "../../../src/errors/index.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { parseMapping } from "../../../src/ingest/mapping.js";
import type { IngestResult, TableIngestResult } from "../../../src/ingest/result.js";
import { raw, records } from "../../../src/sql/index.js";
import { EMPTY_STORE, storeCounts } from "../../ingest/support/corpus.js";
import { type RejectRow, readRejectsFile } from "../../ingest/support/ingest.js";
import { writeInput } from "../../support/ingest-fixture.js";
import { memoryStore } from "../support.js";

/**
 * Helpers of the engine-neutral hostile-input cases (test/run/hostile/input-*):
 * ingest into a fresh store of the project's engine (DuckDB, or PostgreSQL in
 * the postgres project); the rejects file is read back with an in-memory DuckDB.
 */

export interface HostileLoad {
  readonly result: IngestResult;
  readonly rejects: RejectRow[];
  table(name: string): TableIngestResult;
  rows(sqlText: string): Promise<Record<string, unknown>[]>;
}

async function rejectsOf(path: string): Promise<RejectRow[]> {
  const reader = await DuckDbEngine.open({ path: ":memory:" });
  try {
    return await readRejectsFile(reader, path);
  } finally {
    await reader.close();
  }
}

/** Ingest `files` into a fresh store, run `check` on the outcome, close the store. */
export async function ingested(
  files: Record<string, string | Buffer>,
  check: (l: HostileLoad) => Promise<void> | void,
  mapping?: string,
): Promise<void> {
  const engine = await memoryStore();
  try {
    const dir = await writeInput(files);
    const rejectsPath = join(dir, "out.rejects.csv");
    const result = await ingestDirectory(engine, {
      dir,
      rejectsPath,
      ...(mapping !== undefined ? { mapping: parseMapping(mapping, "tierwise.mapping.yaml") } : {}),
    });
    const rejects = await rejectsOf(rejectsPath);
    await check({
      result,
      rejects,
      table(name) {
        const t = result.tables.find((x) => x.table === name);
        if (!t) throw new Error(`no result for table ${name}`);
        return t;
      },
      rows: (text) => engine.query(records(raw(text))),
    });
  } finally {
    await engine.close();
  }
}

/** The coded problems an ingest of `files` fails with (`CODE: message`), checking the store is left empty. */
export async function refusedWith(files: Record<string, string | Buffer>): Promise<string[]> {
  const engine: Engine = await memoryStore();
  try {
    const dir = await writeInput(files);
    let error: unknown = null;
    try {
      await ingestDirectory(engine, { dir, rejectsPath: join(dir, "out.rejects.csv") });
    } catch (e) {
      error = e;
    }
    if (!(error instanceof TierwiseErrors)) throw new Error(`expected TierwiseErrors, got ${String(error)}`);
    const counts = await storeCounts(engine);
    if (JSON.stringify(counts) !== JSON.stringify(EMPTY_STORE))
      throw new Error(`store changed: ${JSON.stringify(counts)}`);
    return error.errors.map((e) => `${e.code}: ${e.message}`);
  } finally {
    await engine.close();
  }
}
