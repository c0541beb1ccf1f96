/**
 * A small known history for `history` and `migrations`: value-grades run at
 * three as-of dates (windows of the 12 months before each), with orders and
 * customers added between runs and one customer removed.
 *
 * | customer | run 1 (2025-07-01) | run 2 (2025-10-01) | run 3 (2026-01-01) |
 * |---|---|---|---|
 * | A | Silver 48,200 | Gold 51,000 (+2,800 on 2025-08-01) | Gold 51,000 |
 * | B | Gold 60,000 (2024-08-01) | Potential 0 (order left the window) | Potential 0 |
 * | C | Regular 10,000 | Regular 10,000 | Silver 25,000 (+15,000 on 2025-11-01) |
 * | D | VIP 150,000 | VIP | VIP |
 * | E | Potential | Potential | out of scope (removed) |
 * | F | — | Regular 5,000 (added) | Regular 5,000 |
 * | G | — | — | Regular 1,000 (added) |
 * | H | Gold 55,000 | Gold 55,000 | Silver 24,000 (31,000 of 2024-12-15 left the window) |
 */
import type { Engine } from "../../../src/engine/engine.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { completedOrders, grade, seed } from "../support.js";

const PRESET = { presets: ["value-grades"] };

export async function seedHistory(engine: Engine): Promise<void> {
  await seed(engine, {
    customers: ["A", "B", "C", "D", "E", "H"].map((customer_id) => ({ customer_id })),
    orders: [
      ...completedOrders("A", [["2025-03-01 12:00:00", 48200]]),
      ...completedOrders("B", [["2024-08-01 12:00:00", 60000]]),
      ...completedOrders("C", [["2025-05-01 12:00:00", 10000]]),
      ...completedOrders("D", [["2025-06-01 12:00:00", 150000]]),
      ...completedOrders("H", [
        ["2024-12-15 12:00:00", 31000],
        ["2025-02-01 12:00:00", 24000],
      ]),
    ],
  });
  await grade(engine, PRESET, "2025-07-01");
  await seed(engine, {
    customers: [{ customer_id: "F" }],
    orders: [
      ...completedOrders("A", [["2025-08-01 12:00:00", 2800]], "A-late"),
      ...completedOrders("F", [["2025-09-01 12:00:00", 5000]]),
    ],
  });
  await grade(engine, PRESET, "2025-10-01");
  await seed(engine, {
    customers: [{ customer_id: "G" }],
    orders: [
      ...completedOrders("C", [["2025-11-01 12:00:00", 15000]], "C-late"),
      ...completedOrders("G", [["2025-12-01 12:00:00", 1000]]),
    ],
  });
  await engine.exec(sql`DELETE FROM ${ident("customers")} WHERE customer_id = ${"E"}`);
  await grade(engine, PRESET, "2026-01-01");
}

/** A (60,000: Gold), B (20,000: Silver) and C (500: Regular) under value-grades, each from one order of 2025-06-01. */
export async function seedGoldSilverRegular(engine: Engine): Promise<void> {
  await seed(engine, {
    customers: ["A", "B", "C"].map((customer_id) => ({ customer_id })),
    orders: [
      ...completedOrders("A", [["2025-06-01 12:00:00", 60000]]),
      ...completedOrders("B", [["2025-06-01 12:00:00", 20000]]),
      ...completedOrders("C", [["2025-06-01 12:00:00", 500]]),
    ],
  });
}
