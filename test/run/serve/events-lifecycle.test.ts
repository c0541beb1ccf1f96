import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { buildServer } from "../../../src/serve/server.js";
import { raw } from "../../../src/sql/fragment.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { rawRows } from "../../support/raw-rows.js";
import { grade, memoryStore, policyFile, seed } from "../support.js";
import { call } from "./support.js";

/**
 * Lifecycle rules apply to live grades as in batch: run 1 as of 2025-12-01
 * puts g1…g4 in Gold (spend ≥ 1,000); on 2025-12-31 refunds drop g1 and g2
 * under the entry bound, g2 also under the retention bound (keep: 800), and
 * an order lifts s1 to Gold. Live (as of 2026-01-01): g1 retained Gold, g2
 * Gold with a downgrade pending for 30 days' grace, s1 Gold at once; a batch
 * run at the same as-of gives every customer the same tier, state and due date.
 */
const POLICY = await policyFile(`version: 1
currency: EUR
time_zone: UTC
schemes:
  - name: club
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: Gold, min: 1000, keep: 800 }
      - { name: Silver, min: 100 }
      - { name: Member }
    lifecycle:
      period: year
      upgrade: immediate
      downgrade: immediate
      grace_days: 30
`);

const customers = ["g1", "g2", "g3", "g4", "s1", "s2"].map((id) => ({ customer_id: id, name: null }));
const orders = [
  ...["g1", "g2", "g3", "g4"].map((id) => ({
    order_id: `${id}-1`,
    customer_id: id,
    ordered_at: "2025-06-01",
    amount: 1200,
    status: "completed",
  })),
  { order_id: "s1-1", customer_id: "s1", ordered_at: "2025-06-01", amount: 300, status: "completed" },
  { order_id: "s2-1", customer_id: "s2", ordered_at: "2025-06-01", amount: 300, status: "completed" },
];

describe("lifecycle rules apply to live grades as in batch", () => {
  let engine: Engine;
  let app: FastifyInstance;
  let key: string;
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, { customers, orders });
    await grade(engine, { file: POLICY }, "2025-12-01");
    key = await createApiKey(engine, "shop", "admin");
    app = await buildServer(engine, { logger: false, now: () => new Date("2025-12-31T12:00:00Z") });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  it("retained, pending with its due date, upgraded at once; then equal to a batch run at the same as-of", async () => {
    const refund = (id: string, amount: number) =>
      call(app, "POST", "/events/refunds", key, {
        order_id: `${id}-r`,
        customer_id: id,
        ordered_at: "2025-12-31T10:00:00Z",
        amount,
        status: "completed",
        refunds_order_id: `${id}-1`,
      });
    expect((await refund("g1", 300)).status).toBe(200); // 900: under 1,000, at least 800
    expect((await refund("g2", 600)).status).toBe(200); // 600: under the retention bound
    const up = await call(app, "POST", "/events/orders", key, {
      order_id: "s1-2",
      customer_id: "s1",
      ordered_at: "2025-12-31T10:00:00Z",
      amount: 800,
      status: "completed",
    });
    expect((up.body as { customers: { changes: unknown[] }[] }).customers[0]?.changes).toEqual([
      { scheme: "club", from: "Silver", to: "Gold" },
    ]);
    const now = new Map<string, { tier: string | null; life_state: string | null; due_on: string | null }>();
    for (const c of customers) {
      const r = await call(app, "GET", `/customers/${c.customer_id}/grades`, key);
      const g = (r.body as { grades: { tier: string; life_state: string | null; due_on: string | null }[] }).grades[0];
      now.set(c.customer_id, { tier: g?.tier ?? null, life_state: g?.life_state ?? null, due_on: g?.due_on ?? null });
    }
    expect(now.get("g1")).toEqual({ tier: "Gold", life_state: "retained", due_on: null });
    expect(now.get("g2")).toEqual({ tier: "Gold", life_state: "downgrade-pending", due_on: "2026-01-31" });
    expect(now.get("s1")?.tier).toBe("Gold");
    await grade(engine, { file: POLICY }, "2026-01-01");
    const batch = await engine.query(
      rawRows<{
        entity_id: string;
        tier: string;
        life_state: string | null;
        due_on: string | null;
      }>(raw("SELECT entity_id, tier, life_state, due_on FROM tw_assignments WHERE run_id = 2")),
    );
    for (const b of batch) {
      expect({ id: b.entity_id, ...now.get(b.entity_id) }).toEqual({
        id: b.entity_id,
        tier: b.tier,
        life_state: b.life_state,
        due_on: b.due_on === null ? null : String(b.due_on).slice(0, 10),
      });
    }
    expect(batch).toHaveLength(6);
  });
});
