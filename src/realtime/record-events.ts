import type { Engine } from "../engine/engine.js";
import { normaliseId } from "../model/index.js";
import { type EventItem, type EventTable, writeEventRows } from "./event-rows.js";
import { type Regraded, regradeCustomer } from "./regrade.js";

/** When the events count: the live as-of is the day after `now` (UTC), so everything up to now counts. */
export function liveAsOf(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString().slice(0, 10);
}

/** The key column of each events table: an event's id. */
const KEY: Readonly<Record<EventTable, string>> = { orders: "order_id", interactions: "interaction_id" };

/**
 * Record a request's events and re-grade each customer they name, in one
 * transaction: either every event is written and every customer re-graded,
 * or (an event breaks an ingest rule: `EventRejected`; or anything fails)
 * nothing is. Returns once committed.
 */
export async function recordEvents(
  engine: Engine,
  table: EventTable,
  items: readonly EventItem[],
  now: Date,
): Promise<Regraded[]> {
  const asOf = liveAsOf(now);
  const madeAt = now.toISOString().replace("T", " ").slice(0, 23);
  // Each customer once, graded after all of its events of the request are written.
  const last = new Map<string, string>();
  for (const item of items) {
    const customer = idOf(item["customer_id"]);
    const id = idOf(item[KEY[table]]);
    if (customer !== null && id !== null) last.set(customer, id);
  }
  return engine.transaction(async () => {
    // Another server on the same database records these customers' events after us, not beside us:
    // otherwise each would grade without the other's event, and the last to commit would win.
    await engine.exec(engine.dialect.lockEntities([...last.keys()]));
    await writeEventRows(engine, table, items);
    const regraded: Regraded[] = [];
    for (const [customer, id] of last) {
      const r = await regradeCustomer(engine, customer, asOf, { table, id, madeAt });
      if (r) regraded.push(r);
    }
    return regraded;
  });
}

function idOf(value: EventItem[string]): string | null {
  if (value === undefined || value === null) return null;
  const id = normaliseId(String(value));
  return id.ok ? id.id : null;
}
