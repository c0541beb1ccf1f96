import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Engine } from "../engine/engine.js";
import type { PolicyPlan, SchemePlan } from "../plan/policy.js";
import type { LoadedPolicy } from "../policy/load-policy.js";
import { applyLifecycles, buildGrades, compileFor, dropAll, prepareFacts, todayUtc } from "../run/run.js";
import {
  createWhatIfTableSql,
  insertWhatIfSql,
  WHAT_IF_TABLES,
  type WhatIfSide,
  whatIfMatrixSql,
  whatIfMoversSql,
  whatIfTotalsSql,
} from "../sql/decisions/what-if-sql.js";
import { dropTempSql } from "../sql/policy/snapshot-sql.js";
import { type BenefitCost, benefitCost, playbookOf } from "./benefit-cost.js";

export interface WhatIfOptions {
  /** As-of date `YYYY-MM-DD` (default: today in UTC). */
  readonly asOf?: string;
  /** Write every mover (entity whose tier differs) to this CSV file, streamed by the engine. */
  readonly moversOut?: string;
}

/** One tier of one side: entities, revenue, the yearly cost of its playbook. */
export interface WhatIfTier {
  readonly tier: string;
  readonly rank: number;
  readonly entities: number;
  /** Net spend over that policy's revenue window. */
  readonly revenue: number;
  readonly benefitCost: BenefitCost;
}

/** One side of a scheme's comparison (absent when that policy has no scheme of the name). */
export interface WhatIfSideResult {
  readonly graded: number;
  readonly revenue: number;
  readonly tiers: readonly WhatIfTier[];
  /** Σ of the tiers' yearly benefit cost. */
  readonly benefitCost: number;
}

/** One cell of the from → to matrix; a null tier is "not graded" on that side. */
export interface WhatIfCell {
  readonly from: string | null;
  readonly to: string | null;
  readonly entities: number;
  readonly revenue: number;
}

export interface WhatIfScheme {
  readonly scheme: string;
  readonly current?: WhatIfSideResult;
  readonly proposed?: WhatIfSideResult;
  /** Non-empty cells, by current rank then proposed rank ("not graded" last). */
  readonly matrix: readonly WhatIfCell[];
  /** Entities whose tier name differs (including those graded on one side only). */
  readonly movers: number;
  readonly unchanged: number;
}

export interface WhatIf {
  readonly asOf: string;
  readonly currency: string;
  /** The proposed policy's locale: the text rendering formats every number in it. */
  readonly locale: string;
  readonly schemes: readonly WhatIfScheme[];
  /** The movers file, when asked for. */
  readonly moversFile?: { readonly path: string; readonly rows: number };
  readonly warnings: readonly string[];
}

type Totals = Map<string, Map<number, { entities: number; revenue: number }>>;

/** Grade every scheme of one policy into the side's temp table, as a run would, without writing a snapshot. */
async function gradeSide(engine: Engine, side: WhatIfSide, plan: PolicyPlan, asOf: string): Promise<string[]> {
  const { compiled, warnings } = await compileFor(engine, plan, asOf);
  try {
    warnings.push(...(await prepareFacts(engine, compiled, plan, asOf)));
    await buildGrades(engine, compiled, () => undefined);
    await applyLifecycles(engine, compiled, asOf);
    for (const s of compiled.schemes) await engine.exec(insertWhatIfSql(side, s, asOf));
  } finally {
    await dropAll(engine, compiled).catch(() => undefined);
  }
  return warnings;
}

async function totals(engine: Engine, side: WhatIfSide): Promise<Totals> {
  const out: Totals = new Map();
  for (const r of await engine.query<Record<string, unknown>>(whatIfTotalsSql(side))) {
    const scheme = String(r.scheme);
    const byRank = out.get(scheme) ?? new Map();
    byRank.set(Number(r.tier_rank), { entities: Number(r.entities), revenue: Number(r.revenue) });
    out.set(scheme, byRank);
  }
  return out;
}

function sideResult(
  plan: PolicyPlan,
  scheme: SchemePlan,
  byRank: Totals extends Map<string, infer V> ? V | undefined : never,
): WhatIfSideResult {
  const tiers = scheme.tiers.map((tier, i): WhatIfTier => {
    const t = byRank?.get(i + 1) ?? { entities: 0, revenue: 0 };
    const yearlySpend = (t.revenue * 12) / plan.revenueMonths;
    return {
      tier,
      rank: i + 1,
      entities: t.entities,
      revenue: t.revenue,
      benefitCost: benefitCost(playbookOf(scheme, tier), { customers: t.entities, yearlySpend }),
    };
  });
  const sum = (f: (t: WhatIfTier) => number) => tiers.reduce((n, t) => n + f(t), 0);
  return {
    graded: sum((t) => t.entities),
    revenue: sum((t) => t.revenue),
    tiers,
    benefitCost: Math.round(sum((t) => t.benefitCost.total) * 100) / 100,
  };
}

/**
 * What would change if the proposed policy replaced the current one: both
 * are graded as of the date exactly as `run` would grade them (lifecycle
 * against the stored snapshots, overrides in force) into temporary tables,
 * and nothing is written to the store. Per scheme (matched by name): tier
 * counts and revenue on each side, the yearly benefit cost under each
 * side's playbooks (`benefitCost`, spend annualised from the policy's
 * revenue window), and the from → to matrix, computed in SQL. With
 * `moversOut`, every entity whose tier differs is written to a CSV file by
 * the engine (`scheme, entity_id, current_tier, proposed_tier,
 * current_rank, proposed_rank, revenue`), never held in memory.
 *
 * @example
 * const w = await whatIf(store, await loadPolicy({ presets: ["value-grades"] }),
 *   await loadPolicy({ file: "raise-vip.yaml" }), { asOf: "2026-01-01", moversOut: "movers.csv" });
 * console.log(w.schemes[0]?.movers, w.schemes[0]?.proposed?.benefitCost);
 */
export async function whatIf(
  engine: Engine,
  current: LoadedPolicy,
  proposed: LoadedPolicy,
  options: WhatIfOptions = {},
): Promise<WhatIf> {
  const asOf = options.asOf ?? todayUtc();
  const warnings: string[] = [];
  try {
    for (const [side, policy] of [
      ["current", current],
      ["proposed", proposed],
    ] as const) {
      await engine.exec(createWhatIfTableSql(engine.dialect, side));
      for (const w of await gradeSide(engine, side, policy.plan, asOf)) if (!warnings.includes(w)) warnings.push(w);
    }
    const before = await totals(engine, "current");
    const after = await totals(engine, "proposed");
    const cells = await engine.query<Record<string, unknown>>(whatIfMatrixSql());
    const names = [...current.plan.schemes.map((s) => s.name)];
    for (const s of proposed.plan.schemes) if (!names.includes(s.name)) names.push(s.name);
    const schemes = names.map((name): WhatIfScheme => {
      const a = current.plan.schemes.find((s) => s.name === name);
      const b = proposed.plan.schemes.find((s) => s.name === name);
      const tierName = (plan: SchemePlan | undefined, rank: number | null) =>
        rank === null ? null : (plan?.tiers[rank - 1] ?? `rank ${rank}`);
      const rank = (v: unknown) => (v === null || v === undefined ? null : Number(v));
      const matrix = cells
        .filter((c) => String(c.scheme) === name)
        .map((c) => ({
          fromRank: rank(c.from_rank),
          toRank: rank(c.to_rank),
          entities: Number(c.entities),
          revenue: Number(c.revenue),
        }))
        .sort((x, y) => (x.fromRank ?? 1e9) - (y.fromRank ?? 1e9) || (x.toRank ?? 1e9) - (y.toRank ?? 1e9))
        .map((c) => ({
          from: tierName(a, c.fromRank),
          to: tierName(b, c.toRank),
          entities: c.entities,
          revenue: c.revenue,
        }));
      const movers = matrix.filter((c) => c.from !== c.to).reduce((n, c) => n + c.entities, 0);
      const unchanged = matrix.filter((c) => c.from === c.to).reduce((n, c) => n + c.entities, 0);
      return {
        scheme: name,
        ...(a ? { current: sideResult(current.plan, a, before.get(name)) } : {}),
        ...(b ? { proposed: sideResult(proposed.plan, b, after.get(name)) } : {}),
        matrix,
        movers,
        unchanged,
      };
    });
    let moversFile: WhatIf["moversFile"];
    if (options.moversOut) {
      const path = resolve(options.moversOut);
      await mkdir(dirname(path), { recursive: true });
      await engine.exportCsv(whatIfMoversSql(), path);
      moversFile = { path: options.moversOut, rows: schemes.reduce((n, s) => n + s.movers, 0) };
    }
    return {
      asOf,
      currency: proposed.plan.currency,
      locale: proposed.plan.locale,
      schemes,
      ...(moversFile ? { moversFile } : {}),
      warnings: [...warnings, ...[...current.warnings, ...proposed.warnings].map((w) => w.oneLine())],
    };
  } finally {
    for (const t of Object.values(WHAT_IF_TABLES)) await engine.exec(dropTempSql(t)).catch(() => undefined);
  }
}
