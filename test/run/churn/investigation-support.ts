import type { Engine } from "../../../src/engine/engine.js";
import { type FixtureRow, grade, policyFile, seed } from "../support.js";

/** A two-tier policy: Gold from 1,000 of spend in 24 months, everyone else Rest (the lowest tier). */
export const GOLD_POLICY = `version: 1
schemes:
  - name: s
    kind: thresholds
    metric: spend(24 months)
    tiers:
      - { name: Gold, min: 1000 }
      - { name: Rest }
`;

const orders = (customer: string, days: readonly string[], extra: FixtureRow = {}): FixtureRow[] =>
  days.map((day, i) => ({
    order_id: `${customer}-o${i + 1}`,
    customer_id: customer,
    ordered_at: `${day} 12:00:00`,
    amount: 500,
    discount: 100,
    status: "completed",
    ...extra,
  }));

let interactionNo = 0;
const said = (customer: string, kind: string, days: readonly string[], outcome: string | null = null): FixtureRow[] =>
  days.map((day) => ({
    interaction_id: `I${++interactionNo}`,
    customer_id: customer,
    at: `${day} 12:00:00`,
    kind,
    outcome,
  }));

/**
 * A hand-checked investigation (run as of 2025-07-01, churn 180 days, k = 3),
 * no order lines or products (so the line signals are unavailable):
 *
 * | customer | orders (500 + 100 discount each) | turned | window | in the window |
 * |---|---|---|---|---|
 * | C1 | 2024-10-01, 11-01, 12-01 (median gap 30.5 → 180 days) | 2025-05-30 | 2024-09-03 .. 2024-12-01 | 3 complaints, 1 returned order (not those of 2024-08-01 and 2024-12-20) |
 * | C2 | same | 2025-05-30 | same | 2 complaints, one unfounded |
 * | C3 | same | 2025-05-30 | same | 4 complaints |
 * | R1 | 2025-04-15, 05-15, 06-15 | no | 2025-04-02 .. 2025-06-30 | 1 complaint (not those of 2025-03-01 and the as-of day) |
 * | R2 | same | no | same | 1 returned order |
 * | R3 | same | no | same | 1 support interaction |
 * | R4 | same | no | same | nothing |
 * | X1 | 2025-05-01, 100 (Rest) | no | — | 5 complaints (other tier) |
 *
 * Expected, by |d|: complaints 3 vs 0.25 per customer (d 3.708), unfounded
 * 1/3 vs 0 (0.913), service interactions 0 vs 0.25 (−0.645), returns 1/3 vs
 * 0.25 (0.157), discount share 1/6 vs 1/6 (0).
 */
export async function seedInvestigation(engine: Engine): Promise<void> {
  interactionNo = 0;
  const churnedDays = ["2024-10-01", "2024-11-01", "2024-12-01"];
  const retainedDays = ["2025-04-15", "2025-05-15", "2025-06-15"];
  await seed(engine, {
    customers: ["C1", "C2", "C3", "R1", "R2", "R3", "R4", "X1"].map((customer_id) => ({ customer_id })),
    orders: [
      ...["C1", "C2", "C3"].flatMap((c) => orders(c, churnedDays)),
      ...["R1", "R2", "R3", "R4"].flatMap((c) => orders(c, retainedDays)),
      ...orders("C1-r", ["2024-11-15"], { customer_id: "C1", status: "returned", amount: 200, discount: null }),
      ...orders("R2-r", ["2025-05-20"], { customer_id: "R2", status: "returned", amount: 200, discount: null }),
      ...orders("X1", ["2025-05-01"], { amount: 100, discount: null }),
    ],
    interactions: [
      ...said("C1", "complaint", ["2024-08-01", "2024-10-10", "2024-10-20", "2024-11-10", "2024-12-20"]),
      ...said("C2", "complaint", ["2024-10-05"], "unfounded"),
      ...said("C2", "complaint", ["2024-11-05"], "founded"),
      ...said("C3", "complaint", ["2024-09-10", "2024-09-20", "2024-10-15", "2024-11-25"]),
      ...said("R1", "complaint", ["2025-03-01", "2025-05-01", "2025-07-01"]),
      ...said("R3", "support", ["2025-06-01"]),
      ...said("X1", "complaint", ["2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-06"]),
    ],
  });
  await grade(engine, { file: await policyFile(GOLD_POLICY) }, "2025-07-01");
}
