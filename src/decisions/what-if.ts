import { dirname, resolve } from "node:path";
import type { Engine } from "../engine/engine.js";
import { didYouMean, TierwiseError } from "../errors/index.js";
import { makeFolder } from "../files/make-folder.js";
import type { PolicyPlan, SchemePlan } from "../plan/policy.js";
import type { LoadedPolicy } from "../policy/load-policy.js";
import { compileFor } from "../run/compile-for.js";
import { applyLifecycles, buildGrades, dropAll, prepareFacts, todayUtc } from "../run/run.js";
import {
  createWhatIfTableSql,
  insertWhatIfSql,
  WHAT_IF_TABLES,
  type WhatIfSide,
  whatIfMatrixSql,
  whatIfMoversSql,
  whatIfTotalsSql,
} from "../sql/decisions/what-if.js";
import { dropTempSql } from "../sql/run/snapshot.js";
import { type BenefitCost, benefitCost, playbookOf } from "./benefit-cost.js";

export interface WhatIfOptions {
  /** As-of date `YYYY-MM-DD` (default: today in UTC). */
  readonly asOf?: string;
  /** Write every mover (entity whose tier differs) to this CSV file, streamed by the engine. */
  readonly moversOut?: string;
  /** Write text cells as they are: no `'` before a cell starting with =, +, -, @, tab or CR (CSV files; docs/exports.md). */
  readonly raw?: boolean;
  /** Compare these schemes with each other whatever their names (`--scheme CURRENT=PROPOSED`). */
  readonly pairs?: readonly SchemePair[];
}

/** A current scheme compared with a proposed one of another name. */
export interface SchemePair {
  readonly current: string;
  readonly proposed: string;
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
  /** The scheme's name; for a pair of different names `CURRENT=PROPOSED` (also in the movers file). */
  readonly scheme: string;
  /** The scheme's name in each policy (absent on a side without it). */
  readonly currentScheme?: string;
  readonly proposedScheme?: string;
  /**
   * What makes the two sides' columns differ beyond the tiers: revenue over
   * different windows (the policies' `revenue_window`), a metric over
   * different windows (`spend(12 months)` against `spend(calendar_year)`).
   */
  readonly notes: readonly string[];
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

/** One row of the comparison: the key both sides' grades are stored under, and each side's scheme. */
interface Compared {
  readonly key: string;
  readonly current?: SchemePlan;
  readonly proposed?: SchemePlan;
}

/**
 * Which scheme is compared with which: the pairs first (each name must exist
 * on its side; one pair per name), then the rest by name, then the schemes
 * of one side only.
 */
function compared(current: PolicyPlan, proposed: PolicyPlan, pairs: readonly SchemePair[]): Compared[] {
  const find = (plan: PolicyPlan, name: string, side: "current" | "proposed") => {
    const found = plan.schemes.find((s) => s.name === name);
    if (found) return found;
    const names = plan.schemes.map((s) => s.name);
    throw new TierwiseError(
      "UNKNOWN_SCHEME",
      { scheme: name, where: `the ${side} policy` },
      undefined,
      didYouMean(name, names) ?? `its schemes: ${names.join(", ")}`,
    );
  };
  const pairOf = new Map<string, SchemePlan>();
  const taken = new Set<string>();
  for (const p of pairs) {
    find(current, p.current, "current");
    const b = find(proposed, p.proposed, "proposed");
    if (pairOf.has(p.current) || taken.has(p.proposed))
      throw pairOf.has(p.current)
        ? TierwiseError.of("option.current-paired-twice", { scheme: p.current })
        : TierwiseError.of("option.proposed-paired-twice", { scheme: p.proposed });
    pairOf.set(p.current, b);
    taken.add(p.proposed);
  }
  const out: Compared[] = current.schemes.map((a) => {
    const paired = pairOf.get(a.name);
    if (paired)
      return { key: paired.name === a.name ? a.name : `${a.name}=${paired.name}`, current: a, proposed: paired };
    const b = taken.has(a.name) ? undefined : proposed.schemes.find((s) => s.name === a.name);
    if (b) taken.add(b.name);
    return { key: a.name, current: a, ...(b ? { proposed: b } : {}) };
  });
  for (const b of proposed.schemes) if (!taken.has(b.name)) out.push({ key: b.name, proposed: b });
  return out;
}

/** A window argument as written: `12 months` (a duration), `calendar_year` or `lifetime` (names of type duration). */
const windowText = (w: Record<string, unknown>): string | undefined =>
  w["kind"] === "duration"
    ? `${String(w["amount"])} ${String(w["unit"])}${w["amount"] === 1 ? "" : "s"}`
    : w["kind"] === "name" && w["type"] === "duration"
      ? String(w["name"])
      : w["kind"] === "calendar"
        ? `calendar_${String(w["unit"])}`
        : w["kind"] === "lifetime"
          ? "lifetime"
          : undefined;

/** The windows an expression tree names (`12 months`, `calendar_year`, `lifetime`). */
function windowsOf(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) windowsOf(n, out);
  else if (node !== null && typeof node === "object") {
    const o = node as Record<string, unknown>;
    const text = windowText(o);
    if (text !== undefined) out.add(text);
    else for (const [k, v] of Object.entries(o)) if (k !== "span") windowsOf(v, out);
  }
  return out;
}

/** Notes on a compared pair whose columns cover different windows. */
function windowNotes(c: Compared, current: PolicyPlan, proposed: PolicyPlan): string[] {
  const a = c.current;
  const b = c.proposed;
  if (!a || !b) return [];
  const notes: string[] = [];
  if (current.revenueMonths !== proposed.revenueMonths)
    notes.push(
      `revenue covers the last ${current.revenueMonths} months now and the last ${proposed.revenueMonths} months proposed (the policies' revenue_window): ` +
        "the revenue columns compare different periods; benefit costs are annualised from each",
    );
  const metric = (s: SchemePlan) => ("metric" in s ? s.metric : undefined);
  const ma = metric(a);
  const mb = metric(b);
  if (ma && mb) {
    const wa = [...windowsOf(ma.expression)].sort().join(", ");
    const wb = [...windowsOf(mb.expression)].sort().join(", ");
    if (wa !== wb)
      notes.push(
        `the tiers are graded over different windows: ${ma.text} now, ${mb.text} proposed (${wa || "no window"} against ${wb || "no window"})`,
      );
  }
  return notes;
}

/** Grade every scheme of one policy into the side's temp table, as a run would, without writing a snapshot. */
async function gradeSide(
  engine: Engine,
  side: WhatIfSide,
  plan: PolicyPlan,
  asOf: string,
  keyOf: ReadonlyMap<string, string>,
): Promise<string[]> {
  const { compiled, warnings } = await compileFor(engine, plan, asOf);
  try {
    warnings.push(...(await prepareFacts(engine, compiled, plan, asOf)));
    await buildGrades(engine, compiled, () => undefined);
    await applyLifecycles(engine, compiled, asOf);
    for (const s of compiled.schemes)
      await engine.exec(insertWhatIfSql(side, s, asOf, keyOf.get(s.plan.name) ?? s.plan.name));
  } finally {
    await dropAll(engine, compiled).catch(() => undefined);
  }
  return warnings;
}

async function totals(engine: Engine, side: WhatIfSide): Promise<Totals> {
  const out: Totals = new Map();
  for (const r of await engine.query(whatIfTotalsSql(side))) {
    const scheme = r.scheme;
    const byRank = out.get(scheme) ?? new Map();
    byRank.set(r.tier_rank, { entities: r.entities, revenue: r.revenue });
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
 * and nothing is written to the store. Per scheme (matched by name, or as
 * `pairs` say: `{ current: "value-grades", proposed: "value-ytd" }`): tier
 * counts and revenue on each side, the yearly benefit cost under each
 * side's playbooks (`benefitCost`, spend annualised from the policy's
 * revenue window), and the from → to matrix, computed in SQL. With
 * `moversOut`, every entity whose tier differs is written to a CSV file by
 * the engine (`scheme, entity_id, current_tier, proposed_tier,
 * current_rank, proposed_rank, revenue`), never held in memory. A pair whose
 * revenue (or metric) covers different windows on the two sides carries a
 * note saying so. An unknown name in `pairs` is refused (`UNKNOWN_SCHEME`,
 * with the nearest name of that side).
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
  const rows = compared(current.plan, proposed.plan, options.pairs ?? []);
  const keys = (side: WhatIfSide) => new Map(rows.flatMap((r) => (r[side] ? [[r[side].name, r.key] as const] : [])));
  try {
    for (const [side, policy] of [
      ["current", current],
      ["proposed", proposed],
    ] as const) {
      await engine.exec(createWhatIfTableSql(engine.dialect, side));
      for (const w of await gradeSide(engine, side, policy.plan, asOf, keys(side)))
        if (!warnings.includes(w)) warnings.push(w);
    }
    const before = await totals(engine, "current");
    const after = await totals(engine, "proposed");
    const cells = await engine.query(whatIfMatrixSql());
    const schemes = rows.map((row): WhatIfScheme => {
      const name = row.key;
      const a = row.current;
      const b = row.proposed;
      const tierName = (plan: SchemePlan | undefined, rank: number | null) =>
        rank === null ? null : (plan?.tiers[rank - 1] ?? `rank ${rank}`);
      const matrix = cells
        .filter((c) => c.scheme === name)
        .map((c) => ({
          fromRank: c.from_rank,
          toRank: c.to_rank,
          entities: c.entities,
          revenue: c.revenue,
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
        ...(a ? { currentScheme: a.name } : {}),
        ...(b ? { proposedScheme: b.name } : {}),
        notes: windowNotes(row, current.plan, proposed.plan),
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
      await makeFolder(dirname(path));
      await engine.exportCsv(whatIfMoversSql(options.raw !== true), path);
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
