import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { whatIf } from "../../../src/decisions/what-if.js";
import type { Engine } from "../../../src/engine/engine.js";
import { TierwiseError } from "../../../src/errors/index.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { AS_OF, memoryStore, policyFile, seed } from "../support.js";
import { SIX, valuePolicy } from "./support.js";

const count = async (engine: Engine, table: string) =>
  Number((await engine.query(rawRows<{ n: unknown }>(sql`SELECT count(*) AS n FROM ${ident(table)}`)))[0]?.n);

describe("what-if: two policies compared without a snapshot", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, SIX);
  });
  afterAll(async () => engine.close());

  it("gives tier counts, the matrix, the movers and the benefit cost of each side; writes no snapshot", async () => {
    const current = await loadPolicy({ file: await policyFile(valuePolicy(100000)) });
    const proposed = await loadPolicy({ file: await policyFile(valuePolicy(80000)) });
    await run(engine, current, { asOf: "2025-12-01" }); // an earlier snapshot: it must stay the only one
    const runs = await count(engine, "tw_runs");
    const grades = await count(engine, "tw_grades");
    const events = await count(engine, "tw_events");
    const out = join(await mkdtemp(join(tmpdir(), "tierwise-whatif-")), "movers.csv");

    const w = await whatIf(engine, current, proposed, { asOf: AS_OF, moversOut: out });

    expect([
      await count(engine, "tw_runs"),
      await count(engine, "tw_grades"),
      await count(engine, "tw_events"),
    ]).toEqual([runs, grades, events]);
    const [value] = w.schemes;
    expect(value?.scheme).toBe("value");
    // Current: VIP C1 | Gold C2 C3 | Silver C4 | Regular C5 | Potential C6. Proposed (VIP ≥ 80,000): C2 moves up.
    expect(value?.current?.tiers.map((t) => [t.tier, t.entities, t.revenue])).toEqual([
      ["VIP", 1, 120000],
      ["Gold", 2, 150000],
      ["Silver", 1, 30000],
      ["Regular", 1, 5000],
      ["Potential", 1, 0],
    ]);
    expect(value?.proposed?.tiers.map((t) => [t.tier, t.entities, t.revenue])).toEqual([
      ["VIP", 2, 210000],
      ["Gold", 1, 60000],
      ["Silver", 1, 30000],
      ["Regular", 1, 5000],
      ["Potential", 1, 0],
    ]);
    expect(value?.matrix).toEqual([
      { from: "VIP", to: "VIP", entities: 1, revenue: 120000 },
      { from: "Gold", to: "VIP", entities: 1, revenue: 90000 },
      { from: "Gold", to: "Gold", entities: 1, revenue: 60000 },
      { from: "Silver", to: "Silver", entities: 1, revenue: 30000 },
      { from: "Regular", to: "Regular", entities: 1, revenue: 5000 },
      { from: "Potential", to: "Potential", entities: 1, revenue: 0 },
    ]);
    expect([value?.movers, value?.unchanged]).toEqual([1, 5]);
    // Current: VIP 5% × 120,000 + 1 × 100 = 6,100; Gold 2 × 50 = 100; Silver 2% × 30,000 = 600.
    expect(value?.current?.tiers.map((t) => t.benefitCost.total)).toEqual([6100, 100, 600, 0, 0]);
    expect(value?.current?.benefitCost).toBe(6800);
    // Proposed: VIP 5% × 210,000 + 2 × 100 = 10,700; Gold 1 × 50; Silver 600.
    expect(value?.proposed?.tiers.map((t) => t.benefitCost.total)).toEqual([10700, 50, 600, 0, 0]);
    expect(value?.proposed?.benefitCost).toBe(11350);
    expect(w.moversFile?.rows).toBe(1);
    const lines = (await readFile(out, "utf8")).trim().split("\n");
    expect(lines[0]).toBe("scheme,entity_id,current_tier,proposed_tier,current_rank,proposed_rank,revenue");
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 6).join(","))).toEqual(["value,C2,Gold,VIP,2,1"]);
    expect(Number(lines[1]?.split(",")[6])).toBe(90000);
  });

  it("counts entities graded on one side only as movers, and a scheme on one side only", async () => {
    const current = await loadPolicy({ file: await policyFile(valuePolicy(100000)) });
    const population = valuePolicy(100000).replace(
      "kind: thresholds",
      "kind: thresholds\n    population: spend(12 months) > 0",
    );
    const extra = `  - name: abc
    kind: pareto
    metric: spend(12 months)
    tiers: [{ name: A, up_to: 80 }, { name: B, up_to: 95 }, { name: C }]
`;
    const proposed = await loadPolicy({ file: await policyFile(population + extra) });
    const w = await whatIf(engine, current, proposed, { asOf: AS_OF });
    const value = w.schemes.find((s) => s.scheme === "value");
    expect(value?.matrix.filter((c) => c.from !== c.to)).toEqual([
      { from: "Potential", to: null, entities: 1, revenue: 0 },
    ]);
    const abc = w.schemes.find((s) => s.scheme === "abc");
    expect(abc?.current).toBeUndefined();
    expect(abc?.proposed?.graded).toBe(6);
    expect(abc?.movers).toBe(6);
  });

  it("pairs differently named schemes with --scheme CURRENT=PROPOSED and says when their windows differ", async () => {
    const current = await loadPolicy({ file: await policyFile(valuePolicy(100000)) });
    // value-ytd: VIP ≥ 80,000 over the calendar year (2025 as of 2026-01-01: the same orders), revenue over 6 months
    // (from 2025-07-01: none of the orders of 2025-06-01).
    const ytd = valuePolicy(80000)
      .replace("version: 1\n", "version: 1\nrevenue_window: 6 months\n")
      .replace("- name: value\n", "- name: value-ytd\n")
      .replace("metric: spend(12 months)", "metric: spend(calendar_year)");
    const proposed = await loadPolicy({ file: await policyFile(ytd) });
    const byName = await whatIf(engine, current, proposed, { asOf: AS_OF });
    expect(byName.schemes.map((s) => [s.scheme, s.current !== undefined, s.proposed !== undefined])).toEqual([
      ["value", true, false],
      ["value-ytd", false, true],
    ]);
    expect(byName.schemes.flatMap((s) => s.notes)).toEqual([]);

    const out = join(await mkdtemp(join(tmpdir(), "tierwise-whatif-")), "movers.csv");
    const w = await whatIf(engine, current, proposed, {
      asOf: AS_OF,
      pairs: [{ current: "value", proposed: "value-ytd" }],
      moversOut: out,
    });
    expect(w.schemes.map((s) => [s.scheme, s.currentScheme, s.proposedScheme])).toEqual([
      ["value=value-ytd", "value", "value-ytd"],
    ]);
    const [pair] = w.schemes;
    expect(pair?.matrix.filter((c) => c.from !== c.to)).toEqual([{ from: "Gold", to: "VIP", entities: 1, revenue: 0 }]);
    expect([pair?.movers, pair?.unchanged]).toEqual([1, 5]);
    expect([pair?.current?.revenue, pair?.proposed?.revenue]).toEqual([305000, 0]);
    expect(pair?.notes).toEqual([
      "revenue covers the last 12 months now and the last 6 months proposed (the policies' revenue_window): " +
        "the revenue columns compare different periods; benefit costs are annualised from each",
      "the tiers are graded over different windows: spend(12 months) now, spend(calendar_year) proposed (12 months against calendar_year)",
    ]);
    const lines = (await readFile(out, "utf8")).trim().split("\n");
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 4).join(","))).toEqual(["value=value-ytd,C2,Gold,VIP"]);
  });

  it("refuses a pair naming a scheme its side does not have, with the nearest name", async () => {
    const current = await loadPolicy({ file: await policyFile(valuePolicy(100000)) });
    const proposed = await loadPolicy({
      file: await policyFile(valuePolicy(80000).replace("- name: value\n", "- name: value-ytd\n")),
    });
    const refusal = async (pair: { current: string; proposed: string }) => {
      try {
        await whatIf(engine, current, proposed, { asOf: AS_OF, pairs: [pair] });
      } catch (error) {
        if (error instanceof TierwiseError) return error.oneLine();
        throw error;
      }
      return "not refused";
    };
    expect(await refusal({ current: "valeu", proposed: "value-ytd" })).toBe(
      "UNKNOWN_SCHEME: scheme valeu is not in the current policy (did you mean value?)",
    );
    expect(await refusal({ current: "value", proposed: "value-ytb" })).toBe(
      "UNKNOWN_SCHEME: scheme value-ytb is not in the proposed policy (did you mean value-ytd?)",
    );
  });
});
