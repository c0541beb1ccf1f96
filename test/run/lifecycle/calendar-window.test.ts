import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { completedOrders, grade, memoryStore, policyFile, seed } from "../support.js";

/**
 * Calendar windows on the window edges (DuckDB, and PostgreSQL in the postgres project):
 * orders of 10 on 2025-12-31 23:30, 100 on 2026-01-01 00:00, 1,000 on
 * 2026-03-31 and 10,000 on 2026-04-01, in Europe/Budapest (UTC+1/+2).
 */
describe("calendar windows", () => {
  let engine: Engine;
  let file = "";
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, {
      customers: [{ customer_id: "A" }],
      orders: completedOrders("A", [
        ["2025-12-31 22:30:00", 10], // 23:30 local on 2025-12-31
        ["2025-12-31 23:00:00", 100], // 00:00 local on 2026-01-01
        ["2026-03-31 12:00:00", 1000],
        ["2026-04-01 12:00:00", 10000],
      ]),
    });
    file = await policyFile(`version: 1
time_zone: Europe/Budapest
schemes:
  - name: year
    kind: thresholds
    metric: spend(calendar_year)
    tiers: [{ name: Any, min: 0 }]
  - name: quarter
    kind: thresholds
    metric: spend(calendar_quarter)
    tiers: [{ name: Any, min: 0 }]
  - name: month
    kind: thresholds
    metric: spend(calendar_month)
    tiers: [{ name: Any, min: 0 }]
`);
  });
  afterAll(async () => {
    await engine.close();
  });

  const scores = async (asOf: string) => {
    const { bySchemes } = await grade(engine, { file }, asOf);
    return ["year", "quarter", "month"].map((s) => bySchemes.get(s)?.get("A")?.score);
  };

  it("counts from the start of the period holding the day before as-of", async () => {
    // On the period's first day: the whole period just ended.
    expect(await scores("2026-01-01")).toEqual([10, 10, 10]);
    expect(await scores("2026-01-02")).toEqual([100, 100, 100]);
    expect(await scores("2026-04-01")).toEqual([1100, 1100, 1000]);
    expect(await scores("2026-04-02")).toEqual([11100, 10000, 10000]);
    expect(await scores("2027-01-01")).toEqual([11100, 0, 0]);
  });
});
