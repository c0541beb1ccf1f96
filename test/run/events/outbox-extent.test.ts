import { describe, expect, it } from "vitest";
import { noEventsLine, outboxExtent } from "../../../src/delivery/events.js";
import { seedHistory } from "../history/support.js";
import { completedOrders, grade, memoryStore, seed } from "../support.js";

/** How far the outbox goes, on both engines: no runs, one run (no events yet), the history's runs 1–3. */
describe("outboxExtent and the line for an empty list", () => {
  it("finds the run of the last event and the latest run", async () => {
    const engine = await memoryStore();
    try {
      expect(await outboxExtent(engine)).toEqual({ lastEventRun: null, latestRun: null });
      await seed(engine, { customers: [{ customer_id: "A" }], orders: completedOrders("A", [["2025-03-01", 100]]) });
      await grade(engine, { presets: ["value-grades"] }, "2025-07-01");
      expect(await outboxExtent(engine)).toEqual({ lastEventRun: null, latestRun: 1 });
    } finally {
      await engine.close();
    }
    const history = await memoryStore();
    try {
      await seedHistory(history);
      await grade(history, { presets: ["value-grades"] }, "2026-01-01");
      // Run 4 repeats run 3: no tier changed.
      const extent = await outboxExtent(history);
      expect(extent).toEqual({ lastEventRun: 3, latestRun: 4 });
      expect(noEventsLine(3, extent)).toBe("no events after run 3 (the last event is of run 3; the latest run is 4)");
    } finally {
      await history.close();
    }
  });

  it("says why a list is empty", () => {
    expect(noEventsLine(undefined, { lastEventRun: null, latestRun: null })).toBe(
      "no events: the store has no runs yet",
    );
    expect(noEventsLine(undefined, { lastEventRun: null, latestRun: 2 })).toBe(
      "no events: the outbox is empty (tier changes are recorded from a scheme's second run on; the latest run is 2)",
    );
  });
});
