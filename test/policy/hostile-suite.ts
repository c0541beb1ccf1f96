/**
 * The hostile corpus as a vitest suite over any engine: every case either
 * gets its coded problem from checkPolicy, or runs and arrives unchanged;
 * afterwards every table of the store is intact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import { TABLES } from "../../src/model/index.js";
import { checkPolicy } from "../../src/policy/check-policy.js";
import { POLICY_CODES } from "../../src/policy/codes.js";
import { EXPRESSION_CODES } from "../../src/policy/expression/codes.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { run } from "../../src/run/run.js";
import { ident, sql } from "../../src/sql/fragment.js";
import { assignments, policyFile, seed } from "../run/support.js";
import { rawRows } from "../support/raw-rows.js";
import {
  BIG_SPENDERS,
  DEFAULT_SCHEME,
  goodNameIndex,
  HOSTILE_CASES,
  type HostileCase,
  hostileFixture,
  hostilePolicy,
  literalCustomer,
  literalIndex,
  overrideCustomer,
} from "./hostile-corpus.js";

const CODES: ReadonlySet<string> = new Set([...Object.keys(POLICY_CODES), ...Object.keys(EXPRESSION_CODES)]);

async function tableCounts(engine: Engine): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of [...TABLES.map((t) => t.name), "tw_overrides"]) {
    const rows = await engine.query(rawRows<{ n: unknown }>(sql`SELECT count(*) AS n FROM ${ident(name)}`));
    out[name] = Number(rows[0]?.n);
  }
  return out;
}

/** Expected top-tier customers of an accepted case. */
function topOf(c: HostileCase): readonly string[] {
  if (c.top) return c.top;
  if (c.slot === "literal") return [literalCustomer(literalIndex(c.text))];
  return BIG_SPENDERS;
}

/**
 * Register the corpus on an engine. `open` gives a fresh, empty store; it is
 * seeded once and closed at the end.
 * @example hostileSuite("duckdb", () => openStore(":memory:"));
 */
export function hostileSuite(engineName: string, open: () => Promise<Engine>): void {
  describe(`hostile policy corpus on ${engineName}`, () => {
    let engine: Engine;
    let before: Record<string, number>;

    beforeAll(async () => {
      engine = await open();
      await seed(engine, hostileFixture());
      before = await tableCounts(engine);
    });

    afterAll(async () => {
      // Every table of the store is still there with every row.
      expect(await tableCounts(engine)).toEqual(before);
      expect(before["orders"]).toBe(3);
      await engine.close();
    });

    const refused = HOSTILE_CASES.filter((c) => c.expect !== "accepted");
    const accepted = HOSTILE_CASES.filter((c) => c.expect === "accepted");

    it.each(refused.map((c) => [c.label, c] as const))("refuses %s with a coded problem", (_, c) => {
      const { plan, problems } = checkPolicy(hostilePolicy(c), "hostile.yaml");
      expect(plan).toBeUndefined();
      for (const p of problems) expect(CODES).toContain(p.code);
      const first = problems[0];
      const want = c.expect as Exclude<HostileCase["expect"], "accepted">;
      expect({
        code: first?.code,
        ...(want.line === undefined ? {} : { line: first?.location.line }),
        ...(want.column === undefined ? {} : { column: first?.location.column }),
      }).toEqual(want);
    });

    it.each(accepted.map((c) => [c.label, c] as const))("runs %s and keeps the text", async (_, c) => {
      const text = hostilePolicy(c);
      expect(checkPolicy(text).problems.map((p) => p.oneLine())).toEqual([]);
      const policy = await loadPolicy({ file: await policyFile(text) });
      const scheme = policy.plan.schemes[0];
      if (scheme?.kind !== "rules") throw new Error("the corpus policy is a rules scheme");
      if (c.slot === "reason") expect(scheme.rules[0]?.reason).toBe(c.text);
      if (c.slot === "otherwise") expect(scheme.otherwise?.reason).toBe(c.text);
      if (c.slot === "description") expect(scheme.description).toBe(c.text);

      const result = await run(engine, policy, { asOf: "2026-01-01" });
      const schemeName = c.slot === "scheme" ? c.text : DEFAULT_SCHEME;
      const topTier = c.slot === "tier" ? c.text : "Top";
      const byScheme = await assignments(engine, result.runId);
      expect([...byScheme.keys()]).toEqual([schemeName]);
      const grades = byScheme.get(schemeName) ?? new Map();
      const top = [...grades].filter(([, g]) => g.tier === topTier && g.rule_id === "top").map(([id]) => id);
      expect(top.sort()).toEqual([...topOf(c)].sort());
      // Everyone else is in Rest, apart from a fixed override to this very tier name.
      const override = c.slot === "tier" ? overrideCustomer(goodNameIndex(c.text)) : undefined;
      for (const [id, g] of grades) {
        if (id === override) expect([g.tier, g.rule_id, g.natural_tier]).toEqual([topTier, "override:fixed", "Rest"]);
        else if (!top.includes(id)) expect([id, g.tier]).toEqual([id, "Rest"]);
      }
      // The summary names the same scheme and tiers; the run records the policy text as written.
      expect(result.schemes.map((s) => [s.scheme, s.tiers.map((t) => t.tier)])).toEqual([
        [schemeName, [topTier, "Rest"]],
      ]);
      expect(result.schemes[0]?.tiers[0]?.entities).toBe(top.length + (override ? 1 : 0));
      const runs = await engine.query(
        rawRows<{ policy_text: string }>(
          sql`SELECT policy_text FROM ${ident("tw_runs")} WHERE run_id = ${result.runId}`,
        ),
      );
      expect(runs[0]?.policy_text).toBe(text);
    });
  });
}
