/**
 * A tiny store whose report is computed by hand: four customers, only D
 * bought in the 12 months before 2026-01-01.
 *
 * | customer | orders in the window | revenue | net contribution |
 * |---|---|---|---|
 * | A, B, C | none (A has one from 2024, outside the window) | 0 | 0 |
 * | D | completed 100 (cost 30); returned 50 (service cost 5); compensation 10 | 100 | 100 − 30 − 5 − 10 = 55 |
 *
 * Revenue 0, 0, 0, 100: Gini (population form) = (n+1)/n − 2·Σ k·x₍ₖ₎/(n·Σx)
 * = 5/4 − 2·100/400 = 0.75; the top 25% (D) bring 100%, so 80%.
 */
import type { Engine } from "../../../src/engine/engine.js";
import { seed } from "../support.js";

export async function seedFour(engine: Engine): Promise<void> {
  await seed(engine, {
    customers: ["A", "B", "C", "D"].map((customer_id) => ({ customer_id })),
    orders: [
      { order_id: "A1", customer_id: "A", ordered_at: "2024-06-01 12:00:00", amount: 1000, status: "completed" },
      {
        order_id: "D1",
        customer_id: "D",
        ordered_at: "2025-03-01 12:00:00",
        amount: 100,
        cost: 30,
        status: "completed",
      },
      {
        order_id: "D2",
        customer_id: "D",
        ordered_at: "2025-04-01 12:00:00",
        amount: 50,
        cost: 20,
        service_cost: 5,
        status: "returned",
      },
    ],
    interactions: [
      { interaction_id: "I1", customer_id: "D", at: "2025-05-01 12:00:00", kind: "compensation", value: 10 },
    ],
  });
}

/** A thresholds policy with hostile, right-to-left and CJK tier names, in a given locale and currency. */
export function namesPolicy(locale: string, currency: string): string {
  return `version: 1
currency: ${currency}
locale: ${locale}
schemes:
  - name: grades
    kind: thresholds
    entity: customers
    metric: spend(12 months)
    tiers:
      - name: "<script>alert('x')</script>"
        min: 1000000
      - name: "金牌客户"
        min: 50
      - name: "عميل ذهبي"
        above: 0
      - name: "Prospect & co"
`;
}

/**
 * A scheme with playbooks and one without, over seedFour: D (revenue 100,
 * net contribution 55) is a Buyer, A, B and C are Idle.
 *
 * Buyer: 10% member prices + a gift of 5 → 10 + 5 = 15 a year: 15% of
 * revenue, 15/55 = 27.3% of contribution. Idle: 2 per customer → 6, with no
 * revenue or contribution to set it against. In all 21: 21% of revenue,
 * 38.2% of contribution.
 */
export function pricedPolicy(window = "12 months"): string {
  return `version: 1
revenue_window: ${window}
schemes:
  - name: spend
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: Buyer, above: 0 }
      - { name: Idle }
    playbooks:
      Buyer:
        service: premium
        benefits:
          - { name: member prices, discount_percent: 10 }
          - { name: birthday gift, gift: 5 }
      Idle:
        benefits: [{ name: newsletter, per_customer: 2 }]
  - name: plain
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: Big, min: 50 }
      - { name: Small }
`;
}
