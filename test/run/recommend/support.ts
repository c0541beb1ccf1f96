import type { Engine } from "../../../src/engine/engine.js";
import { type FixtureRow, grade, seed } from "../support.js";

/**
 * A hand-checked cross-sell fixture, value-grades as of 2026-01-01. One
 * order per customer on 2025-06-01 (60,000: Gold; 1,000: Regular), its
 * lines the products below (category in brackets: A, C shoes; B socks; D,
 * E bags; X hats).
 *
 * | tier | customer | products |
 * |---|---|---|
 * | Gold | G1 | A B C |
 * | Gold | G2 | A B |
 * | Gold | G3 | A B D |
 * | Gold | G4 | C D |
 * | Gold | G5 | A (and B in an order after as-of, which does not count) |
 * | Gold | G6 | D E |
 * | Regular | R1, R2, R3 | A X |
 * | Regular | R4 | A E |
 * | Regular | R5 | an order without lines |
 * | Potential | N1 | no order |
 *
 * Gold (6 buyers): A 4, B 3, D 3, C 2, E 1; A and B together 3 (G1-G3),
 * every other pair at most 1. With at least 3 customers per rule:
 * A → B confidence 3/4, lift 3·6/(4·3) = 1.5; B → A confidence 1, lift 1.5.
 * Regular (4 buyers, R5 has no item): A 4, X 3, E 1; A and X together 3
 * but lift 3·4/(4·3) = 1, so no rule. Mixing the tiers would give A → B
 * lift 3·10/(8·3) = 1.25 and offer X to Gold customers.
 */
export const PRODUCTS: Readonly<Record<string, string>> = {
  A: "shoes",
  B: "socks",
  C: "shoes",
  D: "bags",
  E: "bags",
  X: "hats",
};

export const BASKETS: Readonly<Record<string, readonly string[]>> = {
  G1: ["A", "B", "C"],
  G2: ["A", "B"],
  G3: ["A", "B", "D"],
  G4: ["C", "D"],
  G5: ["A"],
  G6: ["D", "E"],
  R1: ["A", "X"],
  R2: ["A", "X"],
  R3: ["A", "X"],
  R4: ["A", "E"],
  R5: [],
};

export async function seedCrossSell(engine: Engine): Promise<void> {
  const orders: FixtureRow[] = [];
  const lines: FixtureRow[] = [];
  for (const [customer, items] of Object.entries(BASKETS)) {
    const order_id = `${customer}-1`;
    const amount = customer.startsWith("G") ? 60000 : 1000;
    orders.push({ order_id, customer_id: customer, ordered_at: "2025-06-01 12:00:00", amount, status: "completed" });
    items.forEach((product_id, i) => {
      lines.push({ order_id, line_no: i + 1, product_id, amount: amount / items.length });
    });
  }
  orders.push({
    order_id: "G5-late",
    customer_id: "G5",
    ordered_at: "2026-02-01 12:00:00",
    amount: 10,
    status: "completed",
  });
  lines.push({ order_id: "G5-late", line_no: 1, product_id: "B", amount: 10 });
  await seed(engine, {
    products: Object.entries(PRODUCTS).map(([product_id, category]) => ({ product_id, category })),
    customers: [...Object.keys(BASKETS), "N1"].map((customer_id) => ({ customer_id })),
    orders,
    order_lines: lines,
  });
  await grade(engine, { presets: ["value-grades"] });
}
