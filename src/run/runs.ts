import type { Engine } from "../engine/engine.js";
import { didYouMean, TierwiseError } from "../errors/index.js";
import type { PolicyPlan } from "../plan/policy.js";
import { checkPolicy } from "../policy/check-policy.js";
import { PolicyErrors } from "../policy/codes.js";
import { runsOfSchemeSql } from "../sql/insight/history.js";
import { runSql } from "../sql/run/records.js";

/** A stored run, as recorded in tw_runs. */
export interface StoredRun {
  readonly runId: number;
  readonly asOf: string;
  readonly policyHash: string;
  readonly policyText: string;
  readonly dataFingerprint: string;
  readonly engine: string;
  readonly summary: string;
}

/**
 * The run with this id, or the latest run: the latest as-of, ties to the
 * newest run (src/sql/run/run-order.ts) — never simply the highest id. The
 * one way every command picks its default run (per scheme: runsOfScheme).
 */
export async function findRun(engine: Engine, runId?: number): Promise<StoredRun> {
  const row = (await engine.query(runSql(runId)))[0];
  if (!row)
    throw runId === undefined ? new TierwiseError("NO_RUNS", {}) : new TierwiseError("RUN_NOT_FOUND", { run: runId });
  return {
    runId: row.run_id,
    asOf: row.as_of.slice(0, 10),
    policyHash: row.policy_hash,
    policyText: row.policy_text,
    dataFingerprint: row.data_fingerprint,
    engine: row.engine,
    summary: row.summary,
  };
}

/** The checked plan of a recorded policy text (presets run together are YAML documents separated by `---`). */
export function planFromText(text: string): PolicyPlan {
  const docs = text.split(/^---$/m);
  const plans = docs.map((doc, i) => {
    const { plan, problems } = checkPolicy(doc, `recorded policy (document ${i + 1})`);
    if (!plan) throw new PolicyErrors(problems);
    return plan;
  });
  const [first] = plans;
  if (!first) throw new PolicyErrors([]);
  const alerts = plans.flatMap((p) => p.alerts ?? []);
  return {
    ...first,
    schemes: plans.flatMap((p) => p.schemes),
    metrics: plans.flatMap((p) => p.metrics),
    ...(alerts.length > 0 ? { alerts } : {}),
  };
}

/** A stored run that contains a scheme: the scheme's number in it and the recorded policy. */
export interface RunOfScheme {
  readonly runId: number;
  readonly asOf: string;
  readonly schemeNo: number;
  readonly policyText: string;
}

/**
 * Of runs listed latest first (runsOfScheme), the one a comparison with `run`
 * starts from: the latest with an earlier as-of (ties to the newest run). A
 * second run at the same as-of is a rerun, not a step in time.
 */
export function previousAsOf<R extends { readonly runId: number; readonly asOf: string }>(
  runs: readonly R[],
  run: { readonly runId: number; readonly asOf: string },
): R | undefined {
  return runs.find((r) => r.asOf < run.asOf);
}

/** The runs that contain a scheme, latest first (the latest as-of, ties to the newest run; empty when none does). */
export async function runsOfScheme(engine: Engine, scheme: string): Promise<RunOfScheme[]> {
  return (await engine.query(runsOfSchemeSql(scheme))).map((r) => ({
    runId: r.run_id,
    asOf: r.as_of.slice(0, 10),
    schemeNo: r.scheme_no,
    policyText: r.policy_text,
  }));
}

/**
 * The run of a scheme a command reports on: the one asked for, else the
 * latest (by as-of, ties to the newest run) that holds the scheme (`scheme` defaults to `fallback` of the latest
 * run's policy). Throws UNKNOWN_SCHEME (with a did-you-mean over the latest
 * run's schemes) or RUN_NOT_FOUND.
 */
export async function schemeRun(
  engine: Engine,
  scheme: string | undefined,
  runId: number | undefined,
  fallback: (policyText: string) => string,
): Promise<{ readonly scheme: string; readonly run: RunOfScheme; readonly runs: readonly RunOfScheme[] }> {
  const latest = await findRun(engine);
  const name = scheme ?? fallback(latest.policyText);
  const runs = await runsOfScheme(engine, name);
  const run = runId === undefined ? runs[0] : runs.find((r) => r.runId === runId);
  if (run) return { scheme: name, run, runs };
  if (runId !== undefined && runs.length > 0) {
    await findRun(engine, runId);
    throw new TierwiseError("UNKNOWN_SCHEME", { scheme: name, where: `run ${runId}` });
  }
  const known = planFromText(latest.policyText).schemes.map((s) => s.name);
  throw new TierwiseError(
    "UNKNOWN_SCHEME",
    { scheme: name, where: "any stored run" },
    undefined,
    didYouMean(name, known) ?? `schemes: ${known.join(", ")}`,
  );
}
