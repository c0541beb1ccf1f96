import type { Engine } from "../engine/engine.js";
import { liveSinceSql } from "../sql/realtime/live-grades.js";
import type { EventTable } from "./event-rows.js";
import { liveAsOf } from "./record-events.js";
import { regradeCustomer } from "./regrade.js";

/** How far before a run started events are graded again after it (clocks of several servers differ a little). */
export const CATCH_UP_MARGIN_MS = 60_000;

/** The timestamp text of a moment, as live grades record it. */
export function timestampText(at: Date): string {
  return at.toISOString().replace("T", " ").slice(0, 23);
}

/**
 * After a full run that started at `startedAt` on top of run `previousRun`:
 * the customers events re-graded while it was working (it may not have seen
 * those events; its grades supersede their live ones) are graded again on
 * top of the new run, each in a transaction of its own as an event is. A
 * customer whose events the run did see gets the same grade again and no
 * tier change. Returns how many were graded again.
 */
export async function catchUpLiveGrades(
  engine: Engine,
  previousRun: number,
  startedAt: Date,
  now: Date,
): Promise<number> {
  const since = timestampText(new Date(startedAt.getTime() - CATCH_UP_MARGIN_MS));
  const rows = await engine.query(liveSinceSql(previousRun, since));
  const madeAt = timestampText(now);
  for (const row of rows) {
    await engine.transaction(async () => {
      await engine.exec(engine.dialect.lockEntities([row.customer_id]));
      await regradeCustomer(engine, row.customer_id, liveAsOf(now), {
        table: row.event_table as EventTable,
        id: row.event_id,
        madeAt,
      });
    });
  }
  return new Set(rows.map((r) => r.customer_id)).size;
}
