import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { history } from "../../../src/insight/history.js";
import { migrations } from "../../../src/insight/migrations.js";
import { memoryStore } from "../support.js";
import { seedHistory } from "./support.js";

/** history and migrations over the known history of ./support.ts (DuckDB, and PostgreSQL in the postgres project). */
describe("history and migrations", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await seedHistory(engine);
  });
  afterAll(async () => {
    await engine.close();
  });

  it("lists every tier change of a customer in as-of order with the rule behind it", async () => {
    const a = await history(engine, "A");
    expect(a.changes.map((c) => [c.asOf, c.runId, c.scheme, c.from, c.to, c.direction, c.ruleId, c.reason])).toEqual([
      ["2025-07-01", 1, "value-grades", null, "Silver", "entered", "thresholds", "entered Silver (rule thresholds)"],
      ["2025-10-01", 2, "value-grades", "Silver", "Gold", "up", "thresholds", "rule thresholds"],
    ]);
    expect(a.changes.map((c) => c.score)).toEqual([48200, 51000]);
  });

  it("shows downgrades, leaving the scope and entering late", async () => {
    const b = await history(engine, "B", { scheme: "value-grades" });
    expect(b.changes.map((c) => [c.runId, c.from, c.to, c.direction])).toEqual([
      [1, null, "Gold", "entered"],
      [2, "Gold", "Potential", "down"],
    ]);
    const e = await history(engine, "E");
    expect(e.changes.map((c) => [c.runId, c.from, c.to, c.direction, c.reason])).toEqual([
      [1, null, "Potential", "entered", "entered Potential (rule thresholds)"],
      [3, "Potential", null, "left", "left scope"],
    ]);
    const g = await history(engine, "G");
    expect(g.changes.map((c) => [c.asOf, c.from, c.to])).toEqual([["2026-01-01", null, "Regular"]]);
    const d = await history(engine, "D");
    expect(d.changes).toHaveLength(1);
  });

  it("refuses an unknown customer or scheme", async () => {
    await expect(history(engine, "NOPE")).rejects.toMatchObject({ code: "UNKNOWN_ENTITY" });
    await expect(history(engine, "A", { scheme: "nope" })).rejects.toMatchObject({ code: "UNKNOWN_SCHEME" });
  });

  it("compares the latest two runs: matrix, totals and movers with the bound they crossed", async () => {
    const m = await migrations(engine, { scheme: "value-grades" });
    expect([m.from, m.to]).toEqual([
      { runId: 2, asOf: "2025-10-01" },
      { runId: 3, asOf: "2026-01-01" },
    ]);
    expect(m.tiers).toEqual(["VIP", "Gold", "Silver", "Regular", "Potential"]);
    expect(m.matrix.map((c) => [c.from, c.to, c.entities, c.revenue])).toEqual(
      [
        ["VIP", "VIP", 1, 150000],
        ["Gold", "Gold", 1, 51000],
        ["Gold", "Silver", 1, 24000],
        ["Silver", "Silver", 0, 0],
        ["Regular", "Silver", 1, 25000],
        ["Regular", "Regular", 1, 5000],
        ["Potential", "Potential", 1, 0],
        ["Potential", null, 1, 0],
        [null, "Regular", 1, 1000],
      ].filter((c) => c[2] !== 0),
    );
    expect(m.totals).toEqual({ upgraded: 1, downgraded: 1, stayed: 4, entered: 1, left: 1 });
    expect(m.movers.map((v) => [v.entityId, v.from, v.to, v.direction, v.revenue, v.reason])).toEqual([
      ["C", "Regular", "Silver", "up", 25000, "spend(12 months) rose from 10,000 to 25,000, over Silver's 20,000"],
      ["H", "Gold", "Silver", "down", 24000, "spend(12 months) fell from 55,000 to 24,000, under Gold's 50,000"],
    ]);
  });

  it("picks runs by id or by as-of date (the latest run of that date or before)", async () => {
    const m = await migrations(engine, { scheme: "value-grades", from: "2025-07-01", to: "2025-12-31" });
    expect([m.from.runId, m.to.runId]).toEqual([1, 2]);
    expect(m.totals).toEqual({ upgraded: 1, downgraded: 1, stayed: 4, entered: 1, left: 0 });
    expect(m.movers.map((v) => [v.entityId, v.direction, v.reason])).toEqual([
      ["A", "up", "spend(12 months) rose from 48,200 to 51,000, over Gold's 50,000"],
      ["B", "down", "spend(12 months) fell from 60,000 to 0, under Gold's 50,000"],
    ]);
    const byId = await migrations(engine, { scheme: "value-grades", to: 2, movers: 1 });
    expect([byId.from.runId, byId.to.runId, byId.movers.length]).toEqual([1, 2, 1]);
  });

  it("refuses an unknown scheme, run or date", async () => {
    await expect(migrations(engine, { scheme: "nope" })).rejects.toMatchObject({ code: "UNKNOWN_SCHEME" });
    await expect(migrations(engine, { scheme: "value-grades", from: 99 })).rejects.toMatchObject({
      code: "RUN_NOT_FOUND",
    });
    await expect(migrations(engine, { scheme: "value-grades", to: "2025-01-01" })).rejects.toMatchObject({
      code: "NO_RUN_AT",
    });
    await expect(migrations(engine, { scheme: "value-grades", to: 1 })).rejects.toMatchObject({
      code: "NO_EARLIER_RUN",
    });
  });
});
