import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { explain } from "../../../src/insight/explain.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { removeOverride } from "../../../src/run/overrides.js";
import { run } from "../../../src/run/run.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { memoryStore, policyFile } from "../support.js";
import { POLICY, RUNS, seedLifecycle } from "./support.js";

/** Hand-checked lifecycle rules: see ./support.ts for the data. */
/** Tiers per scheme and customer at the five runs (G, S, M), worked out by hand from the rules in docs/policy.md. */
const EXPECTED: Record<string, Record<string, string>> = {
  // Immediate moves; a holder keeps the tier while at or above its retention bound.
  Retention: { A: "G G S M M", B: "S S G G M", C: "G M M M M", D: "G M S M M", E: "S G G G G", F: "G G G G G" },
  // A downgrade waits 45 days from the first evaluation below.
  // (B has a ceiling at Silver and E a fixed Member here: underneath, B is S S G G G and E S G G G G.)
  Grace: { A: "G G G G M", B: "S S S S S", C: "G G G M M", D: "G G G G G", E: "M M M M M", F: "G G G M M" },
  // Down at the second evaluation in a row below.
  "After two": { A: "G G G M M", B: "S S G G G", C: "G G M M M", D: "G G G G M", E: "S G G G G", F: "G G M M M" },
  // Quarters: moves wait for the first run after a boundary (2026-04-01).
  Period: { A: "G G G M M", B: "S S S G G", C: "G G G M M", D: "G G G G G", E: "S S S G G", F: "G G G M M" },
  // A tier is held 60 days at least.
  Stay: { A: "G G G M M", B: "S S G G M", C: "G G G M M", D: "G G G M M", E: "S G G G G", F: "G G G M M" },
  Never: { A: "G G G G G", B: "S S G G G", C: "G G G G G", D: "G G G G G", E: "S G G G G", F: "G G G G G" },
};

type Row = {
  scheme: string;
  entity_id: string;
  tier: string;
  rule_id: string;
  natural_tier: string | null;
  qualified_tier: string | null;
  life_state: string | null;
  pending_tier: string | null;
  due_on: string | null;
  entered_on: string | null;
  below_count: unknown;
};

describe("lifecycle rules", () => {
  let engine: Engine;
  const runIds: number[] = [];
  const rows = new Map<string, Row>();
  const at = (run: number, scheme: string, id: string) => {
    const r = rows.get(`${run}|${scheme}|${id}`);
    if (!r) throw new Error(`no row for run ${run} ${scheme} ${id}`);
    return r;
  };

  beforeAll(async () => {
    engine = await memoryStore();
    runIds.push(...(await seedLifecycle(engine)));
    const read = await engine.query(
      rawRows<Row>(sql`SELECT run_id, scheme, entity_id, tier, rule_id, natural_tier, qualified_tier, life_state, pending_tier, due_on, entered_on,
      below_count FROM ${ident("tw_assignments")}`),
    );
    for (const r of read as (Row & { run_id: unknown })[])
      rows.set(`${Number(r.run_id)}|${r.scheme}|${r.entity_id}`, r);
  });
  afterAll(async () => {
    await engine.close();
  });

  for (const [name, customers] of Object.entries(EXPECTED)) {
    it(`${name}: every customer's tier at every run`, () => {
      for (const [id, tiers] of Object.entries(customers)) {
        const got = runIds.map((r) => at(r, name, id).tier.charAt(0)).join(" ");
        expect(`${id}: ${got}`).toBe(`${id}: ${tiers}`);
      }
    });
  }

  it("keeps a tier by its retention bound at exactly the bound, and says so", async () => {
    const a = at(runIds[1] as number, "Retention", "A");
    expect([a.tier, a.qualified_tier, a.life_state, a.rule_id, a.entered_on]).toEqual([
      "Gold",
      "Silver",
      "retained",
      "lifecycle",
      "2026-01-01",
    ]);
    const e = await explain(engine, "A", { runId: runIds[1] as number, scheme: "Retention" });
    expect(e.schemes[0]?.lifecycle?.text).toBe(
      "kept Gold by the retention threshold: spend(1 month) = 400 is under the 500 to enter but at least the 400 to keep it (held since 2026-01-01)",
    );
    expect(e.schemes[0]?.down).toBe("drops to Silver below 400 (its retention threshold)");
    // One cent under the bound: down to the tier whose retention bound holds, at once.
    const a3 = at(runIds[2] as number, "Retention", "A");
    expect([a3.tier, a3.life_state, a3.entered_on, a3.rule_id]).toEqual([
      "Silver",
      "downgraded",
      "2026-03-01",
      "thresholds",
    ]);
  });

  it("a new customer enters by the entry bound, not the retention bound", () => {
    const b = at(runIds[0] as number, "Retention", "B");
    expect([b.tier, b.qualified_tier, b.life_state]).toEqual(["Silver", "Silver", null]);
  });

  it("grace: the downgrade is pending with its due date, then happens", async () => {
    const c2 = at(runIds[1] as number, "Grace", "C");
    expect([c2.tier, c2.life_state, c2.pending_tier, c2.due_on, Number(c2.below_count)]).toEqual([
      "Gold",
      "downgrade-pending",
      "Member",
      "2026-03-18",
      1,
    ]);
    const e = await explain(engine, "C", { runId: runIds[1] as number, scheme: "Grace" });
    expect(e.schemes[0]?.lifecycle?.text).toBe(
      "downgrade to Member due on 2026-03-18 unless spend(1 month) reaches 400 (held since 2026-01-01)",
    );
    expect(at(runIds[3] as number, "Grace", "C").life_state).toBe("downgraded");
    // Recovering above the retention bound resets the count; falling again starts a new grace period.
    expect(at(runIds[2] as number, "Grace", "D").life_state).toBe("retained");
    const d5 = at(runIds[4] as number, "Grace", "D");
    expect([d5.tier, d5.life_state, d5.due_on, Number(d5.below_count)]).toEqual([
      "Gold",
      "downgrade-pending",
      "2026-05-16",
      2,
    ]);
  });

  it("after N evaluations: counts evaluations below in a row", async () => {
    const a3 = at(runIds[2] as number, "After two", "A");
    expect([a3.tier, a3.life_state, a3.pending_tier, a3.due_on, Number(a3.below_count)]).toEqual([
      "Gold",
      "downgrade-pending",
      "Silver",
      null,
      1,
    ]);
    const e = await explain(engine, "A", { runId: runIds[2] as number, scheme: "After two" });
    expect(e.schemes[0]?.lifecycle?.text).toBe(
      "downgrade to Silver after 1 more evaluation below unless spend(1 month) reaches 400 (held since 2026-01-01)",
    );
  });

  it("period: upgrades and downgrades wait for the next quarter", async () => {
    const e2 = at(runIds[1] as number, "Period", "E");
    expect([e2.tier, e2.qualified_tier, e2.life_state, e2.pending_tier, e2.due_on]).toEqual([
      "Silver",
      "Gold",
      "upgrade-pending",
      "Gold",
      "2026-04-01",
    ]);
    const x = await explain(engine, "E", { runId: runIds[1] as number, scheme: "Period" });
    expect(x.schemes[0]?.lifecycle?.text).toBe(
      "upgrade to Gold due on 2026-04-01, the start of the next period, if still qualified then",
    );
    expect(at(runIds[3] as number, "Period", "E").entered_on).toBe("2026-04-01");
    const a3 = at(runIds[2] as number, "Period", "A");
    expect([a3.life_state, a3.due_on]).toEqual(["downgrade-pending", "2026-04-01"]);
    const b5 = at(runIds[4] as number, "Period", "B");
    expect([b5.tier, b5.life_state, b5.due_on]).toEqual(["Gold", "downgrade-pending", "2026-07-01"]);
  });

  it("minimum stay: no downgrade in the first 60 days of a tier", () => {
    const c2 = at(runIds[1] as number, "Stay", "C");
    expect([c2.tier, c2.life_state, c2.due_on]).toEqual(["Gold", "downgrade-pending", "2026-03-02"]);
    expect(at(runIds[2] as number, "Stay", "C").due_on).toBe("2026-03-02");
  });

  it("never: the tier is kept and the state says what the rules give", async () => {
    const c = at(runIds[4] as number, "Never", "C");
    expect([c.tier, c.qualified_tier, c.life_state, c.pending_tier]).toEqual([
      "Gold",
      "Member",
      "downgrade-never",
      "Member",
    ]);
    const e = await explain(engine, "C", { scheme: "Never" });
    expect(e.schemes[0]?.lifecycle?.text).toBe(
      "kept Gold: this scheme never downgrades (the rules alone give Member) (held since 2026-01-01)",
    );
  });

  it("an override floor applies on top; the lifecycle state goes on underneath", () => {
    const f2 = at(runIds[1] as number, "Retention", "F");
    expect([f2.tier, f2.natural_tier, f2.rule_id]).toEqual(["Gold", "Member", "override:floor"]);
    // Underneath, F went down like C: the floor keeps Gold, the lifecycle holds Member.
    expect(at(runIds[4] as number, "Retention", "F").natural_tier).toBe("Member");
  });

  it("fixed and ceiling overrides apply on top of the lifecycle's tier", () => {
    // E in Grace: the lifecycle holds S G G G G; fixed Member wins at every run.
    expect(runIds.map((r) => [at(r, "Grace", "E").tier, at(r, "Grace", "E").natural_tier])).toEqual([
      ["Member", "Silver"],
      ["Member", "Gold"],
      ["Member", "Gold"],
      ["Member", "Gold"],
      ["Member", "Gold"],
    ]);
    // B in Grace: the lifecycle holds S S G G G (the last one a pending downgrade); the ceiling caps it at Silver.
    expect(runIds.map((r) => at(r, "Grace", "B").tier)).toEqual(["Silver", "Silver", "Silver", "Silver", "Silver"]);
    const b5 = at(runIds[4] as number, "Grace", "B");
    expect([b5.natural_tier, b5.rule_id, b5.life_state, b5.pending_tier]).toEqual([
      "Gold",
      "override:ceiling",
      "downgrade-pending",
      "Member",
    ]);
  });

  it("explain: the distance lines tell what moves the customer, the same story as the lifecycle line", async () => {
    const lines = async (id: string, run: number, scheme: string) => {
      const e = (await explain(engine, id, { runId: runIds[run] as number, scheme })).schemes[0];
      return { tier: e?.tier, lifecycle: e?.lifecycle?.text ?? null, up: e?.up, down: e?.down };
    };
    // C in Grace at run 2: Gold with a downgrade to Member pending (not "drops to Silver below 400").
    expect(await lines("C", 1, "Grace")).toEqual({
      tier: "Gold",
      lifecycle: "downgrade to Member due on 2026-03-18 unless spend(1 month) reaches 400 (held since 2026-01-01)",
      up: null,
      down: "drops to Member on 2026-03-18 (a pending downgrade) unless spend(1 month) reaches 400",
    });
    expect((await lines("A", 2, "After two")).down).toBe(
      "drops to Silver after 1 more evaluation below (a pending downgrade) unless spend(1 month) reaches 400",
    );
    // E in Period at run 2: qualified for Gold, the upgrade waits for the quarter (not "needs -100 more").
    expect((await lines("E", 1, "Period")).up).toBe("upgrade to Gold due on 2026-04-01, if still qualified then");
    expect((await lines("C", 4, "Never")).down).toBe(
      "does not drop: this scheme never downgrades (the rules alone give Member)",
    );
    // Moves the value would make wait for the scheme's timing; a scheme that never downgrades does not drop.
    expect((await lines("C", 0, "Grace")).down).toBe(
      "drops to Silver below 400 (its retention threshold), after 45 days' grace",
    );
    expect((await lines("C", 0, "After two")).down).toBe(
      "drops to Silver below 400 (its retention threshold), after 2 evaluations in a row below",
    );
    expect(await lines("E", 0, "Period")).toMatchObject({
      up: "needs 200 more spend(1 month) for Gold, at the start of the next quarter",
      down: "drops to Member below 150 (its retention threshold), at the end of the quarter",
    });
    expect((await lines("C", 0, "Stay")).down).toBe(
      "drops to Silver below 400 (its retention threshold), not before 60 days in the tier",
    );
    expect((await lines("C", 0, "Never")).down).toBe("does not drop: this scheme never downgrades");
    // F in Retention at run 2: a floor holds Gold; underneath, the lifecycle gives Member.
    expect(await lines("F", 1, "Retention")).toEqual({
      tier: "Gold",
      lifecycle:
        "downgraded to Member: below the retention threshold of the tier held before, after any grace and minimum stay",
      up: null,
      down: "held at Gold by a floor override until it is removed; without it: Member",
    });
    // E in Grace: fixed at Member; underneath, Gold.
    expect(await lines("E", 1, "Grace")).toMatchObject({
      tier: "Member",
      up: "held at Member by a fixed override until it is removed; without it: Gold",
      down: null,
    });
    // B in Grace at run 5: a ceiling holds Silver over Gold underneath, whose downgrade to Member is pending.
    expect(await lines("B", 4, "Grace")).toMatchObject({
      tier: "Silver",
      up: "held at Silver by a ceiling override until it is removed; without it: Gold",
      down: "drops to Member on 2026-06-15 (a pending downgrade) unless spend(1 month) reaches 400",
    });
  });

  it("a rerun at an earlier date reads the state before that date, not the latest", async () => {
    const policy = await loadPolicy({ file: await policyFile(POLICY) });
    const again = await run(engine, policy, { asOf: RUNS[1] as string });
    const got = await engine.query(
      rawRows<{ scheme: string; entity_id: string; tier: string; life_state: string | null }>(
        sql`SELECT scheme, entity_id, tier, life_state FROM ${ident("tw_assignments")} WHERE run_id = ${again.runId}`,
      ),
    );
    for (const g of got) {
      const before = at(runIds[1] as number, g.scheme, g.entity_id);
      expect([g.scheme, g.entity_id, g.tier, g.life_state]).toEqual([
        g.scheme,
        g.entity_id,
        before.tier,
        before.life_state,
      ]);
    }
    expect(got.length).toBe(36);
  });

  it("a removed override gives back the tier the lifecycle held underneath", async () => {
    await removeOverride(engine, 1, "tester");
    // The run before still held F by the floor: explain says the override is gone since.
    const before = (await explain(engine, "F", { runId: runIds[1] as number, scheme: "Retention" })).schemes[0];
    expect(before?.down).toBe("held at Gold by a floor override (removed since this run); without it: Member");
    const policy = await loadPolicy({ file: await policyFile(POLICY) });
    const next = await run(engine, policy, { asOf: "2026-06-01" });
    const f = await engine.query(
      rawRows<{
        tier: string;
        rule_id: string;
        natural_tier: string | null;
      }>(sql`SELECT tier, rule_id, natural_tier FROM ${ident("tw_assignments")} WHERE run_id = ${next.runId}
      AND scheme = ${"Retention"} AND entity_id = ${"F"}`),
    );
    expect(f).toEqual([{ tier: "Member", rule_id: "thresholds", natural_tier: null }]);
  });
});
