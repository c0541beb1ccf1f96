import { readFileSync, rmSync, writeFileSync } from "node:fs";

/**
 * While `tierwise serve` holds a DuckDB store it leaves a mark beside it,
 * `STORE.server` (the URL it answers on and its process id), so that a
 * command finding the store held can say which server holds it and where
 * to reach it (`STORE_SERVED`) instead of waiting for a holder that will
 * not let go. A mark left by a server that died names a process that is no
 * longer the holder and is ignored.
 */
export interface ServerMark {
  readonly url: string;
  readonly pid: number;
}

function markPath(store: string): string {
  return `${store}.server`;
}

/** Leave the mark (best effort: a store in a read-only folder is served without one). */
export function writeServerMark(store: string, url: string): void {
  try {
    writeFileSync(markPath(store), `${JSON.stringify({ url, pid: process.pid })}\n`, { mode: 0o644 });
  } catch {
    // The mark only improves a message; its absence is not an error.
  }
}

/** Remove this process's mark (never another server's). */
export function removeServerMark(store: string): void {
  if (readServerMark(store)?.pid === process.pid) rmSync(markPath(store), { force: true });
}

/** The mark beside `store`, or null when there is none or it cannot be read. */
export function readServerMark(store: string): ServerMark | null {
  try {
    const value: unknown = JSON.parse(readFileSync(markPath(store), "utf8"));
    if (typeof value !== "object" || value === null || !("url" in value) || !("pid" in value)) return null;
    const { url, pid } = value;
    return typeof url === "string" && /^https?:\/\/[!-~]{1,300}$/.test(url) && typeof pid === "number"
      ? { url, pid }
      : null;
  } catch {
    return null;
  }
}
