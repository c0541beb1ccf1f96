import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverEvents } from "../../../src/delivery/deliver.js";
import { type AlertEvent, events, type TierEvent } from "../../../src/delivery/events.js";
import type { Engine } from "../../../src/engine/engine.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { completedOrders, memoryStore, policyFile, seed } from "../support.js";
import { env, receiver, SECRET_ENV, sign } from "./receiver.js";

const POLICY = `version: 1
churn: { days: 180, k: 3 }
schemes:
  - name: Value grades
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: VIP, min: 100000 }
      - { name: Gold, min: 50000 }
      - { name: Silver, min: 20000 }
      - { name: Regular }
alerts:
  - name: top-turned          # default tiers: VIP, Gold, Silver
    scheme: Value grades
    when: turned
  - name: vip-at-risk
    scheme: Value grades
    tiers: [VIP]
    when: at-risk
  - name: downgraded
    scheme: Value grades
    when: downgraded
`;

const orders = (customer: string, list: readonly (readonly [string, number])[]) =>
  completedOrders(
    customer,
    list.map(([day, amount]) => [`${day} 12:00:00`, amount]),
  );

/**
 * A hand-checked history (180 days, k = 3: a customer turns after
 * max(180, 3 × median gap) days without an order, is at risk from last order
 * + median gap, or + 60 days with one order day). Runs R1 2025-01-01, R2
 * 2025-07-01, R3 2025-07-01 again, R4 2025-09-01. Spend windows: R1
 * 2024-01-01..2024-12-31, R2/R3 2024-07-01..2025-06-30, R4 2024-09-01..2025-08-31.
 *
 * | customer | completed orders | R1 | R2 | what happens |
 * |---|---|---|---|---|
 * | A | 2024-12-01 120,000 | VIP | VIP | turns 2025-05-30: R2 top-turned |
 * | B | 2024-12-01 500 | Regular | Regular | turns 2025-05-30, lowest tier: nothing |
 * | C | 2024-06-01 60,000 | Gold | Regular | turned 2024-11-28, before R1: no turned alert; R2 downgraded |
 * | D | 2024-10-01, 11-01, 12-01, 12-15 30,000 each; 2025-03-01 30,000 | VIP | VIP | R1: expected 2025-01-14, not at risk; R2: median 30.5 → expected 2025-04-01, turns 2025-08-28: R2 vip-at-risk, R4 top-turned |
 * | E | 2024-12-20 60,000 | Gold | Gold | turns 2025-06-18: R2 top-turned |
 * | F | 2024-12-15 60,000; 2025-02-01 1,000 | Gold | Gold | R2 at risk but Gold (the at-risk alert watches VIP); turns 2025-07-31: R4 top-turned |
 * | H | 2024-06-12 20,000; 2024-09-20 110,000 | VIP | VIP | median 100: at risk from 2024-12-29 (before R1), so no at-risk alert at R2; turns 2025-07-17: R4 top-turned |
 * | J | 2024-12-01 25,000; 2025-05-01 30,000 | Silver | Gold | upgraded: nothing |
 */
async function seedAlerts(engine: Engine): Promise<void> {
  await seed(engine, {
    customers: ["A", "B", "C", "D", "E", "F", "H", "J"].map((customer_id) => ({ customer_id })),
    orders: [
      ...orders("A", [["2024-12-01", 120000]]),
      ...orders("B", [["2024-12-01", 500]]),
      ...orders("C", [["2024-06-01", 60000]]),
      ...orders("D", [
        ["2024-10-01", 30000],
        ["2024-11-01", 30000],
        ["2024-12-01", 30000],
        ["2024-12-15", 30000],
        ["2025-03-01", 30000],
      ]),
      ...orders("E", [["2024-12-20", 60000]]),
      ...orders("F", [
        ["2024-12-15", 60000],
        ["2025-02-01", 1000],
      ]),
      ...orders("H", [
        ["2024-06-12", 20000],
        ["2024-09-20", 110000],
      ]),
      ...orders("J", [
        ["2024-12-01", 25000],
        ["2025-05-01", 30000],
      ]),
    ],
  });
}

const isAlert = (e: TierEvent): e is AlertEvent => e.kind === "alert";
const brief = (e: AlertEvent) => [e.runId, e.alert, e.entityId, e.tier, e.toTier];

describe("policy alerts", () => {
  let engine: Engine;
  const runIds: number[] = [];
  beforeAll(async () => {
    engine = await memoryStore();
    await seedAlerts(engine);
    const policy = await loadPolicy({ file: await policyFile(POLICY) });
    for (const asOf of ["2025-01-01", "2025-07-01", "2025-07-01", "2025-09-01"])
      runIds.push((await run(engine, policy, { asOf })).runId);
  });
  afterAll(async () => {
    await engine.close();
  });

  it("adds an event for exactly the customers who newly turned, became at risk or were downgraded", async () => {
    const [r1, r2, r3, r4] = runIds;
    const all = await events(engine);
    // R1 is the baseline; R3 (same as-of as R2) repeats nothing.
    expect(all.filter((e) => e.runId === r1 || e.runId === r3)).toEqual([]);
    expect(all.filter(isAlert).map(brief)).toEqual([
      [r2, "top-turned", "A", "VIP", "VIP"],
      [r2, "top-turned", "E", "Gold", "Gold"],
      [r2, "vip-at-risk", "D", "VIP", "VIP"],
      [r2, "downgraded", "C", "Gold", "Regular"],
      [r4, "top-turned", "D", "VIP", "VIP"],
      [r4, "top-turned", "F", "Gold", "Gold"],
      [r4, "top-turned", "H", "VIP", "VIP"],
    ]);
    // The tier changes come first in each run; event ids continue across both kinds.
    expect(all.filter((e) => e.runId === r2).map((e) => [e.eventId, e.kind, e.entityId])).toEqual([
      [1, "tier_change", "C"],
      [2, "tier_change", "J"],
      [3, "alert", "A"],
      [4, "alert", "E"],
      [5, "alert", "D"],
      [6, "alert", "C"],
    ]);
  });

  it("records the alert's name, condition, tier, scheme and a stable idempotency key", async () => {
    const r2 = runIds[1];
    const d = (await events(engine)).find((e) => isAlert(e) && e.alert === "vip-at-risk");
    expect(d).toEqual({
      eventId: 5,
      runId: r2,
      asOf: "2025-07-01",
      scheme: "Value grades",
      entityId: "D",
      fromTier: "VIP",
      toTier: "VIP",
      kind: "alert",
      alert: "vip-at-risk",
      when: "at-risk",
      tier: "VIP",
      reason: "at-risk (alert vip-at-risk)",
      idempotencyKey: expect.stringMatching(/^evt_[0-9a-f]{64}$/),
      createdAt: expect.any(String),
    });
  });

  it("delivers alerts to webhooks like tier changes, signed, with the key in the header and the body", async () => {
    const r = await receiver(() => 200);
    try {
      const result = await deliverEvents(engine, { webhooks: [{ url: r.url, secretEnv: SECRET_ENV }], env });
      const outbox = await events(engine);
      expect(result).toEqual({
        delivered: outbox.length,
        failed: 0,
        attempts: outbox.length,
        undelivered: 0,
        openCircuits: [],
      });
      const sent = r.got.map((g) => (JSON.parse(g.body) as { data: TierEvent }).data);
      expect(sent.sort((a, b) => a.eventId - b.eventId)).toEqual(outbox);
      for (const g of r.got) {
        expect(g.signature).toBe(sign(g.body));
        expect(g.key).toBe((JSON.parse(g.body) as { data: TierEvent }).data.idempotencyKey);
      }
      expect(r.got.filter((g) => g.body.includes('"kind":"alert"'))).toHaveLength(7);
    } finally {
      r.close();
    }
  });
});

describe("the three-tier preset's alert (docs/schemes.md §1)", () => {
  it("alerts when a Tier 3 customer turns, not when Tier 2 or Tier 1 customers do", async () => {
    // Run 1 as of 2024-07-01, run 2 as of 2025-01-01. T3: 4 orders (median gap 91 → turns after 273 days,
    // on 2024-11-29), tenure over a year, top contribution: Tier 3 (without order lines the expanding
    // signal is unavailable and left out). R1..R19: two orders in 2024 (Tier 2), turn 180 days after the
    // second. N1: one order (Tier 1, not yet a repeat buyer), turns 2024-11-28.
    const engine = await memoryStore();
    try {
      const repeat = Array.from({ length: 19 }, (_, i) => `R${String(i + 1).padStart(2, "0")}`);
      await seed(engine, {
        customers: ["T3", "N1", ...repeat].map((customer_id) => ({ customer_id })),
        orders: [
          ...orders("T3", [
            ["2023-06-01", 50000],
            ["2023-09-01", 50000],
            ["2023-12-01", 50000],
            ["2024-03-01", 50000],
          ]),
          ...orders("N1", [["2024-06-01", 100]]),
          ...repeat.flatMap((c) =>
            orders(c, [
              ["2024-01-10", 100],
              ["2024-02-10", 100],
            ]),
          ),
        ],
      });
      const policy = await loadPolicy({ presets: ["three-tier"] });
      const first = await run(engine, policy, { asOf: "2024-07-01" });
      const t3 = "Tier 3 – lifetime";
      expect((await events(engine)).length).toBe(0);
      const second = await run(engine, policy, { asOf: "2025-01-01" });
      const alerts = (await events(engine)).filter(isAlert);
      expect(alerts.map((e) => [e.runId, e.alert, e.when, e.entityId, e.tier])).toEqual([
        [second.runId, "tier-3-turned", "turned", "T3", t3],
      ]);
      expect(first.schemes[0]?.tiers.map((t) => [t.tier, t.entities])).toEqual([
        [t3, 1],
        ["Tier 2 – loyal", 19],
        ["Tier 1 – low value", 1],
      ]);
    } finally {
      await engine.close();
    }
  });
});
