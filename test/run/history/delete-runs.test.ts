import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventKey } from "../../../src/delivery/deliver.js";
import { events } from "../../../src/delivery/events.js";
import type { Engine } from "../../../src/engine/engine.js";
import { TierwiseError } from "../../../src/errors/index.js";
import { explain } from "../../../src/insight/explain.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { deleteRuns } from "../../../src/run/delete-runs.js";
import { run } from "../../../src/run/run.js";
import { listRuns } from "../../../src/run/run-list.js";
import { findRun } from "../../../src/run/runs.js";
import { insertDeliverySql } from "../../../src/sql/delivery/events.js";
import { ident, raw, sql } from "../../../src/sql/fragment.js";
import { records } from "../../../src/sql/index.js";
import { rawRows } from "../../support/raw-rows.js";
import { completedOrders, insertRows, memoryStore } from "../support.js";
import { seedGoldSilverRegular } from "./support.js";

/**
 * value-grades over A (Gold 60,000), B (Silver 20,000), C (Regular 500).
 * Run 1 as of 2025-12-31; then B buys 40,000 more (2025-12-31 18:00) and run
 * 2 is graded as of 2030-01-01 by mistake (a mistyped year): every order is
 * outside its 12 months, so A, B and C fall to Potential there (3 events,
 * ids 1..3). Run 2 is every command's default until it is deleted. A run as
 * of 2026-01-01 then moves B from Silver (run 1) to Gold (60,000).
 */
const count = async (engine: Engine, table: string, runId: number) =>
  Number(
    (
      await engine.query(
        rawRows<{ n: unknown }>(sql`SELECT count(*) AS n FROM ${ident(table)} WHERE run_id = ${raw(String(runId))}`),
      )
    )[0]?.n,
  );
const RUN_TABLES = ["tw_runs", "tw_grades", "tw_run_schemes", "tw_run_tiers", "tw_run_rules", "tw_events"];

describe("deleting a run", () => {
  let engine: Engine;
  beforeEach(async () => {
    engine = await memoryStore();
    await seedGoldSilverRegular(engine);
    const policy = await loadPolicy({ presets: ["value-grades"] });
    await run(engine, policy, { asOf: "2025-12-31" });
    await insertRows(engine, "orders", completedOrders("B", [["2025-12-31 18:00:00", 40000]], "B-x"));
    await run(engine, policy, { asOf: "2030-01-01" });
  });
  afterEach(async () => {
    await engine.close();
  });

  it("removes the run with what belongs only to it, and the real latest run is the default again", async () => {
    expect((await findRun(engine)).asOf).toBe("2030-01-01");
    expect((await explain(engine, "B")).runId).toBe(2);
    for (const table of RUN_TABLES) expect(await count(engine, table, 2), table).toBeGreaterThan(0);

    const r = await deleteRuns(engine, [2]);
    expect(r).toEqual({
      deleted: [{ runId: 2, asOf: "2030-01-01" }],
      events: 3,
      deliveredEvents: 0,
      latest: { runId: 1, asOf: "2025-12-31" },
    });
    for (const table of RUN_TABLES) expect(await count(engine, table, 2), table).toBe(0);
    for (const table of ["tw_runs", "tw_grades", "tw_run_schemes", "tw_run_tiers", "tw_run_rules"])
      expect(await count(engine, table, 1), table).toBeGreaterThan(0);
    expect(await findRun(engine)).toMatchObject({ runId: 1, asOf: "2025-12-31" });
    expect((await explain(engine, "B")).runId).toBe(1);
    expect((await listRuns(engine)).map((x) => [x.runId, x.latest])).toEqual([[1, true]]);
  });

  it("never gives a deleted run's id, nor its events' ids, to a later run", async () => {
    await deleteRuns(engine, [2]);
    const again = await run(engine, await loadPolicy({ presets: ["value-grades"] }), { asOf: "2026-01-01" });
    expect(again.runId).toBe(3);
    const [event] = await events(engine);
    // Compared with run 1 (the previous as-of), not with the deleted run; event id 4, after the deleted 1..3.
    expect(await events(engine)).toHaveLength(1);
    expect(event).toMatchObject({ eventId: 4, runId: 3, entityId: "B", fromTier: "Silver", toTier: "Gold" });
    expect(event?.idempotencyKey).toBe(eventKey(3, "tier_change", "value-grades", "B"));
  });

  it("refuses a run whose events a webhook received, naming them, unless forced; all or nothing", async () => {
    const [event] = await events(engine);
    if (!event) throw new Error("fixture: run 2 has events");
    await engine.exec(
      insertDeliverySql({
        eventId: event.eventId,
        url: "https://hooks.example/tiers",
        attempt: 1,
        at: "2030-01-01 00:00:01",
        status: 200,
        error: null,
        delivered: true,
      }),
    );
    expect((await listRuns(engine))[0]).toMatchObject({ runId: 2, events: 3, delivered: 1 });
    const error = await deleteRuns(engine, [1, 2]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TierwiseError);
    expect(error).toMatchObject({ code: "RUN_EVENTS_DELIVERED", params: { run: 2, count: 1, events: "1" } });
    // Run 1 came first in the same call: it is still there, and so is run 2.
    expect((await listRuns(engine)).map((x) => x.runId)).toEqual([2, 1]);

    const forced = await deleteRuns(engine, [2], { force: true });
    expect(forced).toMatchObject({ events: 3, deliveredEvents: 1, latest: { runId: 1 } });
    expect(await events(engine)).toEqual([]);
    const deliveries = await engine.query(records(sql`SELECT count(*) AS n FROM ${ident("tw_event_deliveries")}`));
    expect(Number(deliveries[0]?.["n"])).toBe(0);
  });

  it("refuses an unknown run id before deleting anything", async () => {
    await expect(deleteRuns(engine, [2, 9])).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
    expect((await listRuns(engine)).map((x) => x.runId)).toEqual([2, 1]);
  });
});
