import { DuckDbEngine } from "../engine/duckdb-engine.js";
import type { Engine } from "../engine/engine.js";
import { readMetaSql, storeTablesExistSql, writeMetaSql } from "../sql/store/store-meta.js";

/** The `tw_meta` key that records a store was made by `tierwise demo` (so a later demo may replace it). */
const DEMO_KEY = "made_by";
const DEMO_VALUE = "tierwise demo";

/** Record in the store's metadata that `tierwise demo` made it. */
export async function markDemoStore(engine: Engine): Promise<void> {
  await engine.transaction(() => engine.exec(writeMetaSql(DEMO_KEY, DEMO_VALUE)));
}

/** Whether the store carries the mark of `tierwise demo`. */
export async function isDemoStore(engine: Engine): Promise<boolean> {
  if (((await engine.query(storeTablesExistSql()))[0]?.n ?? 0) === 0) return false;
  return (await engine.query(readMetaSql(DEMO_KEY)))[0]?.value === DEMO_VALUE;
}

/**
 * Whether the DuckDB file at `path` is a store `tierwise demo` made, read
 * without writing to it (a file that is no DuckDB store is not one).
 */
export async function isDemoStoreFile(path: string): Promise<boolean> {
  let engine: DuckDbEngine;
  try {
    engine = await DuckDbEngine.open({ path, readOnly: true });
  } catch {
    return false;
  }
  try {
    return await isDemoStore(engine);
  } catch {
    return false;
  } finally {
    await engine.close();
  }
}
