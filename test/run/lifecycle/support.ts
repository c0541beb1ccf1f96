import type { Engine } from "../../../src/engine/engine.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { completedOrders, policyFile, seed } from "../support.js";

/**
 * Hand-checked lifecycle rules (DuckDB, and PostgreSQL in the postgres project).
 * Every scheme grades `spend(1 months)` (the calendar month before each run)
 * with Gold: enter at 500, keep at 400; Silver: enter at 200, keep at 150;
 * Member: everyone else. Five monthly runs, 2026-01-01 … 2026-05-01; a
 * customer's value at a run is the one order placed in the month before it:
 *
 * | value | entry tier | retention tier |
 * |---|---|---|
 * | 600, 500 | Gold | Gold |
 * | 450, 400 | Silver | Gold |
 * | 399.99, 300 | Silver | Silver |
 * | 100 | Member | Member |
 */
const TIERS = `    tiers:
      - { name: Gold, min: 500, keep: 400 }
      - { name: Silver, min: 200, keep: 150 }
      - { name: Member }`;
const scheme = (name: string, lifecycle: string) =>
  `  - name: ${name}\n    kind: thresholds\n    metric: spend(1 months)\n${TIERS}\n${lifecycle ? `    lifecycle: ${lifecycle}\n` : ""}`;
export const POLICY = `version: 1
currency: EUR
time_zone: UTC
schemes:
${scheme("Retention", "")}${scheme("Grace", "{ grace_days: 45 }")}${scheme("After two", "{ downgrade: after 2 evaluations }")}${scheme(
  "Period",
  "{ period: quarter, upgrade: next period, downgrade: period end }",
)}${scheme("Stay", "{ minimum_stay_days: 60 }")}${scheme("Never", "{ downgrade: never }")}`;

export const RUNS = ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"];
/** Per customer, the order value in the month before each run. */
export const VALUES: Record<string, number[]> = {
  A: [500, 400, 399.99, 100, 100],
  B: [450, 450, 600, 600, 100],
  C: [500, 100, 100, 100, 100],
  D: [500, 100, 450, 100, 100],
  E: [300, 600, 600, 600, 600],
  F: [500, 100, 100, 100, 100],
};

/** The order before each run is on the 15th of the month before it. */
function monthBefore(asOf: string): string {
  const [y, m] = asOf.split("-").map(Number) as [number, number];
  const py = m === 1 ? y - 1 : y;
  const pm = m === 1 ? 12 : m - 1;
  return `${py}-${String(pm).padStart(2, "0")}-15 12:00:00`;
}

/**
 * Seed the six customers with overrides (floor Gold on F in Retention, fixed
 * Member on E and ceiling Silver on B in Grace) and run the policy at the
 * five dates; returns the run ids.
 */
export async function seedLifecycle(engine: Engine): Promise<number[]> {
  const customers = Object.keys(VALUES).map((customer_id) => ({ customer_id }));
  const orders = Object.entries(VALUES).flatMap(([id, values]) =>
    completedOrders(
      id,
      values.map((v, k) => [monthBefore(RUNS[k] as string), v]),
    ),
  );
  await seed(engine, {
    customers,
    orders,
    tw_overrides: [
      { override_id: 1, scheme: "Retention", entity_id: "F", tier: "Gold", mode: "floor" },
      { override_id: 2, scheme: "Grace", entity_id: "E", tier: "Member", mode: "fixed" },
      { override_id: 3, scheme: "Grace", entity_id: "B", tier: "Silver", mode: "ceiling" },
    ],
  });
  const policy = await loadPolicy({ file: await policyFile(POLICY) });
  const ids: number[] = [];
  for (const asOf of RUNS) ids.push((await run(engine, policy, { asOf })).runId);
  return ids;
}
