import type { Server } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverEvents, deliveries } from "../../../src/delivery/deliver.js";
import { events, type TierEvent } from "../../../src/delivery/events.js";
import type { Engine } from "../../../src/engine/engine.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { completedOrders, insertRows, memoryStore, seed } from "../support.js";
import { env, receiver, sign } from "./receiver.js";

/** Two runs of value-grades with two changes between them: A Gold → VIP, D Potential → Silver. */
async function twoRuns(engine: Engine): Promise<void> {
  await seed(engine, {
    customers: [{ customer_id: "A" }, { customer_id: "D" }],
    orders: completedOrders("A", [["2025-06-01 12:00:00", 60000]]),
  });
  const policy = await loadPolicy({ presets: ["value-grades"] });
  await run(engine, policy, { asOf: "2026-01-01" });
  await insertRows(engine, "orders", [
    ...completedOrders("A", [["2026-01-15 12:00:00", 50000]], "A-x"),
    ...completedOrders("D", [["2026-01-20 12:00:00", 25000]], "D-x"),
  ]);
  await run(engine, policy, { asOf: "2026-02-01" });
}

describe("webhook delivery", () => {
  let engine: Engine;
  const servers: Server[] = [];
  beforeEach(async () => {
    engine = await memoryStore();
    await twoRuns(engine);
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
    await engine.close();
  });

  it("signs each event, sends its idempotency key and records the delivery", async () => {
    const r = await receiver(() => 200);
    servers.push(r.server);
    const result = await deliverEvents(engine, { webhooks: [{ url: r.url, secretEnv: "TW_HOOK_SECRET" }], env });
    expect(result).toEqual({ delivered: 2, failed: 0, attempts: 2, undelivered: 0, openCircuits: [] });
    const outbox = await events(engine);
    // Up to 4 requests in flight: the receiver may see them in any order.
    const sent = r.got.map((g) => (JSON.parse(g.body) as { data: TierEvent }).data);
    expect(sent.sort((a, b) => a.eventId - b.eventId)).toEqual(outbox);
    for (const g of r.got) expect(g.signature).toBe(sign(g.body));
    expect(r.got.map((g) => g.key).sort()).toEqual(outbox.map((e) => e.idempotencyKey).sort());
    expect((await deliveries(engine)).map((d) => [d.eventId, d.attempt, d.status, d.delivered])).toEqual([
      [1, 1, 200, true],
      [2, 1, 200, true],
    ]);
    // Nothing left: a second call sends nothing.
    expect(await deliverEvents(engine, { webhooks: [{ url: r.url, secretEnv: "TW_HOOK_SECRET" }], env })).toEqual({
      delivered: 0,
      failed: 0,
      attempts: 0,
      undelivered: 0,
      openCircuits: [],
    });
  });

  it("retries a 500 with backoff and records every attempt; duplicates carry the same key", async () => {
    const r = await receiver((n) => (n === 0 ? 500 : 200));
    servers.push(r.server);
    const result = await deliverEvents(engine, {
      webhooks: [{ url: r.url, secretEnv: "TW_HOOK_SECRET" }],
      env,
      backoffMs: 5,
      concurrency: 1,
    });
    expect(result).toEqual({ delivered: 2, failed: 0, attempts: 3, undelivered: 0, openCircuits: [] });
    expect(r.got[0]?.key).toBe(r.got[1]?.key);
    expect(r.got[0]?.body).toBe(r.got[1]?.body);
    expect((await deliveries(engine)).map((d) => [d.eventId, d.attempt, d.status, d.error, d.delivered])).toEqual([
      [1, 1, 500, "HTTP 500", false],
      [1, 2, 200, null, true],
      [2, 1, 200, null, true],
    ]);
  });

  it("keeps an event that keeps failing undelivered; the next call (events retry) sends it again", async () => {
    let down = true;
    const r = await receiver(() => (down ? 503 : 200));
    servers.push(r.server);
    const hooks = [{ url: r.url, secretEnv: "TW_HOOK_SECRET" }];
    expect(await deliverEvents(engine, { webhooks: hooks, env, attempts: 2, backoffMs: 1 })).toEqual({
      delivered: 0,
      failed: 2,
      attempts: 4,
      undelivered: 2,
      openCircuits: [],
    });
    down = false;
    expect(await deliverEvents(engine, { webhooks: hooks, env, attempts: 2, backoffMs: 1 })).toEqual({
      delivered: 2,
      failed: 0,
      attempts: 2,
      undelivered: 0,
      openCircuits: [],
    });
    const log = await deliveries(engine);
    expect(log.filter((d) => d.delivered).map((d) => [d.eventId, d.attempt])).toEqual([
      [1, 3],
      [2, 3],
    ]);
    // Nothing lost, and every send of an event carried the same key.
    const keys = new Map<string, Set<string | undefined>>();
    for (const g of r.got) keys.set(g.body, (keys.get(g.body) ?? new Set()).add(g.key));
    expect(keys.size).toBe(2);
    for (const k of keys.values()) expect(k.size).toBe(1);
  });

  it("times out a slow receiver and records the timeout", async () => {
    const r = await receiver((n) => (n === 0 ? "hang" : 200));
    servers.push(r.server);
    const result = await deliverEvents(engine, {
      webhooks: [{ url: r.url, secretEnv: "TW_HOOK_SECRET" }],
      env,
      timeoutMs: 100,
      backoffMs: 1,
      concurrency: 1,
    });
    expect(result).toEqual({ delivered: 2, failed: 0, attempts: 3, undelivered: 0, openCircuits: [] });
    const first = (await deliveries(engine))[0];
    expect(first).toMatchObject({
      eventId: 1,
      attempt: 1,
      status: null,
      error: "timeout after 100 ms",
      delivered: false,
    });
  });

  it("refuses a webhook whose secret variable is not set, without sending", async () => {
    const r = await receiver(() => 200);
    servers.push(r.server);
    await expect(
      deliverEvents(engine, { webhooks: [{ url: r.url, secretEnv: "TW_NOT_SET" }], env: {} }),
    ).rejects.toThrow(/TW_NOT_SET is not set/);
    expect(r.got).toEqual([]);
  });
});
