import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { insertEventsSql, previousRunsSql } from "../../../src/sql/delivery/events.js";
import { raw, sql } from "../../../src/sql/fragment.js";
import { exportPageSql } from "../../../src/sql/run/records.js";
import { STORE_SCHEMA_VERSION } from "../../../src/sql/store/schema.js";
import { openStore } from "../../../src/store/index.js";
import { indexPlan } from "../../support/index-plan.js";
import { createTestDatabase } from "../../support/postgres-database.js";
import { rawRows } from "../../support/raw-rows.js";
import { fillWithEvents } from "../../webhooks/support.js";

/**
 * On PostgreSQL a run's events and an export read one run out of many: they
 * must go through the store's indexes (a scan of every run's grades made them
 * slower with each run: minutes at 30 runs). With sequential scans disabled
 * the plan shows whether an index can serve each read at all (a run id bound
 * as NUMERIC, or no index, leaves a sequential scan however it is priced).
 */
describe("PostgreSQL store indexes", () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
  });

  it("a run's events and an export page read tw_grades and the name tables through indexes", async () => {
    const { url } = await createTestDatabase("tw_indexes");
    engine = await openStore("", { engine: "postgres", databaseUrl: url });
    await fillWithEvents(engine, 3);
    const previous = (await engine.query(previousRunsSql(2, "2026-02-01"))).map((r) => r.p_run);
    const events = await indexPlan(engine, insertEventsSql(2, "2026-02-01", "2026-02-01 00:00:00", previous));
    const page = await indexPlan(
      engine,
      exportPageSql(2, ["value-grades"], { scheme: "value-grades", entityId: "C01" }, 10).statement,
    );
    for (const text of [events, page]) {
      expect(text).toContain("tw_grades_run");
      expect(text).not.toMatch(/Seq Scan on tw_grades\b/);
      expect(text).not.toMatch(/Seq Scan on tw_run_tiers\b/);
    }
    expect(page).not.toContain("::numeric");
  });

  it("an older store gets the indexes and schema version 4 when opened", async () => {
    const { url } = await createTestDatabase("tw_indexes_old");
    engine = await openStore("", { engine: "postgres", databaseUrl: url });
    await fillWithEvents(engine, 2);
    for (const name of ["tw_grades_run", "tw_run_tiers_run", "tw_events_run"])
      await engine.exec(sql`DROP INDEX ${raw(name)}`);
    await engine.exec(raw("UPDATE tw_meta SET value = '3' WHERE key = 'schema_version'"));
    await engine.close();
    engine = await openStore("", { engine: "postgres", databaseUrl: url });
    const names = await engine.query(
      rawRows<{ indexname: string }>(
        raw("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'tw\\_%' ORDER BY indexname"),
      ),
    );
    expect(names.map((n) => n.indexname)).toEqual([
      "tw_delivery_claims_pkey",
      "tw_event_deliveries_event",
      "tw_events_id",
      "tw_events_run",
      "tw_grades_run",
      "tw_policy_versions_pkey",
      "tw_run_rules_run",
      "tw_run_schemes_run",
      "tw_run_tiers_run",
      "tw_webhooks_pkey",
    ]);
    const version = await engine.query(
      rawRows<{ value: string }>(raw("SELECT value FROM tw_meta WHERE key = 'schema_version'")),
    );
    expect(version[0]?.value).toBe(String(STORE_SCHEMA_VERSION));
    expect(STORE_SCHEMA_VERSION).toBe(6);
  });
});
