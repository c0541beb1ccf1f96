import type { Engine } from "../../../src/engine/engine.js";
import { completedOrders, grade, seed } from "../support.js";

/**
 * A hand-checked churn history (defaults: 180 days, k = 3), value-grades run
 * on 2025-01-01 (R1) and 2025-07-01 (R2, the latest):
 *
 * | customer | orders (completed) | turns on | R1 tier | R2 tier |
 * |---|---|---|---|---|
 * | P | 2024-12-01 60,000 (single) | 2025-05-30 (+180) | Gold | Gold |
 * | Q | 2024-11-01/11/21, 12-01, 10,000 each (median 10) | 2025-05-30 (+180) | Silver | Silver |
 * | R | 2024-01-15, 04-14, 07-13, 10,000 each (median 90) | 2025-04-09 (+270, not +180) | Silver | Regular |
 * | W | the 1st of every month 2024-07..2025-06, 1,000 each (median 31) | — (next expected 2025-07-02) | Regular | Regular |
 * | Y | 2025-01-02 5,000 | 2025-07-01: exactly 180 days at the latest as-of | Potential | Regular |
 * | Z | 2025-01-03 4,000 | 2025-07-02: at risk (expected +60 = 2025-03-04) | Potential | Regular |
 * | V | 2025-03-01/11/21, 20,000 each (median 10) | 2025-09-17: at risk (expected 2025-03-31) | Potential | Gold |
 */
export async function seedChurn(engine: Engine): Promise<void> {
  const monthly = Array.from({ length: 12 }, (_, i) => {
    const m = new Date(Date.UTC(2024, 6 + i, 1)).toISOString().slice(0, 10);
    return [`${m} 12:00:00`, 1000] as const;
  });
  await seed(engine, {
    customers: ["P", "Q", "R", "W", "Y", "Z", "V"].map((customer_id) => ({ customer_id })),
    orders: [
      ...completedOrders("P", [["2024-12-01 12:00:00", 60000]]),
      ...completedOrders(
        "Q",
        ["2024-11-01", "2024-11-11", "2024-11-21", "2024-12-01"].map((d) => [`${d} 12:00:00`, 10000] as const),
      ),
      ...completedOrders(
        "R",
        ["2024-01-15", "2024-04-14", "2024-07-13"].map((d) => [`${d} 12:00:00`, 10000] as const),
      ),
      ...completedOrders("W", monthly),
      ...completedOrders("Y", [["2025-01-02 12:00:00", 5000]]),
      ...completedOrders("Z", [["2025-01-03 12:00:00", 4000]]),
      ...completedOrders(
        "V",
        ["2025-03-01", "2025-03-11", "2025-03-21"].map((d) => [`${d} 12:00:00`, 20000] as const),
      ),
      { order_id: "R-ret", customer_id: "R", ordered_at: "2024-08-01 12:00:00", status: "returned", amount: 9999 },
    ],
  });
  await grade(engine, { presets: ["value-grades"] }, "2025-01-01");
  await grade(engine, { presets: ["value-grades"] }, "2025-07-01");
}
