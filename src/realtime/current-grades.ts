import type { Engine } from "../engine/engine.js";
import { findRun } from "../run/runs.js";
import { currentGradesSql } from "../sql/realtime/live-grades.js";

export interface CurrentGrade {
  readonly scheme: string;
  readonly tier: string | null;
  readonly rank: number | null;
  readonly score: number | null;
  readonly rule: string | null;
  readonly lifeState: string | null;
  readonly dueOn: string | null;
  /** `run`: the latest run's grade; `live`: re-graded by an event since. */
  readonly source: "run" | "live";
  /** Live grades: the event that made it, when, at which as-of, against which run's cut-offs. */
  readonly event: { readonly table: string; readonly id: string; readonly at: string } | null;
  readonly asOf: string | null;
  readonly cutoffsRun: number | null;
}

/** A customer's grades now: the latest run's, overlaid with the live grades events made since (per scheme). */
export async function currentGrades(
  engine: Engine,
  customer: string,
): Promise<{ run: { id: number; asOf: string }; grades: CurrentGrade[] }> {
  const run = await findRun(engine);
  const rows = await engine.query(currentGradesSql(run.runId, customer));
  return {
    run: { id: run.runId, asOf: run.asOf },
    grades: rows.map((r) => ({
      scheme: r.scheme,
      tier: r.tier,
      rank: r.tier_rank,
      score: r.score,
      rule: r.rule_id,
      lifeState: r.life_state,
      dueOn: r.due_on,
      source: r.live ? "live" : "run",
      event:
        r.live && r.event_table !== null && r.event_id !== null && r.made_at !== null
          ? { table: r.event_table, id: r.event_id, at: r.made_at }
          : null,
      asOf: r.live ? r.as_of : run.asOf,
      cutoffsRun: r.cutoffs_run,
    })),
  };
}
