import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StoredClvModel, storeModel } from "../../../src/clv-store/models.js";
import type { Engine, Row } from "../../../src/engine/engine.js";
import { migrations } from "../../../src/insight/migrations.js";
import { type LoadedPolicy, loadPolicy } from "../../../src/policy/load-policy.js";
import { backfill } from "../../../src/run/backfill.js";
import { run } from "../../../src/run/run.js";
import { findRun } from "../../../src/run/runs.js";
import { ident, raw, sql } from "../../../src/sql/fragment.js";
import { records } from "../../../src/sql/index.js";
import { completedOrders, memoryStore, policyFile, seed } from "../support.js";

/**
 * A store that already has a current run (2026-01-01) and is then backfilled
 * with the month ends of 2025 (run ids 2..13, written after run 1 but dated
 * before it). Each backfilled snapshot must be compared with the snapshot
 * before it by as-of, never with run 1 (the next lower id): its events,
 * alerts and lifecycle state are those of the same backfill into an empty
 * store, and "the latest run" stays run 1.
 */
const POLICY = `version: 1
currency: EUR
time_zone: UTC
schemes:
  - name: value
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: VIP, min: 100000 }
      - { name: Gold, min: 50000 }
      - { name: Silver, min: 20000 }
      - { name: Regular, above: 0 }
      - { name: Potential }
  - name: monthly
    kind: thresholds
    metric: spend(1 months)
    tiers:
      - { name: Gold, min: 500, keep: 400 }
      - { name: Silver, min: 200, keep: 150 }
      - { name: Member }
    lifecycle: { grace_days: 45 }
alerts:
  - name: downgraded
    scheme: value
    when: downgraded
`;

const at = (day: string) => `${day} 12:00:00`;
const FIXTURE = {
  customers: ["A", "B", "C", "D", "E", "F"].map((customer_id) => ({ customer_id })),
  orders: [
    ...completedOrders("A", [
      [at("2025-01-10"), 60000],
      [at("2025-06-10"), 50000],
    ]),
    ...completedOrders("B", [
      [at("2025-03-05"), 25000],
      [at("2025-08-05"), 30000],
    ]),
    ...completedOrders("C", [[at("2024-11-01"), 120000]]),
    ...completedOrders("D", [[at("2025-12-15"), 600]]),
    ...completedOrders("E", [[at("2025-05-20"), 20000]]),
    ...completedOrders(
      "F",
      [600, 100, 450, 100, 300, 600, 120, 500, 90, 410, 600, 100].map((amount, i) => [
        at(`2025-${String(i + 1).padStart(2, "0")}-15`),
        amount,
      ]),
    ),
  ],
};

const MONTH_ENDS = { from: "2025-01-31", to: "2025-12-31", every: "month" } as const;

/** The outbox without ids and times: what a webhook receiver would be told, in order. */
async function outbox(engine: Engine): Promise<Row[]> {
  return engine.query(
    records(sql`SELECT CAST(as_of AS VARCHAR) AS as_of, scheme, entity_id, from_tier, to_tier, kind, reason
    FROM ${ident("tw_events")} ORDER BY as_of, kind, scheme, entity_id`),
  );
}

/** Every snapshot's grades with lifecycle state, by as-of instead of run id. */
async function gradesByAsOf(engine: Engine, before: string): Promise<Row[]> {
  return engine.query(
    records(sql`SELECT CAST(r.as_of AS VARCHAR) AS as_of, a.scheme, a.entity_id, a.tier, a.qualified_tier,
    a.life_state, a.pending_tier, a.due_on, a.entered_on, a.below_count
    FROM ${ident("tw_assignments")} a JOIN ${ident("tw_runs")} r ON r.run_id = a.run_id
    WHERE r.as_of < CAST(${before} AS DATE) ORDER BY ${raw("r.as_of, a.scheme, a.entity_id")}`),
  );
}

describe("a backfill into a store that already has a later run", () => {
  let policy: LoadedPolicy;
  let alone: Engine;
  let after: Engine;
  beforeAll(async () => {
    policy = await loadPolicy({ file: await policyFile(POLICY) });
    alone = await memoryStore();
    after = await memoryStore();
    await seed(alone, FIXTURE);
    await seed(after, FIXTURE);
    await backfill(alone, policy, MONTH_ENDS);
    await run(after, policy, { asOf: "2026-01-01" });
    await backfill(after, policy, MONTH_ENDS);
  });
  afterAll(async () => {
    await alone.close();
    await after.close();
  });

  it("writes exactly the events (tier changes and alerts) of the same backfill alone", async () => {
    const expected = await outbox(alone);
    // The fixture moves tiers during 2025, so the comparison is not vacuous.
    expect(expected.filter((e) => e["kind"] === "tier_change").length).toBeGreaterThan(5);
    expect(expected.some((e) => String(e["kind"]).startsWith("alert:"))).toBe(true);
    const got = await outbox(after);
    // Nothing compares a 2025 snapshot with the 2026-01-01 run: no customer "left" or moved against it.
    expect(got.filter((e) => e["as_of"] === "2025-01-31")).toEqual([]);
    expect(got).toEqual(expected);
  });

  it("gives the backfilled snapshots the lifecycle state of the previous as-of", async () => {
    expect(await gradesByAsOf(after, "2026-01-01")).toEqual(await gradesByAsOf(alone, "2026-01-01"));
  });

  it("keeps the 2026-01-01 run the latest, and migrations compare it with the previous as-of", async () => {
    expect(await findRun(after)).toMatchObject({ runId: 1, asOf: "2026-01-01" });
    const m = await migrations(after, { scheme: "value" });
    expect(m.to).toEqual({ runId: 1, asOf: "2026-01-01" });
    expect(m.from).toEqual({ runId: 13, asOf: "2025-12-31" });
  });

  it("stores a CLV fit with the latest run by as-of, not the highest id", async () => {
    const fit = {
      model: "bgnbd",
      params: { r: 1, alpha: 1, a: 1, b: 1 },
      standardErrors: { r: null, alpha: null, a: null, b: null },
      logLikelihood: -1,
      customers: 6,
      repeatBuyers: 3,
      starts: 1,
      iterations: 1,
      converged: true,
    } as unknown as StoredClvModel["fit"];
    const stored = await storeModel(after, fit, { calibrationEnd: "2025-12-31", timeUnit: "week", timeZone: "UTC" });
    expect([stored.runId, stored.runAsOf]).toEqual([1, "2026-01-01"]);
  });
});

describe("a backfill between two existing runs", () => {
  it("compares its first snapshot with the earlier run and leaves the later run's events as they were", async () => {
    const policy = await loadPolicy({ file: await policyFile(POLICY) });
    const alone = await memoryStore();
    const between = await memoryStore();
    try {
      for (const engine of [alone, between]) await seed(engine, FIXTURE);
      await run(alone, policy, { asOf: "2024-12-31" });
      await backfill(alone, policy, MONTH_ENDS);
      await run(between, policy, { asOf: "2024-12-31" }); // run 1
      await run(between, policy, { asOf: "2026-01-01" }); // run 2: its events compare with run 1
      const later = (await outbox(between)).filter((e) => e["as_of"] === "2026-01-01");
      expect(later.length).toBeGreaterThan(0);
      await backfill(between, policy, MONTH_ENDS); // runs 3..14, between runs 1 and 2
      const got = await outbox(between);
      expect(got.filter((e) => e["as_of"] !== "2026-01-01")).toEqual(await outbox(alone));
      expect(got.filter((e) => e["as_of"] === "2026-01-01")).toEqual(later);
    } finally {
      await alone.close();
      await between.close();
    }
  });
});
