import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { deleteRunSql, deliveredEventsSql, eventCountSql, recordDeletedRunSql } from "../sql/run/runs.js";
import { findRun, type StoredRun } from "./runs.js";

export interface DeleteRunsOptions {
  /** Delete runs whose events a webhook already received (with those events and their delivery log). */
  readonly force?: boolean;
}

export interface DeleteRunsResult {
  /** The runs deleted, as given. */
  readonly deleted: readonly { readonly runId: number; readonly asOf: string }[];
  /** Events removed with them, and how many of those had been delivered (only with `force`). */
  readonly events: number;
  readonly deliveredEvents: number;
  /** The latest run afterwards (the default of every command), or null when none is left. */
  readonly latest: { readonly runId: number; readonly asOf: string } | null;
}

/**
 * Delete stored runs (e.g. one graded with a mistyped as-of in 2030, which
 * would otherwise stay every command's default run) with what belongs only
 * to them: grades, scheme/tier/rule names, outbox events and their delivery
 * log (src/sql/run/runs.ts). All runs go in one transaction, or none.
 * A run whose events a webhook already received is refused
 * (RUN_EVENTS_DELIVERED, naming the events) unless `force`. Ids are never
 * reused: a later run gets an id after the deleted ones.
 * @example
 * await deleteRuns(store, [14]); // the 2030 run; the latest run is the real one again
 */
export async function deleteRuns(
  engine: Engine,
  runIds: readonly number[],
  options: DeleteRunsOptions = {},
): Promise<DeleteRunsResult> {
  const ids = [...new Set(runIds)];
  const runs: StoredRun[] = [];
  for (const id of ids) runs.push(await findRun(engine, id));
  const deletedAt = new Date().toISOString().replace("T", " ").slice(0, 23);
  let events = 0;
  let deliveredEvents = 0;
  await engine.transaction(async () => {
    for (const run of runs) {
      const delivered = (await engine.query(deliveredEventsSql(run.runId))).map((r) => r.event_id);
      if (delivered.length > 0 && !options.force) {
        const shown = delivered.slice(0, 5).join(", ") + (delivered.length > 5 ? ", …" : "");
        throw new TierwiseError(
          "RUN_EVENTS_DELIVERED",
          { run: run.runId, count: delivered.length, events: shown },
          undefined,
          "pass --force to delete it with its events anyway",
        );
      }
      await engine.exec(recordDeletedRunSql(run.runId, deletedAt, options.force === true));
      const [row] = await engine.query(eventCountSql(run.runId));
      events += row?.n ?? 0;
      deliveredEvents += delivered.length;
      await engine.exec(deleteRunSql(run.runId));
    }
  });
  const latest = await findRun(engine).catch((e: unknown) => {
    if (e instanceof TierwiseError && e.code === "NO_RUNS") return null;
    throw e;
  });
  return {
    deleted: runs.map((r) => ({ runId: r.runId, asOf: r.asOf })),
    events,
    deliveredEvents,
    latest: latest ? { runId: latest.runId, asOf: latest.asOf } : null,
  };
}
