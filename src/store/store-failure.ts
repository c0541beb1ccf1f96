import { accessSync, constants, statfsSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { TierwiseError } from "../errors/index.js";

/**
 * What an engine's failure means for the user, told truly: the store is
 * busy, read-only, not a store, unreachable, or its disk is full. Every
 * open failure and every write that the environment refuses goes through
 * here, so none of them reaches the user as an uncoded driver message.
 */

/** The first line of a driver error, trimmed. */
export function firstLine(error: unknown): string {
  return (((error as Error)?.message ?? String(error)).split("\n")[0] ?? "").trim();
}

/** A PostgreSQL SQLSTATE or a Node socket code (`ECONNREFUSED`), also inside an AggregateError. */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string") return code;
  const inner = (error as { errors?: unknown[] })?.errors?.[0];
  return inner === undefined ? undefined : errorCode(inner);
}

/** DuckDB's lock conflict: another process holds the file. */
export function isLockConflict(error: unknown): boolean {
  return /Could not set lock on file/.test(firstLine(error));
}

const DISK_FULL = /No space left on device|Failed to create checkpoint|disk is full|Disk quota exceeded/i;
const READ_ONLY_FS = /Read-only file system|Permission denied/i;

/** Whether an error means the disk is full (DuckDB's IO errors, PostgreSQL `53100 disk_full`). */
export function isDiskFull(error: unknown): boolean {
  return errorCode(error) === "53100" || DISK_FULL.test((error as Error)?.message ?? "");
}

/** "12 KB", "3.4 MB": a short size for a message. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

const UNKNOWN_FREE = "free space unknown";

/** Where a store lives: a `file` on this machine (DuckDB) or a database `server` (PostgreSQL). */
export type StoreKind = "file" | "server";

/** "152 KB free" on the disk holding `path` (a DuckDB file), or "free space unknown" when it cannot be measured. */
function freeSpaceAt(path: string): string {
  try {
    const stats = statfsSync(dirname(resolve(path)));
    return `${formatBytes(stats.bavail * stats.bsize)} free`;
  } catch {
    return UNKNOWN_FREE;
  }
}

/**
 * A failure while working on an open store, translated when the environment
 * caused it: disk full → `DISK_FULL`, a read-only file system →
 * `STORE_READ_ONLY`. Anything else is returned unchanged.
 * `where` is the store's path (a `file` store: DuckDB) or redacted URL (a `server`: PostgreSQL).
 */
export function storeWorkFailure(error: unknown, where: string, store: StoreKind): unknown {
  if (error instanceof TierwiseError) return error;
  const file = store === "file" ? /"([^"]+)"/.exec(firstLine(error))?.[1] : undefined;
  // A file DuckDB names that is not the store, its log or its spill folder: an input or output file.
  const other = file !== undefined && !isStoreFile(file, where) ? file : undefined;
  if (isDiskFull(error)) {
    return new TierwiseError("DISK_FULL", {
      path: other ?? where,
      free: store === "file" ? freeSpaceAt(other ?? where) : UNKNOWN_FREE,
    });
  }
  if (store === "file" && other === undefined && READ_ONLY_FS.test(firstLine(error))) {
    return new TierwiseError("STORE_READ_ONLY", { path: where, reason: readOnlyReason(firstLine(error)) });
  }
  if (store === "server" && errorCode(error) === "25006") {
    return new TierwiseError("STORE_READ_ONLY", { path: where, reason: "the server accepts only reads" });
  }
  return error;
}

/** Whether `file` is the DuckDB store at `store`, its write-ahead log, or in its spill folder (`.tmp`). */
function isStoreFile(file: string, store: string): boolean {
  const f = resolve(file);
  const s = resolve(store);
  return f === s || f === `${s}.wal` || f === `${s}.tmp` || f.startsWith(`${s}.tmp/`);
}

/**
 * Why the store cannot be written, from DuckDB's message: the file itself, or
 * its folder when the file DuckDB failed to create is the write-ahead log
 * (`shop.duckdb.wal`) or another file beside the store.
 */
function readOnlyReason(detail: string): string {
  const denied = /Permission denied/i.test(detail);
  const file = /"([^"]+)"/.exec(detail)?.[1];
  if (file && /\.wal$|\.tmp$/.test(file)) {
    return denied
      ? `this user may not write its folder: DuckDB writes ${basename(file)} beside it`
      : `its folder is on a read-only file system: DuckDB writes ${basename(file)} beside it`;
  }
  return denied ? "permission denied" : "it is on a read-only file system";
}

function canRead(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

/**
 * A DuckDB open failure as the coded error that says what is wrong. A lock
 * conflict is not handled here (the caller waits, then reports `STORE_BUSY`).
 */
export function duckDbOpenFailure(error: unknown, path: string, readOnly: boolean): TierwiseError {
  const detail = firstLine(error);
  if (isDiskFull(error)) return new TierwiseError("DISK_FULL", { path, free: freeSpaceAt(path) });
  if (/is not a valid DuckDB database file/.test(detail)) {
    const empty = sizeOf(path) === 0;
    return new TierwiseError("STORE_NOT_TIERWISE", {
      path,
      detail: empty ? "the file is empty (0 bytes)" : "the file is not a DuckDB database",
    });
  }
  if (/Could not read enough bytes/.test(detail)) {
    return new TierwiseError("STORE_UNREADABLE", {
      path,
      detail: "the DuckDB file ends early (it is truncated or damaged); restore it from a backup",
    });
  }
  if (/Permission denied/i.test(detail) && !canRead(path)) {
    return new TierwiseError("STORE_UNREADABLE", { path, detail: "permission denied" });
  }
  if (!readOnly && READ_ONLY_FS.test(detail)) {
    return new TierwiseError("STORE_READ_ONLY", { path, reason: readOnlyReason(detail) });
  }
  if (/Permission denied/i.test(detail))
    return new TierwiseError("STORE_UNREADABLE", { path, detail: "permission denied" });
  if (/Is a directory/i.test(detail)) return new TierwiseError("STORE_UNREADABLE", { path, detail: "it is a folder" });
  return new TierwiseError("STORE_UNREADABLE", { path, detail: detail.replace(/^IO Error: /, "") });
}

/** A PostgreSQL connection failure: unreachable server, refused login, or another reason in the server's words. */
export function postgresOpenFailure(error: unknown, url: string): TierwiseError {
  const code = errorCode(error);
  const detail = firstLine(error);
  if (code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)$/.test(code)) {
    const why: Record<string, string> = {
      ECONNREFUSED: "connection refused (is the server running, and on that port?)",
      ENOTFOUND: "unknown host name",
      EAI_AGAIN: "the host name could not be looked up",
      ETIMEDOUT: "the connection timed out",
    };
    return new TierwiseError("STORE_UNREACHABLE", { url, detail: why[code] ?? code });
  }
  if (code === "28P01" || code === "28000") return new TierwiseError("STORE_ACCESS_DENIED", { url, detail });
  if (isDiskFull(error)) return new TierwiseError("DISK_FULL", { path: url, free: UNKNOWN_FREE });
  return new TierwiseError("STORE_UNREADABLE", { path: url, detail: detail || (code ?? "unknown failure") });
}
