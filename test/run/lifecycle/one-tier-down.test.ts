import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { explain } from "../../../src/insight/explain.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { completedOrders, memoryStore, policyFile, seed } from "../support.js";

/**
 * `downgrade_to: one tier down`, hand-checked on both engines. spend(1 months)
 * (the month before each run); Gold ≥ 500 kept ≥ 400, Silver ≥ 200 kept ≥ 150,
 * Bronze ≥ 50, Member. Monthly runs 2026-01-01 … 2026-05-01, one order on the
 * 15th of the month before each run:
 *   T 600, 10, 10, 10, 10 — three tiers below Gold at run 2
 *   V 600, 100, 600, 100, 100 — two below (Bronze), back up, two below again
 *   U 600, 300, 300, 300, 300 — one below (Silver): the same either way
 */
const TIERS = `    tiers:
      - { name: Gold, min: 500, keep: 400 }
      - { name: Silver, min: 200, keep: 150 }
      - { name: Bronze, min: 50 }
      - { name: Member }`;
const scheme = (name: string, lifecycle: string) =>
  `  - name: ${name}\n    kind: thresholds\n    metric: spend(1 months)\n${TIERS}\n    lifecycle: ${lifecycle}\n`;
const POLICY = `version: 1
currency: EUR
schemes:
${scheme("Whole", "{ downgrade: immediate }")}${scheme("Steps", "{ downgrade_to: one tier down }")}${scheme(
  "Steps with grace",
  "{ downgrade_to: one tier down, grace_days: 45 }",
)}`;
const RUNS = ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"];
const VALUES: Record<string, number[]> = {
  T: [600, 10, 10, 10, 10],
  U: [600, 300, 300, 300, 300],
  V: [600, 100, 600, 100, 100],
};
const EXPECTED: Record<string, Record<string, string>> = {
  // Straight to the tier whose retention bound holds (today's behaviour).
  Whole: { T: "G M M M M", U: "G S S S S", V: "G B G B B" },
  // One tier per evaluation.
  Steps: { T: "G S B M M", U: "G S S S S", V: "G S G S B" },
  // One tier, each after 45 days' grace from the first evaluation below it.
  "Steps with grace": { T: "G G G S S", U: "G G G S S", V: "G G G G G" },
};

type Row = {
  scheme: string;
  entity_id: string;
  tier: string;
  life_state: string | null;
  pending_tier: string | null;
  due_on: string | null;
};

describe("lifecycle: downgrade one tier at a time", () => {
  let engine: Engine;
  const runIds: number[] = [];
  const rows = new Map<string, Row>();
  beforeAll(async () => {
    engine = await memoryStore();
    const orders = Object.entries(VALUES).flatMap(([id, values]) =>
      completedOrders(
        id,
        values.map((v, k) => {
          const [y, m] = (RUNS[k] as string).split("-").map(Number) as [number, number];
          const before = m === 1 ? `${y - 1}-12-15` : `${y}-${String(m - 1).padStart(2, "0")}-15`;
          return [`${before} 12:00:00`, v] as const;
        }),
      ),
    );
    await seed(engine, { customers: Object.keys(VALUES).map((customer_id) => ({ customer_id })), orders });
    const policy = await loadPolicy({ file: await policyFile(POLICY) });
    for (const asOf of RUNS) runIds.push((await run(engine, policy, { asOf })).runId);
    const read = await engine.query(
      rawRows<Row & { run_id: unknown }>(
        sql`SELECT run_id, scheme, entity_id, tier, life_state, pending_tier, CAST(due_on AS VARCHAR) AS due_on FROM ${ident("tw_assignments")}`,
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
    it(`${name}: every customer's tier at every run`, () => {
      for (const [id, tiers] of Object.entries(customers)) {
        const got = runIds.map((_, k) => at(k, name, id).tier.charAt(0)).join(" ");
        expect(`${id}: ${got}`).toBe(`${id}: ${tiers}`);
      }
    });
  }

  it("a pending downgrade names the tier one below, not the tier the value gives", () => {
    // T at run 2 (2026-02-01): 10 is Member's value; the first step is Silver, due 45 days on.
    expect(at(1, "Steps with grace", "T")).toMatchObject({
      tier: "Gold",
      life_state: "downgrade-pending",
      pending_tier: "Silver",
      due_on: "2026-03-18",
    });
    // At run 5 the grace starts again below Silver: Bronze next, 45 days after 2026-05-01.
    expect(at(4, "Steps with grace", "T")).toMatchObject({
      tier: "Silver",
      life_state: "downgrade-pending",
      pending_tier: "Bronze",
      due_on: "2026-06-15",
    });
    expect(at(2, "Steps", "T")).toMatchObject({ tier: "Bronze", life_state: "downgraded" });
  });

  it("explain tells the one-tier step", async () => {
    const e = await explain(engine, "T", { runId: runIds[1] as number, scheme: "Steps with grace" });
    expect(e.schemes[0]?.lifecycle?.text).toContain("Silver");
    expect(e.schemes[0]?.lifecycle?.text).toContain("2026-03-18");
  });
});
