import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { registerWebhook } from "../../../src/delivery/registered-webhooks.js";
import type { Engine } from "../../../src/engine/engine.js";
import { buildServer } from "../../../src/serve/server.js";
import { raw } from "../../../src/sql/fragment.js";
import { openStore } from "../../../src/store/index.js";
import { createTestDatabase } from "../../support/postgres-database.js";
import { rawRows } from "../../support/raw-rows.js";
import { appendEvents, type HookReceiver, hookReceiver } from "./webhook-receiver.js";

/**
 * Two `tierwise serve` instances on one PostgreSQL database (behind a
 * balancer) share the outbox: each event is claimed by exactly one of them
 * (tw_delivery_claims, src/sql/delivery/claims.ts), so a receiver gets every
 * event exactly once, counted by webhook-id.
 */
describe("PostgreSQL: two servers on one database deliver each event once", () => {
  const engines: Engine[] = [];
  const apps: FastifyInstance[] = [];
  let hook: HookReceiver | undefined;
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const engine of engines.splice(0)) await engine.close();
    await hook?.close();
  });

  it("300 events, two deliverers racing from the start: 300 requests, 300 distinct ids", async () => {
    const EVENTS = 300;
    const { url } = await createTestDatabase("tw_two_servers");
    for (let i = 0; i < 2; i++) engines.push(await openStore("", { engine: "postgres", databaseUrl: url }));
    const [first, second] = engines as [Engine, Engine];
    hook = await hookReceiver();
    const secretKey = randomBytes(32);
    await registerWebhook(first, { url: hook.url }, secretKey, "test");
    await appendEvents(first, EVENTS);
    const settings = {
      secretKey,
      allowPrivate: true,
      deliver: true,
      delivery: { intervalMs: 10, concurrency: 4, backoffMs: 5, maxBackoffMs: 20 },
    };
    for (const engine of [first, second]) apps.push(await buildServer(engine, { logger: false, webhooks: settings }));
    await Promise.all(apps.map((app) => app.ready()));
    await hook.received(EVENTS);
    // Both stop: whatever either still had in flight finishes before the count.
    for (const app of apps.splice(0)) await app.close();
    const ids = hook.hits.map((h) => String(h.headers["webhook-id"]));
    expect(new Set(ids).size).toBe(EVENTS);
    expect(ids).toHaveLength(EVENTS);
    const recorded = await first.query(
      rawRows<{ n: string; owners: string }>(
        raw(`SELECT count(*) AS n, (SELECT count(DISTINCT owner) FROM tw_delivery_claims) AS owners
        FROM tw_event_deliveries WHERE delivered`),
      ),
    );
    expect(Number(recorded[0]?.n)).toBe(EVENTS);
    // Both servers took a share (not one doing it all while the other idled).
    expect(Number(recorded[0]?.owners)).toBe(2);
  });
});
