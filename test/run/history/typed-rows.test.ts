import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { setOverride } from "../../../src/run/overrides.js";
import { previousSnapshotSql } from "../../../src/sql/compile/lifecycle.js";
import { previousRunOfSchemeSql } from "../../../src/sql/delivery/alerts.js";
import { endpointStateSql, writeEndpointStateSql } from "../../../src/sql/delivery/endpoints.js";
import {
  deliveriesSql,
  eventsSql,
  insertDeliverySql,
  outboxExtentSql,
  previousRunsSql,
  undeliveredCountSql,
  undeliveredEventsSql,
} from "../../../src/sql/delivery/events.js";
import {
  entityHistorySql,
  migrationMatrixSql,
  migrationMoversSql,
  runsOfSchemeSql,
  runTiersSql,
} from "../../../src/sql/insight/history.js";
import {
  crosstabSql,
  namesSql,
  paretoPointsSql,
  paretoSummarySql,
  reportSchemesSql,
  reportTiersSql,
} from "../../../src/sql/insight/report.js";
import { type Query, records } from "../../../src/sql/row.js";
import { policyHashesLikeSql, policyTextsSql, runPolicyUsesSql } from "../../../src/sql/run/policy-versions.js";
import {
  activeOverridesSql,
  assignmentsOfEntitySql,
  entityExistsSql,
  exportPageSql,
  nextIdSql,
  overrideLogSql,
  runSql,
} from "../../../src/sql/run/records.js";
import { deliveredEventsSql, eventCountSql, nextRunIdSql, runListSql } from "../../../src/sql/run/runs.js";
import { entityCountSql, fingerprintSql, tierTotalsSql } from "../../../src/sql/run/snapshot.js";
import { hasRowsSql } from "../../../src/sql/store/store-meta.js";
import { memoryStore } from "../support.js";
import { seedHistory } from "./support.js";

/**
 * The typed queries of the snapshot folders (run, insight, delivery) against
 * a store with three runs of value-grades (./support.ts), an override and a
 * failed delivery: each declares every column its SELECT returns, so no
 * column is silently dropped from the typed row, and each row decodes on
 * this engine (a wrong decoder throws an InternalError naming the column).
 * Runs on both engines (test/run/**).
 */
describe("typed rows of the snapshot queries", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await seedHistory(engine);
    await setOverride(engine, {
      entityId: "C",
      scheme: "value-grades",
      tier: "Gold",
      mode: "floor",
      reason: "key",
      by: "t",
    });
    await engine.exec(
      insertDeliverySql({
        eventId: 1,
        url: "http://127.0.0.1:9/hook",
        attempt: 1,
        at: "2026-01-02 00:00:00",
        status: 500,
        error: "HTTP 500",
        delivered: false,
      }),
    );
    await engine.exec(
      writeEndpointStateSql("http://127.0.0.1:9/hook", 1, "2026-01-02 00:05:00", "2026-01-02 00:00:00"),
    );
  });
  afterAll(async () => {
    await engine.close();
  });

  // Run 2 (2025-10-01) and run 3 (2026-01-01) each hold value-grades as scheme 1.
  const from = { runId: 2, schemeNo: 1 };
  const to = { runId: 3, schemeNo: 1 };
  const window = { start: "2025-01-01 00:00:00", end: "2026-01-01 00:00:00" };
  const queries = (): Record<string, Query<object>> => ({
    runSql: runSql(undefined),
    runListSql: runListSql(),
    nextRunIdSql: nextRunIdSql(),
    eventCountSql: eventCountSql(3),
    tierTotalsSql: tierTotalsSql(3),
    entityCountSql: entityCountSql("customers"),
    fingerprintSql: fingerprintSql(),
    hasRowsSql: hasRowsSql("orders"),
    previousSnapshotSql: previousSnapshotSql("value-grades", "2026-01-01"),
    runPolicyUsesSql: runPolicyUsesSql(),
    policyTextsSql: policyTextsSql(),
    policyHashesLikeSql: policyHashesLikeSql(""),
    activeOverridesSql: activeOverridesSql({}),
    overrideLogSql: overrideLogSql(),
    nextIdSql: nextIdSql("tw_overrides"),
    entityExistsSql: entityExistsSql("customers", "C"),
    assignmentsOfEntitySql: assignmentsOfEntitySql(3, "C"),
    exportPageSql: exportPageSql(3, [], undefined, 100),
    runsOfSchemeSql: runsOfSchemeSql("value-grades"),
    entityHistorySql: entityHistorySql("B", undefined),
    migrationMatrixSql: migrationMatrixSql(from, to),
    migrationMoversSql: migrationMoversSql(from, to, 20),
    runTiersSql: runTiersSql(to),
    reportSchemesSql: reportSchemesSql(3),
    reportTiersSql: reportTiersSql(3, [1], window),
    paretoSummarySql: paretoSummarySql(3, [1], window),
    paretoPointsSql: paretoPointsSql(3, [1]),
    crosstabSql: crosstabSql(3, 1, 1),
    namesSql: namesSql("customers", ["A"]),
    eventsSql: eventsSql(undefined),
    outboxExtentSql: outboxExtentSql(),
    previousRunsSql: previousRunsSql(3, "2026-01-01"),
    previousRunOfSchemeSql: previousRunOfSchemeSql(3, "2026-01-01", "value-grades"),
    undeliveredEventsSql: undeliveredEventsSql("http://127.0.0.1:9/hook"),
    undeliveredCountSql: undeliveredCountSql("http://127.0.0.1:9/hook"),
    deliveriesSql: deliveriesSql(),
    deliveredEventsSql: deliveredEventsSql(3),
    endpointStateSql: endpointStateSql("http://127.0.0.1:9/hook"),
  });
  /** Queries that return no row in this store (the shape is still checked against the columns). */
  const EMPTY = new Set(["namesSql", "deliveredEventsSql"]);

  it("declare every column they return and decode each row", async () => {
    for (const [name, query] of Object.entries(queries())) {
      const raw = await engine.query(records(query.statement));
      const decoded = await engine.query(query);
      expect(decoded.length, name).toBe(raw.length);
      if (!EMPTY.has(name)) expect(raw.length, name).toBeGreaterThan(0);
      for (const [i, row] of decoded.entries())
        expect(Object.keys(row).sort(), name).toEqual(Object.keys(raw[i] ?? {}).sort());
    }
  });
});
