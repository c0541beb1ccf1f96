import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { explain } from "../../../src/insight/explain.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { completedOrders, memoryStore, policyFile, seed } from "../support.js";

/**
 * `anchor: anniversary`, hand-checked on both engines against the same
 * scheme on calendar years. spend(12 months); Gold ≥ 1000 kept ≥ 800,
 * Silver ≥ 300, Member; `upgrade: next period`, `downgrade: period end`,
 * `period: year`. Runs 2025-03-20 (both enter then: anniversary 03-20),
 * 2025-12-01, then the day before, of and after the anniversary.
 *   X 1000 on 2025-03-10, 400 on 2025-06-01, −700 on 2025-11-15, 600 on 2026-01-15:
 *     Gold at run 1; 700 at run 2 (below 800): downgrade to Silver pending —
 *     calendar due 2026-01-01, anniversary due 2026-03-20; 300 on 03-19 and 03-20.
 *   Y 400 on 2025-03-10, 700 on 2025-11-01, 600 on 2026-01-15:
 *     Silver at run 1; 1100 at run 2 qualifies for Gold: upgrade pending —
 *     calendar at the first run of 2026, anniversary at the first run on or after 2026-03-20.
 */
const scheme = (name: string, anchor: string) => `  - name: ${name}
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: Gold, min: 1000, keep: 800 }
      - { name: Silver, min: 300 }
      - { name: Member }
    lifecycle: { period: year, upgrade: next period, downgrade: period end${anchor} }
`;
const POLICY = `version: 1
currency: EUR
schemes:
${scheme("Calendar", "")}${scheme("Anniversary", ", anchor: anniversary")}`;
const RUNS = ["2025-03-20", "2025-12-01", "2026-03-19", "2026-03-20", "2026-03-21"];
const EXPECTED: Record<string, Record<string, string>> = {
  Calendar: { X: "G G S S S", Y: "S S G G G" },
  Anniversary: { X: "G G G S S", Y: "S S S G G" },
};

type Row = {
  scheme: string;
  entity_id: string;
  tier: string;
  life_state: string | null;
  pending_tier: string | null;
  due_on: string | null;
  entered_on: string | null;
};

describe("lifecycle: periods anchored to each member's tier-entry date", () => {
  let engine: Engine;
  const runIds: number[] = [];
  const rows = new Map<string, Row>();
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, {
      customers: [{ customer_id: "X" }, { customer_id: "Y" }],
      orders: [
        ...completedOrders("X", [
          ["2025-03-10 12:00:00", 1000],
          ["2025-06-01 12:00:00", 400],
          ["2025-11-15 12:00:00", -700],
          ["2026-01-15 12:00:00", 600],
        ]),
        ...completedOrders("Y", [
          ["2025-03-10 12:00:00", 400],
          ["2025-11-01 12:00:00", 700],
          ["2026-01-15 12:00:00", 600],
        ]),
      ],
    });
    const policy = await loadPolicy({ file: await policyFile(POLICY) });
    for (const asOf of RUNS) runIds.push((await run(engine, policy, { asOf })).runId);
    const read = await engine.query(
      rawRows<Row & { run_id: unknown }>(
        sql`SELECT run_id, scheme, entity_id, tier, life_state, pending_tier, due_on, entered_on FROM ${ident("tw_assignments")}`,
      ),
    );
    for (const r of read) rows.set(`${Number(r.run_id)}|${r.scheme}|${r.entity_id}`, r);
  });
  afterAll(async () => {
    await engine?.close();
  });
  const at = (k: number, s: string, id: string) => {
    const r = rows.get(`${runIds[k]}|${s}|${id}`);
    if (!r) throw new Error(`no row ${k} ${s} ${id}`);
    return r;
  };

  for (const [name, customers] of Object.entries(EXPECTED)) {
    it(`${name}: tiers at 2025-03-20, 2025-12-01, 2026-03-19, -20, -21`, () => {
      for (const [id, tiers] of Object.entries(customers)) {
        const got = runIds.map((_, k) => at(k, name, id).tier.charAt(0)).join(" ");
        expect(`${id}: ${got}`).toBe(`${id}: ${tiers}`);
      }
    });
  }

  it("pending moves are due on the member's anniversary, not the calendar boundary", () => {
    expect(at(1, "Calendar", "X")).toMatchObject({
      life_state: "downgrade-pending",
      pending_tier: "Silver",
      due_on: "2026-01-01",
    });
    expect(at(1, "Anniversary", "X")).toMatchObject({
      life_state: "downgrade-pending",
      pending_tier: "Silver",
      due_on: "2026-03-20",
    });
    // The day before: still pending, still due on the anniversary.
    expect(at(2, "Anniversary", "X")).toMatchObject({
      tier: "Gold",
      life_state: "downgrade-pending",
      due_on: "2026-03-20",
    });
    // The day of: down, the new tier's anniversary counts from today.
    expect(at(3, "Anniversary", "X")).toMatchObject({
      tier: "Silver",
      life_state: "downgraded",
      entered_on: "2026-03-20",
    });
    expect(at(1, "Anniversary", "Y")).toMatchObject({
      tier: "Silver",
      life_state: "upgrade-pending",
      pending_tier: "Gold",
      due_on: "2026-03-20",
    });
    expect(at(2, "Anniversary", "Y")).toMatchObject({
      tier: "Silver",
      life_state: "upgrade-pending",
      due_on: "2026-03-20",
    });
    expect(at(3, "Anniversary", "Y")).toMatchObject({ tier: "Gold", entered_on: "2026-03-20" });
  });

  it("explain says the anniversary", async () => {
    const e = await explain(engine, "X", { runId: runIds[1] as number, scheme: "Anniversary" });
    expect(e.schemes[0]?.lifecycle?.text).toContain("2026-03-20");
  });
});
