import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignReps, fillEvenly } from "../../../src/decisions/assign-reps.js";
import type { Engine } from "../../../src/engine/engine.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { completedOrders, grade, memoryStore, policyFile, seed } from "../support.js";
import { customers, valuePolicy } from "./support.js";

/**
 * Playbooks: VIP → senior, Gold → key-account, Silver → standard; Regular and Potential need no rep.
 * R1 senior (2), R2 key-account (2), R3 standard (1), R4 standard (0).
 */
const SPEND: Readonly<Record<string, number>> = {
  C1: 120_000,
  C2: 90_000,
  C3: 60_000,
  C4: 30_000,
  C5: 5_000,
  C6: 25_000,
};
const OWNER: Readonly<Record<string, string>> = { C1: "R2", C2: "R1", C3: "R2", C4: "R3", C5: "R3" };

describe("assign-reps", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, {
      reps: [
        { rep_id: "R1", level: "senior", capacity: 2 },
        { rep_id: "R2", level: "key-account", capacity: 2 },
        { rep_id: "R3", level: "standard", capacity: 1 },
        { rep_id: "R4", level: "standard", capacity: 0 },
      ],
      customers: customers(Object.keys(SPEND), (id) => ({ owner_rep_id: OWNER[id] ?? null })),
      orders: Object.entries(SPEND).flatMap(([id, amount]) => completedOrders(id, [["2025-06-01", amount]])),
    });
    await grade(engine, { file: await policyFile(valuePolicy(100000)) });
  });
  afterAll(async () => engine.close());

  const assignments = async () =>
    Number(
      (await engine.query(rawRows<{ n: unknown }>(sql`SELECT count(*) AS n FROM ${ident("tw_rep_assignments")}`)))[0]
        ?.n,
    );

  it("keeps eligible owners with room, moves the rest with reasons, lists who cannot get a rep", async () => {
    const a = await assignReps(engine, { dryRun: true });
    expect(a.scheme).toBe("value");
    expect(a.needs).toEqual([
      { tier: "VIP", level: "senior" },
      { tier: "Gold", level: "key-account" },
      { tier: "Silver", level: "standard" },
    ]);
    // C2 (Gold) stays with senior R1, C3 (Gold) with R2. C5 (Regular, no rep needed) keeps R3 and fills it.
    expect(a.kept).toBe(2);
    expect(a.changes).toEqual([
      {
        customerId: "C1",
        tier: "VIP",
        from: "R2",
        to: "R1",
        reason: "R2 is key-account, VIP needs senior; R1 (senior) had the lowest load",
      },
      {
        customerId: "C4",
        tier: "Silver",
        from: "R3",
        to: "R2",
        reason: "R3 is full (capacity 1); R2 (key-account) had the lowest load",
      },
    ]);
    // C6 (Silver): R3 is full, R4 has no capacity, R2 and R1 are full after the moves: nobody is overfilled.
    expect(a.unassignable).toEqual([
      {
        customerId: "C6",
        tier: "Silver",
        from: null,
        to: null,
        reason: "had no rep; no standard rep or above has room",
      },
    ]);
    expect(a.reps.map((r) => [r.repId, r.load, r.capacity])).toEqual([
      ["R1", 2, 2],
      ["R2", 2, 2],
      ["R3", 1, 1],
      ["R4", 0, 0],
    ]);
    expect(await assignments()).toBe(0);
  });

  it("counts per level needed and per rep, and lists at most `limit` changes", async () => {
    const a = await assignReps(engine, { dryRun: true, limit: 1 });
    // In scope: C1 (VIP, senior), C2 and C3 (Gold, key-account), C4 and C6 (Silver, standard).
    expect([a.considered, a.kept, a.changed, a.unassignableCount]).toEqual([5, 2, 2, 1]);
    expect(a.levels).toEqual([
      { level: "senior", customers: 1, kept: 0, changed: 1, unassignable: 0 },
      { level: "key-account", customers: 2, kept: 2, changed: 0, unassignable: 0 },
      { level: "standard", customers: 2, kept: 0, changed: 1, unassignable: 1 },
    ]);
    // R1 gains C1 (from R2), R2 gains C4 (from R3); C6 had no rep.
    expect(a.reps.map((r) => [r.repId, r.gained, r.lost])).toEqual([
      ["R1", 1, 0],
      ["R2", 1, 1],
      ["R3", 0, 1],
      ["R4", 0, 0],
    ]);
    expect(a.changes.map((c) => c.customerId)).toEqual(["C1"]);
    expect(a.unassignable.map((c) => c.customerId)).toEqual(["C6"]);
    const none = await assignReps(engine, { dryRun: true, limit: 0 });
    expect([none.changes, none.unassignable, none.changed]).toEqual([[], [], 2]);
  });

  it("records the changes; the next assignment keeps everyone where they are", async () => {
    const first = await assignReps(engine, { scheme: "value" });
    expect(first.batchId).toBe(1);
    expect(await assignments()).toBe(2);
    const again = await assignReps(engine, { scheme: "value" });
    expect([again.kept, again.changes.length, again.unassignable.map((c) => c.customerId)]).toEqual([4, 0, ["C6"]]);
    expect(again.batchId).toBeUndefined();
    expect(await assignments()).toBe(2);
  });
});

describe("fillEvenly", () => {
  it("fills the least loaded reps first, within capacity", () => {
    const reps = [
      { repId: "A", levelNo: 1, capacity: null, load: 0 },
      { repId: "B", levelNo: 1, capacity: null, load: 2 },
      { repId: "C", levelNo: 1, capacity: 1, load: 0 },
    ];
    // A and C take one each (loads 1, 2, 1), A one more (2, 2, C full), then A before B by id: loads 3, 2, 1.
    expect(Object.fromEntries(fillEvenly(reps, 4))).toEqual({ A: 3, B: 0, C: 1 });
    expect(Object.fromEntries(fillEvenly(reps, 1))).toEqual({ A: 1, B: 0, C: 0 });
    expect(Object.fromEntries(fillEvenly([{ repId: "A", levelNo: 1, capacity: 3, load: 1 }], 5))).toEqual({ A: 2 });
  });
});
