import { describe, expect, it } from "vitest";
import { TierwiseError, UsageError } from "../../src/errors/index.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { backfill, backfillDates } from "../../src/run/backfill.js";
import { run } from "../../src/run/run.js";
import { ident, sql } from "../../src/sql/fragment.js";
import { assignments, completedOrders, memoryStore, seed } from "./support.js";

/** Three customers whose 12-month spend moves across the value-grades thresholds during 2025. */
const FIXTURE = {
  customers: [
    { customer_id: "C1", name: "Ana", kind: "b2c" },
    { customer_id: "C2", name: "Bea", kind: "b2b" },
    { customer_id: "C3", name: "Cy", kind: "b2c", created_at: "2025-04-15 00:00:00" },
  ],
  orders: [
    ...completedOrders("C1", [
      ["2024-03-10", 60000],
      ["2025-02-10", 50000],
    ]),
    ...completedOrders("C2", [
      ["2025-01-05", 20000],
      ["2025-03-20", 30000],
      ["2025-05-02", 60000],
    ]),
    ...completedOrders("C3", [["2025-04-20", 25000]]),
  ],
};

describe("backfillDates", () => {
  it("steps months from --from, clamped to month ends", () => {
    expect(backfillDates("2025-01-31", "2025-06-30", "month")).toEqual([
      "2025-01-31",
      "2025-02-28",
      "2025-03-31",
      "2025-04-30",
      "2025-05-31",
      "2025-06-30",
    ]);
    expect(backfillDates("2024-01-31", "2024-03-30", "month")).toEqual(["2024-01-31", "2024-02-29"]);
  });

  it("steps quarters and weeks, never past --to", () => {
    expect(backfillDates("2024-11-30", "2025-12-31", "quarter")).toEqual([
      "2024-11-30",
      "2025-02-28",
      "2025-05-30",
      "2025-08-30",
      "2025-11-30",
    ]);
    expect(backfillDates("2025-12-22", "2026-01-11", "week")).toEqual(["2025-12-22", "2025-12-29", "2026-01-05"]);
    expect(backfillDates("2026-01-01", "2026-01-01", "month")).toEqual(["2026-01-01"]);
  });

  it("rejects bad options with usage errors", () => {
    expect(() => backfillDates("2025-06-01", "2025-01-01", "month")).toThrow(UsageError);
    expect(() => backfillDates("2025-06-01", "2025-01-01", "month")).toThrow(/after --to/);
    expect(() => backfillDates("2025-01-01", "2025-06-01", "day")).toThrow(/week, month or quarter/);
    expect(() => backfillDates("2015-01-01", "2025-12-31", "week")).toThrow(/more than 520/);
    expect(() => backfillDates("2025-02-30", "2025-06-01", "month")).toThrow(UsageError);
    expect(backfillDates("2016-01-04", "2025-12-21", "week")).toHaveLength(520);
  });
});

describe("backfill", () => {
  it("writes one snapshot per month, oldest first, equal to separate runs at those dates", async () => {
    const engine = await memoryStore();
    try {
      await seed(engine, FIXTURE);
      const policy = await loadPolicy({ presets: ["value-grades", "rfm"] });
      const seen: string[] = [];
      const result = await backfill(engine, policy, {
        from: "2025-01-31",
        to: "2025-06-30",
        every: "month",
        onProgress: (p) => {
          if (seen.at(-1) !== p.asOf) seen.push(p.asOf);
        },
      });
      const dates = ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30"];
      expect(result.runs.map((r) => r.asOf)).toEqual(dates);
      expect(result.runs.map((r) => r.runId)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(seen).toEqual(dates);
      for (const r of result.runs) {
        const separate = await run(engine, policy, { asOf: r.asOf });
        expect(await assignments(engine, r.runId)).toEqual(await assignments(engine, separate.runId));
        expect(r.schemes).toEqual(separate.schemes);
      }
      const tiersAt = async (runId: number) =>
        Object.fromEntries(
          [...((await assignments(engine, runId)).get("value-grades") ?? [])].map(([id, g]) => [id, g.tier]),
        );
      expect(await tiersAt(1)).toEqual({ C1: "Gold", C2: "Silver" }); // C3 not yet a customer
      expect(await tiersAt(2)).toEqual({ C1: "VIP", C2: "Silver" });
      expect(await tiersAt(3)).toEqual({ C1: "Gold", C2: "Gold" }); // C1's 2024-03-10 order left the window
      expect(await tiersAt(6)).toEqual({ C1: "Gold", C2: "VIP", C3: "Silver" });
    } finally {
      await engine.close();
    }
  });

  it("keeps the snapshots written before a failure and names the date that failed", async () => {
    const engine = await memoryStore();
    try {
      await seed(engine, FIXTURE);
      const policy = await loadPolicy({ presets: ["value-grades"] });
      const error = await backfill(engine, policy, {
        from: "2025-01-31",
        to: "2025-06-30",
        every: "month",
        failAt: { asOf: "2025-03-31", step: "writing snapshot" },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TierwiseError);
      expect((error as TierwiseError).code).toBe("BACKFILL_FAILED");
      expect((error as TierwiseError).message).toMatch(/stopped at as-of 2025-03-31.*2 of 6 snapshots were written/);
      const runs = await engine.query<{ as_of: string }>(
        sql`SELECT CAST(as_of AS VARCHAR) AS as_of FROM ${ident("tw_runs")} ORDER BY run_id`,
      );
      expect(runs.map((r) => String(r.as_of).slice(0, 10))).toEqual(["2025-01-31", "2025-02-28"]);
    } finally {
      await engine.close();
    }
  });
});
