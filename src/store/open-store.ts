import { existsSync } from "node:fs";
import { DuckDbEngine } from "../engine/duckdb-engine.js";
import type { Engine } from "../engine/engine.js";
import { PostgresEngine } from "../engine/postgres-engine.js";
import { TierwiseError } from "../errors/index.js";
import type { EngineName } from "../sql/dialect/dialects.js";
import { readSchemaVersionSql, STORE_SCHEMA_VERSION } from "../sql/store/schema.js";
import { storeTablesExistSql } from "../sql/store/store-meta.js";
import { DEFAULT_STORE } from "./default-store.js";
import { GuardedEngine } from "./guarded-engine.js";
import { describeHolder, lockHolderOf } from "./lock-holder.js";
import { ensureStoreSchema } from "./schema.js";
import { readServerMark } from "./server-mark.js";
import { duckDbOpenFailure, firstLine, isLockConflict, postgresOpenFailure } from "./store-failure.js";

export type { EngineName };
export { DEFAULT_STORE };

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
  /**
   * Open only to read (implies `create: false`): DuckDB opens the file
   * read-only, so any number of readers may share it and a read-only file
   * system is fine; no schema upgrade is made (an older store is refused
   * with `STORE_SCHEMA_OLDER`).
   */
  readonly readOnly?: boolean;
  /**
   * DuckDB only: how long to keep trying while another process holds the
   * file (milliseconds, default 0); then `STORE_BUSY` names the holder.
   */
  readonly waitMs?: number;
  /** Told once, when the store is busy and the open starts waiting: who holds it. */
  readonly onWait?: (holder: string) => void;
}

/** A DuckDB path that names no file on disk (`:memory:` is always there). */
function isMissingFile(path: string): boolean {
  return path !== ":memory:" && path !== "" && !existsSync(path);
}

/** Strip a password from a connection string before it appears in a message. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

/** How often a busy store is tried again while waiting. */
const RETRY_MS = 200;

/** "500ms", "30s", "2m", "90s": a wait as the user would write it. */
function waitText(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = Math.round(ms / 1000);
  return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** Open the DuckDB file, waiting up to `waitMs` while another process holds it. */
async function openDuckDb(path: string, options: StoreOptions): Promise<Engine> {
  const readOnly = options.readOnly === true;
  const deadline = Date.now() + Math.max(0, options.waitMs ?? 0);
  let told = false;
  for (;;) {
    try {
      return await DuckDbEngine.open({
        path,
        ...(readOnly ? { readOnly } : {}),
        ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}),
      });
    } catch (error) {
      if (!isLockConflict(error)) throw duckDbOpenFailure(error, path, readOnly);
      const holder = lockHolderOf(firstLine(error));
      const named = holder ? describeHolder(holder) : "another process";
      // A server does not let go on its own: say where it answers instead of waiting.
      const server = holder ? readServerMark(path) : null;
      if (server && server.pid === holder?.pid)
        throw new TierwiseError("STORE_SERVED", { path, holder: named, url: server.url });
      if (Date.now() >= deadline) {
        const waited = options.waitMs ? ` (waited ${waitText(options.waitMs)})` : "";
        throw new TierwiseError("STORE_BUSY", { path, holder: named, waited });
      }
      if (!told) options.onWait?.(named);
      told = true;
      await new Promise((done) => setTimeout(done, RETRY_MS));
    }
  }
}

async function connect(path: string, options: StoreOptions): Promise<{ engine: Engine; where: string }> {
  if (options.engine === "postgres") {
    const url = options.databaseUrl;
    if (!url) throw new TierwiseError("STORE_UNREADABLE", { path: "postgres", detail: "no --database-url given" });
    const where = redactUrl(url);
    try {
      return { engine: new GuardedEngine(await PostgresEngine.open({ url }), where, "server"), where };
    } catch (error) {
      throw postgresOpenFailure(error, where);
    }
  }
  return { engine: new GuardedEngine(await openDuckDb(path, options), path, "file"), where: path };
}

/** Refuse a store this Tierwise cannot read as it is without writing to it. */
async function checkSchemaForReading(engine: Engine, where: string): Promise<void> {
  const found = (await engine.query(readSchemaVersionSql()))[0]?.value;
  if (found !== undefined && Number(found) > STORE_SCHEMA_VERSION) {
    throw new TierwiseError("STORE_SCHEMA_NEWER", { path: where, found, known: STORE_SCHEMA_VERSION });
  }
  if (found === undefined || Number(found) < STORE_SCHEMA_VERSION) {
    throw new TierwiseError("STORE_SCHEMA_OLDER", { path: where, found: found ?? "none", known: STORE_SCHEMA_VERSION });
  }
}

/**
 * Open (creating if needed, unless `create: false` or `readOnly`) the store
 * with the canonical schema in place: the DuckDB file at `path`, or with
 * `engine: "postgres"` the database at `databaseUrl` (then `path` is
 * ignored). Failures are coded: `NO_STORE`, `STORE_BUSY`, `STORE_READ_ONLY`,
 * `STORE_NOT_TIERWISE`, `STORE_UNREADABLE`, `STORE_UNREACHABLE`,
 * `STORE_ACCESS_DENIED`, `DISK_FULL`, `STORE_SCHEMA_NEWER`/`OLDER`.
 */
export async function openStore(path: string, options: StoreOptions = {}): Promise<Engine> {
  const mustExist = options.create === false || options.readOnly === true;
  const duckdb = options.engine !== "postgres";
  if (mustExist && duckdb && isMissingFile(path)) throw new TierwiseError("NO_STORE", { path });
  const { engine, where } = await connect(path, options);
  try {
    if (mustExist && ((await engine.query(storeTablesExistSql()))[0]?.n ?? 0) === 0) {
      if (!duckdb || path === ":memory:") throw new TierwiseError("NO_STORE", { path: where });
      throw new TierwiseError("STORE_NOT_TIERWISE", {
        path: where,
        detail: "it is a DuckDB database without Tierwise's tables (tw_meta)",
      });
    }
    if (options.readOnly) await checkSchemaForReading(engine, where);
    else await engine.transaction(() => ensureStoreSchema(engine, where));
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
  return engine;
}

/** The rejects file that sits next to a store: `shop.duckdb` → `shop.rejects.csv`. */
export function rejectsPathFor(storePath: string): string {
  return `${storePath.replace(/\.duckdb$/i, "")}.rejects.csv`;
}
