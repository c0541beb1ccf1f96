import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { formats } from "../format/formats.js";
import { isCalendarDate } from "../plan/calendar-date.js";
import type { SchemePlan } from "../plan/policy.js";
import { findRun, planFromText, previousAsOf } from "../run/runs.js";
import {
  migrationMatrixSql,
  migrationMoversSql,
  runsOfSchemeSql,
  runTiersSql,
  type SchemeInRun,
} from "../sql/insight/history.js";
import { ruleReason } from "./history.js";

export interface MigrationOptions {
  readonly scheme: string;
  /** A run id, or an as-of date (YYYY-MM-DD: the latest run of that date or before). Default: the run before `to`. */
  readonly from?: number | string;
  /** A run id or an as-of date. Default: the latest run that contains the scheme. */
  readonly to?: number | string;
  /** How many movers to list (default 20). */
  readonly movers?: number;
}

/** One cell of the from → to matrix; a null tier is "out of scope" (not graded in that run). */
export interface MigrationCell {
  readonly from: string | null;
  readonly to: string | null;
  readonly entities: number;
  /** Revenue of the `to` run (0 for entities that left). */
  readonly revenue: number;
}

/** An entity graded in both runs whose tier rank changed. */
export interface Mover {
  readonly entityId: string;
  readonly from: string;
  readonly to: string;
  readonly direction: "up" | "down";
  readonly revenue: number | null;
  readonly fromScore: number | null;
  readonly toScore: number | null;
  readonly ruleId: string | null;
  /** "spend(12 months) rose from 48,200 to 51,000, over Gold's 50,000", or the new rule. */
  readonly reason: string;
}

export interface Migrations {
  readonly scheme: string;
  readonly kind: SchemePlan["kind"];
  readonly from: { readonly runId: number; readonly asOf: string };
  readonly to: { readonly runId: number; readonly asOf: string };
  /** The `to` run's tier names in rank order: the matrix's rows and columns (plus out of scope). */
  readonly tiers: readonly string[];
  /** Non-empty cells, by from rank then to rank (out of scope last). */
  readonly matrix: readonly MigrationCell[];
  readonly totals: {
    readonly upgraded: number;
    readonly downgraded: number;
    readonly stayed: number;
    readonly entered: number;
    readonly left: number;
  };
  /** Movers by revenue of the `to` run (then entity id). */
  readonly movers: readonly Mover[];
  /** The `to` run's policy locale and currency: text renderings format every number in them. */
  readonly locale: string;
  readonly currency: string;
}

interface RunOfScheme extends SchemeInRun {
  readonly asOf: string;
  readonly kind: SchemePlan["kind"];
  readonly policyText: string;
}

const fmt = (n: number, locale: string) => formats(locale).number(n);

async function pick(
  engine: Engine,
  scheme: string,
  runs: readonly RunOfScheme[],
  spec: number | string,
): Promise<RunOfScheme> {
  if (typeof spec === "number") {
    const found = runs.find((r) => r.runId === spec);
    if (found) return found;
    await findRun(engine, spec);
    throw new TierwiseError("UNKNOWN_SCHEME", { scheme, where: `run ${spec}` });
  }
  if (!isCalendarDate(spec)) throw TierwiseError.of("option.run-or-date", { value: spec });
  const found = runs.find((r) => r.asOf <= spec);
  if (!found) throw new TierwiseError("NO_RUN_AT", { scheme, date: spec });
  return found;
}

function thresholdReason(
  plan: SchemePlan | undefined,
  locale: string,
  m: { from: number; to: number; a: number | null; b: number | null; tiers: readonly string[] },
): string | null {
  if (plan?.kind !== "thresholds" || m.a === null || m.b === null) return null;
  const up = m.to < m.from;
  const rank = up ? m.to : m.from;
  const bound = plan.bounds[rank - 1];
  const value = bound?.min ?? bound?.above;
  const tier = m.tiers[rank - 1] ?? bound?.tier;
  const moved = `${plan.metric.text} ${up ? "rose" : "fell"} from ${fmt(m.a, locale)} to ${fmt(m.b, locale)}`;
  return value === undefined ? moved : `${moved}, ${up ? "over" : "under"} ${tier}'s ${fmt(value, locale)}`;
}

/**
 * Compare one scheme's grades in two runs (default: the latest run that
 * contains it and the latest one with an earlier as-of): the from → to matrix of entities and revenue (of the `to`
 * run), upgrades, downgrades, stayed, entered and left scope, and the movers
 * by revenue with the main reason. Ranks are compared (a lower rank is
 * better) and named with the `to` run's tiers.
 *
 * @example
 * const m = await migrations(store, { scheme: "value-grades", from: "2025-10-01" });
 * console.log(m.totals.upgraded, m.movers[0]?.reason);
 */
export async function migrations(engine: Engine, options: MigrationOptions): Promise<Migrations> {
  const { scheme } = options;
  await findRun(engine);
  const runs: RunOfScheme[] = (await engine.query(runsOfSchemeSql(scheme))).map((r) => ({
    runId: r.run_id,
    asOf: r.as_of.slice(0, 10),
    schemeNo: r.scheme_no,
    kind: r.kind as SchemePlan["kind"],
    policyText: r.policy_text,
  }));
  if (runs.length === 0) throw new TierwiseError("UNKNOWN_SCHEME", { scheme, where: "any stored run" });
  const to = options.to === undefined ? (runs[0] as RunOfScheme) : await pick(engine, scheme, runs, options.to);
  let from: RunOfScheme | undefined;
  if (options.from !== undefined) from = await pick(engine, scheme, runs, options.from);
  else from = previousAsOf(runs, to);
  if (!from) {
    // A rerun on the same as-of is not a step in time; say how to compare with it anyway.
    const rerun = runs.find((r) => r.runId !== to.runId && r.asOf === to.asOf);
    const hint = rerun
      ? `run ${rerun.runId} has the same as-of ${to.asOf}, a rerun rather than an earlier date: compare with it by --from ${rerun.runId}, or grade an earlier date with tierwise backfill`
      : `grade an earlier date first, e.g. tierwise backfill --from DATE --to DATE`;
    throw new TierwiseError("NO_EARLIER_RUN", { scheme, run: to.runId }, undefined, hint);
  }

  const tiers = (await engine.query(runTiersSql(to))).map((r) => r.tier);
  const name = (rank: number | null) => (rank === null ? null : (tiers[rank - 1] ?? `rank ${rank}`));
  const cells = await engine.query(migrationMatrixSql(from, to));
  const matrix = cells
    .map((c) => ({
      fromRank: c.from_rank,
      toRank: c.to_rank,
      entities: c.entities,
      revenue: c.revenue,
    }))
    .sort((a, b) => (a.fromRank ?? 1e9) - (b.fromRank ?? 1e9) || (a.toRank ?? 1e9) - (b.toRank ?? 1e9));
  const totals = { upgraded: 0, downgraded: 0, stayed: 0, entered: 0, left: 0 };
  for (const c of matrix) {
    if (c.fromRank === null) totals.entered += c.entities;
    else if (c.toRank === null) totals.left += c.entities;
    else if (c.toRank < c.fromRank) totals.upgraded += c.entities;
    else if (c.toRank > c.fromRank) totals.downgraded += c.entities;
    else totals.stayed += c.entities;
  }

  const policy = planFromText(to.policyText);
  const plan = policy.schemes.find((s) => s.name === scheme);
  const moverRows = await engine.query(migrationMoversSql(from, to, options.movers ?? 20));
  const movers = moverRows.map((r): Mover => {
    const fromRank = r.from_rank;
    const toRank = r.to_rank;
    const ruleId = r.rule_id;
    const fromScore = r.from_score;
    const toScore = r.to_score;
    const byBound = ruleId?.startsWith("override:")
      ? null
      : thresholdReason(plan, policy.locale, { from: fromRank, to: toRank, a: fromScore, b: toScore, tiers });
    return {
      entityId: r.entity_id,
      from: name(fromRank) ?? "",
      to: name(toRank) ?? "",
      direction: toRank < fromRank ? "up" : "down",
      revenue: r.revenue,
      fromScore,
      toScore,
      ruleId,
      reason: byBound ?? (ruleId === null ? "" : ruleReason(plan, ruleId)),
    };
  });
  return {
    scheme,
    kind: to.kind,
    locale: policy.locale,
    currency: policy.currency,
    from: { runId: from.runId, asOf: from.asOf },
    to: { runId: to.runId, asOf: to.asOf },
    tiers,
    matrix: matrix.map((c) => ({
      from: name(c.fromRank),
      to: name(c.toRank),
      entities: c.entities,
      revenue: c.revenue,
    })),
    totals,
    movers,
  };
}
