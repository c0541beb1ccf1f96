import { fitChurnModel } from "../clv-store/churn-model.js";
import { buildClvMetrics } from "../clv-store/run-metrics.js";
import { insertAlertEvents } from "../delivery/alerts.js";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import type { PolicyPlan } from "../plan/policy.js";
import type { LoadedPolicy } from "../policy/load-policy.js";
import { CLV_METRICS_TABLE } from "../sql/clv-store/metrics.js";
import type { ChurnModel } from "../sql/compile/churn.js";
import type { CompiledRun } from "../sql/compile/compile-run.js";
import { lifecycleSql, previousSnapshotSql } from "../sql/compile/lifecycle.js";
import { insertEventsSql, previousRunsSql } from "../sql/delivery/events.js";
import { insertCutoffsSql } from "../sql/run/cutoffs.js";
import { nextRunIdSql } from "../sql/run/runs.js";
import {
  createTempSql,
  dropTempSql,
  entityCountSql,
  fingerprintSql,
  insertGradesSql,
  insertRunSql,
  insertSchemeNamesSql,
  tierTotalsSql,
} from "../sql/run/snapshot.js";
import { compileFor } from "./compile-for.js";
import { insertNoticeEvents } from "./notices.js";
import type { SharedWork } from "./shared-work.js";

export interface RunOptions {
  /** As-of date `YYYY-MM-DD` (default: today in UTC). Only facts before it count. */
  readonly asOf?: string;
  /** Called before each step with a short description. */
  readonly onStep?: (step: string, done: number, total: number) => void;
  /** Test hook: throw at the named step (to prove atomicity). */
  readonly failAt?: string;
}

export interface TierResult {
  readonly tier: string;
  readonly rank: number;
  readonly entities: number;
  /** Share of the scheme's graded entities, 0..1. */
  readonly share: number;
  /** Net spend over the policy's revenue window (leads: their amount). */
  readonly revenue: number;
  readonly revenueShare: number;
}

export interface SchemeResult {
  readonly scheme: string;
  readonly kind: string;
  readonly entity: "customers" | "leads";
  readonly visibility: "internal" | "customer-facing";
  readonly graded: number;
  /** Entities known at as-of but outside the scheme's population. */
  readonly outOfScope: number;
  readonly tiers: readonly TierResult[];
}

export interface RunResult {
  readonly runId: number;
  readonly asOf: string;
  readonly policyHash: string;
  readonly dataFingerprint: string;
  readonly durationMs: number;
  readonly currency: string;
  /** The policy's locale: text renderings format every number in it. */
  readonly locale: string;
  readonly schemes: readonly SchemeResult[];
  readonly warnings: readonly string[];
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Build the facts and grade tables of a compiled run (outside any transaction: DuckDB scans such tables faster). */
export async function buildGrades(engine: Engine, compiled: CompiledRun, step: (name: string) => void): Promise<void> {
  for (const f of compiled.facts) {
    step(`facts for ${f.entity}`);
    await engine.exec(createTempSql(f.table, f.query));
  }
  for (const s of compiled.schemes) {
    step(`grading ${s.plan.name}`);
    await engine.exec(createTempSql(s.gradesTable, s.grades));
  }
}

/** Apply each lifecycle scheme's rules to its fresh grades against its previous snapshot (outside the transaction). */
export async function applyLifecycles(engine: Engine, compiled: CompiledRun, asOf: string): Promise<void> {
  for (const s of compiled.schemes) {
    const plan = s.plan;
    if (!plan.lifecycle) continue;
    const row = (await engine.query(previousSnapshotSql(plan.name, asOf)))[0];
    const previous = row ? { runId: row.run_id, schemeNo: row.scheme_no, asOf: row.as_of } : undefined;
    await engine.exec(
      createTempSql(
        s.lifecycleTable,
        lifecycleSql({ ...plan, lifecycle: plan.lifecycle }, s.gradesTable, asOf, previous, engine.dialect),
      ),
    );
  }
}

/**
 * What the facts read besides the store's tables: the CLV metrics table when
 * the policy names p_alive, expected_orders or clv (the buying model fitted as
 * of the date). Returns warnings (e.g. the model could not be fitted).
 */
export async function prepareFacts(
  engine: Engine,
  compiled: CompiledRun,
  plan: PolicyPlan,
  asOf: string,
): Promise<string[]> {
  if (compiled.clv.length === 0) return [];
  return [...(await buildClvMetrics(engine, compiled.clv, plan, asOf)).warnings];
}

export async function dropAll(engine: Engine, compiled: CompiledRun): Promise<void> {
  if (compiled.clv.length > 0) await engine.exec(dropTempSql(CLV_METRICS_TABLE));
  for (const s of compiled.schemes) {
    await engine.exec(dropTempSql(s.gradesTable));
    if (s.plan.lifecycle) await engine.exec(dropTempSql(s.lifecycleTable));
  }
  for (const f of compiled.facts) await engine.exec(dropTempSql(f.table));
}

/**
 * Grade every entity by every scheme of the policy as of a date and write
 * one snapshot atomically (tw_runs + tw_assignments in one transaction). A
 * run that fails or is killed leaves the previous snapshot as the latest.
 * @example
 * const store = await openStore("shop.duckdb");
 * const result = await run(store, await loadPolicy({ presets: ["value-grades"] }), { asOf: "2026-01-01" });
 */
export async function run(engine: Engine, policy: LoadedPolicy, options: RunOptions = {}): Promise<RunResult> {
  return runWith(engine, policy, options);
}

/**
 * `run`, reusing a backfill's shared work when given (the snapshot written is
 * the same: one transaction, the same rows, summary and events).
 */
export async function runWith(
  engine: Engine,
  policy: LoadedPolicy,
  options: RunOptions,
  shared?: SharedWork,
): Promise<RunResult> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString().replace("T", " ").slice(0, 23);
  const asOf = options.asOf ?? todayUtc();
  const { compiled, warnings } = await compileFor(engine, policy.plan, asOf, shared);
  const total = compiled.facts.length + compiled.schemes.length + 2 + (compiled.clv.length > 0 ? 1 : 0);
  let done = 0;
  const step = (name: string) => {
    if (options.failAt === name) throw TierwiseError.of("option.test-hook-step", { step: name });
    options.onStep?.(name, done++, total);
  };
  try {
    if (compiled.clv.length > 0) step("fitting the CLV model");
    warnings.push(...(await prepareFacts(engine, compiled, policy.plan, asOf)));
    await buildGrades(engine, compiled, step);
    await applyLifecycles(engine, compiled, asOf);
    step("fingerprint");
    const fingerprint = shared ? shared.fingerprint : ((await engine.query(fingerprintSql()))[0]?.fp ?? "");
    const counts = new Map<string, number>();
    for (const f of compiled.facts) counts.set(f.entity, (await engine.query(entityCountSql(f.table)))[0]?.n ?? 0);
    // Alerts on turning use the churn definition's CLV criterion when the policy asks for it (fitted before the transaction).
    let churnModel: ChurnModel | undefined;
    if (policy.plan.alerts?.some((a) => a.when !== "downgraded")) {
      try {
        churnModel = await fitChurnModel(engine, policy.plan, asOf);
      } catch (e) {
        warnings.push(
          `alerts use the days criterion only: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`,
        );
      }
    }
    step("writing snapshot");
    const { runId, schemes } = await engine.transaction(async () => {
      const id = (await engine.query(nextRunIdSql()))[0]?.id ?? 1;
      for (const [k, s] of compiled.schemes.entries()) {
        await engine.exec(insertSchemeNamesSql(id, k + 1, s.plan));
        await engine.exec(insertGradesSql(id, k + 1, s, asOf));
        // Population-relative schemes: the cut-offs events grade one customer against until the next run.
        const cutoffs = insertCutoffsSql(id, s);
        if (cutoffs) await engine.exec(cutoffs);
        if (options.failAt === `insert ${s.plan.name}`) throw TierwiseError.of("option.test-hook", {});
      }
      // The outbox and alerts below read this run's rows: plan them for the rows now there.
      await engine.exec(
        engine.dialect.refreshStatistics(["tw_grades", "tw_run_schemes", "tw_run_tiers", "tw_run_rules"]),
      );
      const totals = await engine.query(tierTotalsSql(id));
      const results: SchemeResult[] = compiled.schemes.map((s, k) => {
        const rows = totals.filter((t) => t.scheme_no === k + 1);
        const graded = rows.reduce((n, r) => n + r.entities, 0);
        const revenue = rows.reduce((n, r) => n + r.revenue, 0);
        return {
          scheme: s.plan.name,
          kind: s.plan.kind,
          entity: s.plan.entity,
          visibility: s.plan.visibility,
          graded,
          outOfScope: (counts.get(s.plan.entity) ?? 0) - graded,
          tiers: s.plan.tiers.map((tier, i) => {
            const r = rows.find((x) => x.tier_rank === i + 1);
            const entities = r?.entities ?? 0;
            const rev = r?.revenue ?? 0;
            return {
              tier,
              rank: i + 1,
              entities,
              share: graded > 0 ? entities / graded : 0,
              revenue: rev,
              revenueShare: revenue > 0 ? rev / revenue : 0,
            };
          }),
        };
      });
      // The outbox: tier changes against each scheme's previous run, committed with the snapshot.
      await engine.exec(engine.dialect.lockOutbox());
      const previousRuns = (await engine.query(previousRunsSql(id, asOf))).map((r) => r.p_run);
      if (previousRuns.length > 0) await engine.exec(insertEventsSql(id, asOf, startedAt, previousRuns));
      await insertAlertEvents(engine, policy.plan, { runId: id, asOf, createdAt: startedAt }, churnModel);
      await insertNoticeEvents(engine, policy.plan, { runId: id, asOf, createdAt: startedAt });
      const durationMs = Date.now() - started;
      await engine.exec(
        insertRunSql({
          runId: id,
          asOf,
          startedAt,
          durationMs,
          policyHash: policy.hash,
          policyText: policy.text,
          fingerprint,
          engine: engine.dialect.name,
          summary: JSON.stringify({ schemes: results, warnings }),
        }),
      );
      if (options.failAt === "before commit") throw TierwiseError.of("option.test-hook", {});
      return { runId: id, schemes: results };
    });
    return {
      runId,
      asOf,
      policyHash: policy.hash,
      dataFingerprint: fingerprint,
      durationMs: Date.now() - started,
      currency: policy.plan.currency,
      locale: policy.plan.locale,
      schemes,
      warnings: [...warnings, ...policy.warnings.map((w) => w.oneLine())],
    };
  } finally {
    await dropAll(engine, compiled).catch(() => undefined);
  }
}
