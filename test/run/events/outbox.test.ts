import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { events } from "../../../src/delivery/events.js";
import type { Engine } from "../../../src/engine/engine.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { completedOrders, insertRows, memoryStore, policyFile, seed } from "../support.js";

/**
 * value-grades (VIP >= 100,000; Gold >= 50,000; Silver >= 20,000; Regular > 0;
 * Potential: nothing) over 12 months before as-of. Run 1 as of 2026-01-01,
 * then orders are added, a customer arrives and one is removed; run 2 as of
 * 2026-02-01 (the 2025 orders are all still inside its window).
 */
describe("tier-change outbox", () => {
  let engine: Engine;
  beforeEach(async () => {
    engine = await memoryStore();
    await seed(engine, {
      customers: ["A", "B", "C", "D", "F"].map((customer_id) => ({ customer_id })),
      orders: [
        ...completedOrders("A", [["2025-06-01 12:00:00", 60000]]), // Gold
        ...completedOrders("B", [["2025-06-01 12:00:00", 20000]]), // Silver
        ...completedOrders("C", [["2025-06-01 12:00:00", 500]]), // Regular
        // D, F: nothing → Potential
      ],
    });
  });
  afterEach(async () => {
    await engine.close();
  });

  it("records entered, left and moved entities of the second run, nothing for unchanged ones", async () => {
    const policy = await loadPolicy({ presets: ["value-grades"] });
    const first = await run(engine, policy, { asOf: "2026-01-01" });
    const scheme = first.schemes[0]?.scheme ?? "";
    expect(await events(engine)).toEqual([]); // a scheme's first run is the baseline

    await insertRows(engine, "customers", [{ customer_id: "E" }]);
    await insertRows(engine, "orders", [
      ...completedOrders("A", [["2026-01-15 12:00:00", 50000]], "A-x"), // 110,000 → VIP
      ...completedOrders("C", [["2026-01-15 12:00:00", 100]], "C-x"), // 600 → still Regular
      ...completedOrders("D", [["2026-01-20 12:00:00", 25000]], "D-x"), // → Silver
      ...completedOrders("E", [["2026-01-20 12:00:00", 100]], "E-x"), // new → Regular
    ]);
    await engine.exec(sql`DELETE FROM ${ident("customers")} WHERE ${ident("customer_id")} = ${"F"}`); // leaves
    const second = await run(engine, policy, { asOf: "2026-02-01" });

    const got = await events(engine);
    expect(got.map((e) => [e.entityId, e.fromTier, e.toTier, e.reason])).toEqual([
      ["A", "Gold", "VIP", "thresholds"],
      ["D", "Potential", "Silver", "thresholds"],
      ["E", null, "Regular", "thresholds"],
      ["F", "Potential", null, "left scope"],
    ]);
    for (const [i, e] of got.entries()) {
      expect(e).toMatchObject({
        eventId: i + 1,
        runId: second.runId,
        asOf: "2026-02-01",
        scheme,
        kind: "tier_change",
        idempotencyKey: expect.stringMatching(/^evt_[0-9a-f]{64}$/),
      });
    }
    expect(await events(engine, { since: second.runId })).toEqual([]);
    expect(await events(engine, { since: first.runId })).toHaveLength(4);

    // A third run on the same data changes nothing; event ids continue after a later change.
    await run(engine, policy, { asOf: "2026-02-01" });
    expect(await events(engine)).toHaveLength(4);
    await insertRows(engine, "orders", completedOrders("B", [["2026-01-25 12:00:00", 40000]], "B-x")); // 60,000 → Gold
    const fourth = await run(engine, policy, { asOf: "2026-02-01" });
    const late = await events(engine, { since: fourth.runId - 1 });
    expect(late.map((e) => [e.eventId, e.entityId, e.fromTier, e.toTier])).toEqual([[5, "B", "Silver", "Gold"]]);
  });

  it("compares with the latest earlier run holding the scheme, at its own scheme number, by tier name", async () => {
    await run(engine, await loadPolicy({ presets: ["value-grades"] }), { asOf: "2026-01-01" });
    await run(engine, await loadPolicy({ presets: ["rfm"] }), { asOf: "2026-01-01" }); // no value-grades
    // value-grades again, second in its run, with Gold renamed and Silver's threshold raised.
    const renamed = await policyFile(`version: 1
currency: EUR
scale: 1
time_zone: UTC
schemes:
  - name: buyers
    kind: thresholds
    metric: orders(12 months)
    tiers: [{ name: Buyer, min: 1 }, { name: None }]
  - name: value-grades
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: VIP, min: 100000 }
      - { name: Golden, min: 50000 }
      - { name: Silver, min: 30000 }
      - { name: Regular, above: 0 }
      - { name: Potential }
`);
    const third = await run(engine, await loadPolicy({ file: renamed }), { asOf: "2026-01-01" });
    const got = await events(engine);
    // buyers is new (a baseline); value-grades against run 1: A's tier renamed, B below the raised threshold.
    expect(got.map((e) => [e.runId, e.scheme, e.entityId, e.fromTier, e.toTier])).toEqual([
      [third.runId, "value-grades", "A", "Gold", "Golden"],
      [third.runId, "value-grades", "B", "Silver", "Regular"],
    ]);
  });

  it("writes no events when the run fails before commit", async () => {
    const policy = await loadPolicy({ presets: ["value-grades"] });
    await run(engine, policy, { asOf: "2026-01-01" });
    await insertRows(engine, "orders", completedOrders("D", [["2026-01-20 12:00:00", 25000]], "D-x"));
    await expect(run(engine, policy, { asOf: "2026-02-01", failAt: "before commit" })).rejects.toThrow();
    expect(await events(engine)).toEqual([]);
  });
});
