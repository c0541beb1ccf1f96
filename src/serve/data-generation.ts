import type { FastifyInstance } from "fastify";
import type { DataGeneration } from "../insight/data-fingerprint.js";
import type { ServeContext } from "./context.js";

/** Methods that read only (HTTP: safe methods); every other request may write to the store. */
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * When the store's data may have changed, as this server sees it: a new
 * value after every request that may write (any method but GET, HEAD and
 * OPTIONS) and every background job that finished; null while one is in
 * flight, and always on a store other processes may write (PostgreSQL).
 * Hooks are added to `app`, so it covers every route, also those of other
 * files.
 */
export function dataGeneration(app: FastifyInstance, { engine, jobs }: ServeContext): DataGeneration {
  let writes = 0;
  let inFlight = 0;
  app.addHook("onRequest", async (request) => {
    if (READS.has(request.method)) return;
    inFlight += 1;
    writes += 1;
  });
  app.addHook("onResponse", async (request) => {
    if (READS.has(request.method)) return;
    inFlight -= 1;
    writes += 1;
  });
  return () => {
    if (!engine.dialect.oneWriterProcess || inFlight > 0) return null;
    const all = jobs.list();
    if (all.some((j) => j.finished_at === null)) return null;
    const lastFinished = all.reduce((m, j) => (j.finished_at !== null && j.finished_at > m ? j.finished_at : m), "");
    return `${writes}|${all.length}|${lastFinished}`;
  };
}
