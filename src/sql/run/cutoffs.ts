import type { CompiledScheme } from "../compile/compile-run.js";
import { CUTOFFS_TABLE } from "../compile/cutoffs.js";
import { ident, integer, type SqlFragment, sql } from "../fragment.js";

/**
 * Store a population-relative scheme's cut-offs with its run (inside the
 * snapshot transaction, while the run's facts and grades tables exist), so
 * that events grade one customer against this run's population.
 */
export function insertCutoffsSql(runId: number, s: CompiledScheme): SqlFragment | undefined {
  if (s.cutoffs === undefined) return undefined;
  return sql`INSERT INTO ${ident(CUTOFFS_TABLE)} (run_id, scheme, part, step, value)
  SELECT ${integer(runId)}, ${s.plan.name}, x.part, x.step, x.value FROM (${s.cutoffs}) x WHERE x.step IS NOT NULL`;
}
