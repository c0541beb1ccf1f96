import type { Engine } from "../engine/engine.js";
import type { PolicyPlan, SchemePlan } from "../plan/policy.js";
import { compileFor } from "../run/compile-for.js";
import { findRun, planFromText, type StoredRun } from "../run/runs.js";
import { compileRun } from "../sql/compile/compile-run.js";
import type { FactSource } from "../sql/compile/facts.js";
import { lifecycleSql, previousSnapshotSql } from "../sql/compile/lifecycle.js";
import type { SqlFragment } from "../sql/fragment.js";
import {
  currentGradesSql,
  cutoffSchemesSql,
  insertLiveTierChangeSql,
  type LiveGradeRow,
  liveGradesSql,
  upsertLiveGradesSql,
} from "../sql/realtime/live-grades.js";
import type { EventTable } from "./event-rows.js";

/** The fact sources an event of each table changes. */
const TOUCHES: Readonly<Record<EventTable, readonly FactSource[]>> = {
  orders: ["orders", "lines", "categories"],
  interactions: ["interactions"],
};

/** Where an event came from: the table, the row's id and when it was written. */
export interface EventRef {
  readonly table: EventTable;
  readonly id: string;
  /** UTC, `YYYY-MM-DD HH:MM:SS.mmm`. */
  readonly madeAt: string;
}

export interface LiveGrade {
  readonly scheme: string;
  readonly tier: string | null;
  readonly rank: number | null;
  readonly score: number | null;
  readonly rule: string | null;
  /** The run whose cut-offs a population-relative scheme was graded against (null: needs none). */
  readonly cutoffsRun: number | null;
}

export interface TierChange {
  readonly scheme: string;
  readonly from: string | null;
  readonly to: string | null;
}

export interface Regraded {
  readonly customer: string;
  /** The run the live grades stand on (the latest full run). */
  readonly run: number;
  readonly asOf: string;
  readonly grades: readonly LiveGrade[];
  readonly changes: readonly TierChange[];
  /** Schemes the event touches but that cannot be graded alone, with why. */
  readonly skipped: readonly { readonly scheme: string; readonly reason: string }[];
}

/** Checked plans by policy hash (a recorded policy's text never changes). */
const plans = new Map<string, PolicyPlan>();
/** Per store, the schemes of each run that stored cut-offs. */
const cutoffsCache = new WeakMap<Engine, Map<number, ReadonlySet<string>>>();

/** Per policy text: each customer scheme's fact sources and whether it needs the CLV model (compiled alone once). */
const inputsCache = new Map<string, Map<string, { sources: ReadonlySet<FactSource>; clv: boolean }>>();

function schemeInputs(plan: PolicyPlan, hash: string, dialect: Engine["dialect"]) {
  let inputs = inputsCache.get(hash);
  if (!inputs) {
    inputs = new Map();
    for (const scheme of plan.schemes) {
      const alone = compileRun(
        { ...plan, schemes: [scheme] },
        { date: "2000-01-01", timeZone: plan.timeZone },
        dialect,
      );
      inputs.set(scheme.name, { sources: alone.schemes[0]?.gradeSources ?? new Set(), clv: alone.clv.length > 0 });
    }
    if (inputsCache.size > 16) inputsCache.clear();
    inputsCache.set(hash, inputs);
  }
  return inputs;
}

/**
 * Re-grade one customer after an event, inside the caller's transaction:
 * every customer scheme of the latest run's policy whose facts read the
 * event's table, with the run's own compiled SQL cut to this customer
 * (src/sql/compile: `live`), population-relative schemes against the
 * cut-offs that run stored, lifecycle rules and overrides as a run applies
 * them. The grades are kept in tw_live_grades (until the next run) and a
 * tier change goes to the outbox as a run's does. Nothing when the store
 * has no run yet.
 */
export async function regradeCustomer(
  engine: Engine,
  customer: string,
  asOf: string,
  event: EventRef,
): Promise<Regraded | undefined> {
  let run: StoredRun;
  try {
    run = await findRun(engine);
  } catch {
    return undefined;
  }
  const plan = plans.get(run.policyHash) ?? planFromText(run.policyText);
  if (plans.size > 16) plans.clear();
  plans.set(run.policyHash, plan);
  const inputs = schemeInputs(plan, run.policyHash, engine.dialect);
  // A run's cut-offs never change once committed: read once per store and run.
  const known = cutoffsCache.get(engine) ?? new Map<number, ReadonlySet<string>>();
  cutoffsCache.set(engine, known);
  const withCutoffs =
    known.get(run.runId) ?? new Set((await engine.query(cutoffSchemesSql(run.runId))).map((r) => r.scheme));
  known.set(run.runId, withCutoffs);
  const touched = new Set(TOUCHES[event.table]);
  const skipped: { scheme: string; reason: string }[] = [];
  const chosen: SchemePlan[] = plan.schemes.filter((s) => {
    const i = inputs.get(s.name);
    if (s.entity !== "customers" || !i || ![...i.sources].some((x) => touched.has(x))) return false;
    if (i.clv) skipped.push({ scheme: s.name, reason: "reads the CLV model, fitted only by a full run" });
    return !i.clv;
  });
  const { compiled } = await compileFor(engine, { ...plan, schemes: chosen }, asOf, undefined, {
    entityId: customer,
    cutoffsRun: run.runId,
  });
  const schemes = compiled.schemes.filter((s) => {
    if (s.population === "staged") {
      skipped.push({ scheme: s.plan.name, reason: "ranks by a population-wide value that has no stored cut-offs" });
      return false;
    }
    if (s.population === "relative" && !withCutoffs.has(s.plan.name)) {
      skipped.push({ scheme: s.plan.name, reason: `run ${run.runId} stored no cut-offs for it` });
      return false;
    }
    return true;
  });
  const current = new Map((await engine.query(currentGradesSql(run.runId, customer))).map((g) => [g.scheme, g]));
  const grades: LiveGrade[] = [];
  const changes: TierChange[] = [];
  const facts = compiled.facts.find((f) => f.entity === "customers");
  if (!facts || schemes.length === 0) return { customer, run: run.runId, asOf, grades, changes, skipped };
  // The lifecycle as a run applies it: against the scheme's latest snapshot before the as-of.
  const lifecycles: (SqlFragment | undefined)[] = [];
  for (const s of schemes) {
    const plan = s.plan;
    if (!plan.lifecycle) {
      lifecycles.push(undefined);
      continue;
    }
    const p = (await engine.query(previousSnapshotSql(plan.name, asOf)))[0];
    const previous = p ? { runId: p.run_id, schemeNo: p.scheme_no, asOf: p.as_of } : undefined;
    lifecycles.push(
      lifecycleSql({ ...plan, lifecycle: plan.lifecycle }, s.gradesTable, asOf, previous, engine.dialect),
    );
  }
  const rows = await engine.query(liveGradesSql(schemes, asOf, facts, lifecycles));
  const stored: LiveGradeRow[] = [];
  for (const [i, s] of schemes.entries()) {
    const row = rows.find((r) => r.no === i);
    const cutoffsRun = s.population === "relative" ? run.runId : null;
    const grade: LiveGrade = {
      scheme: s.plan.name,
      tier: row?.tier ?? null,
      rank: row?.tier_rank ?? null,
      score: row?.score ?? null,
      rule: row?.rule_id ?? null,
      cutoffsRun,
    };
    grades.push(grade);
    stored.push({
      scheme: grade.scheme,
      tier: grade.tier,
      tierRank: grade.rank,
      score: grade.score,
      ruleId: grade.rule,
      lifeState: row?.life_state ?? null,
      dueOn: row?.due_on ?? null,
      cutoffsRun,
    });
    const from = current.get(s.plan.name)?.tier ?? null;
    if (from !== grade.tier) {
      changes.push({ scheme: s.plan.name, from, to: grade.tier });
      await engine.exec(engine.dialect.lockOutbox());
      await engine.exec(
        insertLiveTierChangeSql({
          runId: run.runId,
          asOf,
          scheme: s.plan.name,
          customerId: customer,
          from,
          to: grade.tier,
          reason: grade.tier === null ? "left scope" : grade.rule,
          key: `live:${event.table}:${event.id}:${s.plan.name}:${customer}`,
          createdAt: event.madeAt,
        }),
      );
    }
  }
  await engine.exec(upsertLiveGradesSql(customer, run.runId, asOf, event, stored));
  return { customer, run: run.runId, asOf, grades, changes, skipped };
}
