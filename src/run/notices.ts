import type { Engine } from "../engine/engine.js";
import type { PolicyPlan } from "../plan/policy.js";
import { insertNoticeEventsSql } from "../sql/compile/notices.js";
import { previousRunOfSchemeSql } from "../sql/delivery/alerts.js";

/**
 * Add the notice events of the schemes with `notices:` (docs/policy.md,
 * Notices) for a run being written, inside its snapshot transaction, after
 * the tier changes and alerts. A scheme's first run is the baseline: no
 * notices, as no tier changes.
 */
export async function insertNoticeEvents(
  engine: Engine,
  plan: PolicyPlan,
  run: { readonly runId: number; readonly asOf: string; readonly createdAt: string },
): Promise<void> {
  for (const scheme of plan.schemes) {
    if (scheme.notices === undefined) continue;
    const previous = (await engine.query(previousRunOfSchemeSql(run.runId, run.asOf, scheme.name)))[0];
    if (!previous) continue;
    for (const statement of insertNoticeEventsSql(scheme, { ...run, previousRunId: previous.run_id }))
      await engine.exec(statement);
  }
}
