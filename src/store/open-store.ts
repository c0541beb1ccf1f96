import { existsSync } from "node:fs";
import { DuckDbEngine } from "../engine/duckdb-engine.js";
import type { Engine } from "../engine/engine.js";
import { PostgresEngine } from "../engine/postgres-engine.js";
import { TierwiseError } from "../errors/index.js";
import { storeTablesExistSql } from "../sql/store/store-meta.js";
import { ensureStoreSchema } from "./schema.js";

/** Default store file of every command. */
export const DEFAULT_STORE = "tierwise.duckdb";

/** Which engine holds the store. DuckDB (a file) is the embedded default. */
export type EngineName = "duckdb" | "postgres";

export interface StoreOptions {
  /** DuckDB only: memory limit such as `4GB` (DuckDB spills beyond it). */
  readonly memoryLimit?: string;
  /** `duckdb` (default) or `postgres`. */
  readonly engine?: EngineName;
  /** PostgreSQL only: connection string (`postgresql://user@host:5432/db`). */
  readonly databaseUrl?: string;
  /**
   * Create the store when it is missing (default true). With `false` a
   * missing DuckDB file, or a PostgreSQL database without Tierwise's tables,
   * is refused with `NO_STORE` and nothing is created.
   */
  readonly create?: boolean;
}

/** A DuckDB path that names no file on disk (`:memory:` is always there). */
function isMissingFile(path: string): boolean {
  return path !== ":memory:" && path !== "" && !existsSync(path);
}

/** Strip a password from a connection string before it appears in a message. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

async function connect(path: string, options: StoreOptions): Promise<{ engine: Engine; where: string }> {
  if (options.engine === "postgres") {
    const url = options.databaseUrl;
    if (!url) throw new TierwiseError("STORE_UNREADABLE", { path: "postgres", detail: "no --database-url given" });
    try {
      return { engine: await PostgresEngine.open({ url }), where: redactUrl(url) };
    } catch (error) {
      const detail = ((error as Error).message.split("\n")[0] ?? "").trim();
      throw new TierwiseError("STORE_UNREADABLE", { path: redactUrl(url), detail });
    }
  }
  try {
    const engine = await DuckDbEngine.open({
      path,
      ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}),
    });
    return { engine, where: path };
  } catch (error) {
    const detail = ((error as Error).message.split("\n")[0] ?? "").trim();
    throw new TierwiseError("STORE_UNREADABLE", { path, detail });
  }
}

/**
 * Open (creating if needed, unless `create: false`) the store with the canonical schema in place: the
 * DuckDB file at `path`, or with `engine: "postgres"` the database at
 * `databaseUrl` (then `path` is ignored).
 */
export async function openStore(path: string, options: StoreOptions = {}): Promise<Engine> {
  const mustExist = options.create === false;
  if (mustExist && options.engine !== "postgres" && isMissingFile(path)) throw new TierwiseError("NO_STORE", { path });
  const { engine, where } = await connect(path, options);
  try {
    if (mustExist && Number((await engine.query<{ n: unknown }>(storeTablesExistSql()))[0]?.n ?? 0) === 0) {
      throw new TierwiseError("NO_STORE", { path: where });
    }
    await engine.transaction(() => ensureStoreSchema(engine, where));
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
