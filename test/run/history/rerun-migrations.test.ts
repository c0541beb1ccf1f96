import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { migrations } from "../../../src/insight/migrations.js";
import { completedOrders, grade, memoryStore, seed } from "../support.js";

/** Two runs on the same as-of (e.g. `demo`, then `run --preset all` the same day): a rerun is not a step in time. */
describe("migrations after a rerun on the same as-of", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, {
      customers: [{ customer_id: "A" }],
      orders: completedOrders("A", [["2025-03-01 12:00:00", 48200]]),
    });
    await grade(engine, { presets: ["value-grades"] }, "2026-01-01");
    await grade(engine, { presets: ["value-grades"] }, "2026-01-01");
  });
  afterAll(async () => {
    await engine.close();
  });

  it("refuses by default and says how to compare with the rerun or grade an earlier date", async () => {
    const error = await migrations(engine, { scheme: "value-grades" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NO_EARLIER_RUN" });
    expect((error as { oneLine(): string }).oneLine()).toBe(
      "NO_EARLIER_RUN: scheme value-grades has no run before run 2 to compare with " +
        "(run 1 has the same as-of 2026-01-01, a rerun rather than an earlier date: compare with it by --from 1, " +
        "or grade an earlier date with tierwise backfill)",
    );
  });

  it("compares with the rerun when asked by --from", async () => {
    const m = await migrations(engine, { scheme: "value-grades", from: 1 });
    expect([m.from.runId, m.to.runId, m.movers.length]).toEqual([1, 2, 0]);
  });
});
