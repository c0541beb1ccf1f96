import { DuckDbEngine } from "../engine/duckdb-engine.js";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { ensureStoreSchema } from "./schema.js";

/** Default store file of every command. */
export const DEFAULT_STORE = "tierwise.duckdb";

/** Open (creating if needed) the DuckDB store at `path` with the canonical schema in place. */
export async function openStore(path: string, options: { memoryLimit?: string } = {}): Promise<Engine> {
  let engine: DuckDbEngine;
  try {
    engine = await DuckDbEngine.open({ path, ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}) });
  } catch (error) {
    const detail = ((error as Error).message.split("\n")[0] ?? "").trim();
    throw new TierwiseError("STORE_UNREADABLE", { path, detail });
  }
  try {
    await engine.transaction(() => ensureStoreSchema(engine, path));
  } catch (error) {
    await engine.close();
    throw error;
  }
  return engine;
}

/** The rejects file that sits next to a store: `shop.duckdb` → `shop.rejects.csv`. */
export function rejectsPathFor(storePath: string): string {
  return `${storePath.replace(/\.duckdb$/i, "")}.rejects.csv`;
}
