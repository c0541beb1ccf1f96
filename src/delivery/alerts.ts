import type { Engine } from "../engine/engine.js";
import type { PolicyPlan } from "../plan/policy.js";
import type { ChurnModel } from "../sql/compile/churn.js";
import { insertAlertEventsSql, previousRunOfSchemeSql } from "../sql/delivery/alerts.js";

/** Churn defaults (docs/policy.md, Churn) for plans stored before `churn:` existed. */
const DEFAULT_CHURN = { days: 180, k: 3 } as const;

/**
 * Add the policy's alert events (policy `alerts:`) for a run being written,
 * inside its snapshot transaction, after the tier changes: per alert, one
 * INSERT of the customers who newly meet its condition since the scheme's
 * previous run. A scheme's first run is the baseline: no previous tiers, no
 * alerts.
 */
export async function insertAlertEvents(
  engine: Engine,
  plan: PolicyPlan,
  run: { readonly runId: number; readonly asOf: string; readonly createdAt: string },
  model?: ChurnModel,
): Promise<void> {
  const alerts = plan.alerts ?? [];
  if (alerts.length === 0) return;
  const dialect = engine.dialect;
  const previousRuns = new Map<string, { runId: number; asOf: string } | undefined>();
  for (const alert of alerts) {
    if (!previousRuns.has(alert.scheme)) {
      const row = (await engine.query(previousRunOfSchemeSql(run.runId, run.asOf, alert.scheme)))[0];
      previousRuns.set(alert.scheme, row ? { runId: row.run_id, asOf: row.as_of.slice(0, 10) } : undefined);
    }
    const previous = previousRuns.get(alert.scheme);
    if (!previous) continue;
    await engine.exec(
      insertAlertEventsSql(alert, {
        dialect,
        ...run,
        previous,
        churn: plan.churn ?? DEFAULT_CHURN,
        ...(model ? { model } : {}),
      }),
    );
  }
}
