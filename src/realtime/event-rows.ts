import type { Engine } from "../engine/engine.js";
import { InternalError } from "../errors/index.js";
import { EMPTY_MAPPING } from "../ingest/mapping.js";
import { planTable } from "../ingest/plan-table.js";
import { commitTable, dropTempTables, prepareStagedTable, stageNameOf } from "../ingest/table-load.js";
import { tableDef } from "../model/index.js";
import { createRejectsTableSql } from "../sql/ingest/rejects.js";
import { firstRejectSql, stageEventsSql } from "../sql/realtime/stage-events.js";

/** The tables events write: orders (sales and refunds, which are credit notes) and interactions. */
export type EventTable = "orders" | "interactions";

/** One event's fields by the data model's column names; absent fields are empty. */
export type EventItem = Readonly<Record<string, string | number | null | undefined>>;

/** The first ingest rule an event of the request broke: nothing of the request is written. */
export class EventRejected extends Error {
  constructor(
    /** The ingest's reject code (docs/ingest.md), e.g. `UNKNOWN_REFERENCE`. */
    readonly code: string,
    readonly reason: string,
    /** 0-based item of the request. */
    readonly item: number,
    /** The model column at fault, when the rule is about one. */
    readonly column: string | null,
  ) {
    super(reason);
  }
}

/**
 * Write a request's events into `table` with the ingest's own plan and SQL:
 * the items are staged as a file's rows would be, checked field by field,
 * orphans and duplicates marked, and merged by natural key (a known id with
 * the same values changes nothing; with changed values it is updated, as a
 * re-ingest does). Must run inside the caller's transaction; throws
 * `EventRejected` (naming the first reject) when any item breaks a rule.
 */
export async function writeEventRows(engine: Engine, table: EventTable, items: readonly EventItem[]): Promise<void> {
  const def = tableDef(table);
  const columns = def.columns.map((c) => ({ name: c.name, type: "VARCHAR" }));
  const source = { path: `events/${table}`, format: "ndjson" as const };
  const file = { table, path: source.path, name: `events/${table}`, format: "ndjson" as const };
  const { plan, problems } = planTable(def, file, source, columns, EMPTY_MAPPING);
  if (!plan) throw new InternalError(`no plan for events of ${table}: ${problems.map((p) => p.message).join("; ")}`);
  const rows = items.map((item) => def.columns.map((c) => text(item[c.name])));
  try {
    await engine.exec(createRejectsTableSql(engine.dialect));
    await engine.exec(stageEventsSql(engine.dialect, stageNameOf(table), columns.length, rows));
    const prepared = await prepareStagedTable(engine, plan, rows.length);
    await commitTable(engine, prepared, () => undefined);
    const reject = (await engine.query(firstRejectSql()))[0];
    if (reject) throw new EventRejected(reject.code, reject.reason, (reject.record ?? 1) - 1, reject.field);
  } finally {
    // After a failed statement (PostgreSQL: the transaction is aborted) the rollback drops them anyway.
    await dropTempTables(engine, table).catch(() => undefined);
  }
}

/** A JSON value as the text a file would hold (numbers as JavaScript writes them). */
function text(value: string | number | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "number" ? String(value) : value;
}
