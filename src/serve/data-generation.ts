import type { FastifyInstance, FastifyRequest } from "fastify";
import type { DataGeneration } from "../insight/data-fingerprint.js";
import type { ServeContext } from "./context.js";

/** Methods that read only (HTTP: safe methods); every other request may write to the store. */
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * How long, on a store other processes may write (PostgreSQL), what the
 * server keeps (explanations, the latest run) may lag their writes.
 */
export const SHARED_STORE_REFRESH_MS = 60_000;

/** Whether a request may write batch data: not a read, and not an event (`POST /events/…`: see below). */
function batchWrite(request: FastifyRequest): boolean {
  return !READS.has(request.method) && !(request.routeOptions.url ?? "").startsWith("/events/");
}

/**
 * When the store's data may have changed, as this server sees it: a new
 * value after every request that may write (any method but GET, HEAD and
 * OPTIONS) and every background job that finished; null while one is in
 * flight. Events (`POST /events/…`) do not count: each re-grades its
 * customer at once (live grades, shown beside the run's explanation), and
 * recomputing what the server keeps for every customer after each event
 * would stop reads under a stream of events. On a store other processes
 * may write (PostgreSQL) it also changes every SHARED_STORE_REFRESH_MS.
 * Hooks are added to `app`, so it covers every route, also those of other
 * files.
 */
export function dataGeneration(
  app: FastifyInstance,
  { engine, jobs }: ServeContext,
  clock: () => number = Date.now,
): DataGeneration {
  let writes = 0;
  let inFlight = 0;
  app.addHook("onRequest", async (request) => {
    if (!batchWrite(request)) return;
    inFlight += 1;
    writes += 1;
  });
  app.addHook("onResponse", async (request) => {
    if (!batchWrite(request)) return;
    inFlight -= 1;
    writes += 1;
  });
  return () => {
    if (inFlight > 0) return null;
    const all = jobs.list();
    if (all.some((j) => j.finished_at === null)) return null;
    const lastFinished = all.reduce((m, j) => (j.finished_at !== null && j.finished_at > m ? j.finished_at : m), "");
    const shared = engine.dialect.oneWriterProcess ? "" : `|${Math.floor(clock() / SHARED_STORE_REFRESH_MS)}`;
    return `${writes}|${all.length}|${lastFinished}${shared}`;
  };
}
