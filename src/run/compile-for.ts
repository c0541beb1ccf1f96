import type { Engine } from "../engine/engine.js";
import type { PolicyPlan } from "../plan/policy.js";
import { withoutUnavailable } from "../policy/unavailable.js";
import { type CompiledRun, compileRun } from "../sql/compile/compile-run.js";
import type { SharedSources } from "../sql/compile/facts.js";
import type { LiveGrading } from "../sql/compile/scheme.js";
import { hasRowsSql } from "../sql/store/store-meta.js";

/** Metrics that need order lines; without any they are unavailable and conditions are evaluated without them. */
const LINE_METRICS = new Set(["categories", "new_categories"]);

/** Whether the store has order lines (without any, line metrics are unavailable). */
export async function hasOrderLines(engine: Engine): Promise<boolean> {
  return ((await engine.query(hasRowsSql("order_lines")))[0]?.n ?? 0) > 0;
}

/**
 * Compile a policy for the store's engine and data (unavailable signals
 * dropped, with warnings). A backfill passes what it knows already: whether
 * there are order lines, and the relations it built once for all its dates.
 * `live`: one customer graded alone (real time), the same SQL cut to its rows.
 */
export async function compileFor(
  engine: Engine,
  policyPlan: PolicyPlan,
  asOf: string,
  known?: { readonly lines: boolean; readonly sources: SharedSources },
  live?: LiveGrading,
): Promise<{ compiled: CompiledRun; warnings: string[] }> {
  const lines = known ? known.lines : await hasOrderLines(engine);
  const { plan, warnings } = withoutUnavailable(policyPlan, lines ? new Set() : LINE_METRICS);
  const compiled = compileRun(plan, { date: asOf, timeZone: plan.timeZone }, engine.dialect, known?.sources, live);
  return { compiled, warnings };
}
