import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../../src/serve/server.js";
import type { WebhookSettings } from "../../../src/serve/webhook-settings.js";
import { claimSql } from "../../../src/sql/delivery/claims.js";
import { raw } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { verify } from "../../webhooks/spec-verifier.js";
import { call, type Served, served } from "./support.js";
import { appendEvents, type HookReceiver, hookReceiver } from "./webhook-receiver.js";

/**
 * Webhooks over the API (docs/webhooks.md, Webhooks over the API): register,
 * the continuous deliverer sending to a loopback receiver with the
 * registered secret, retries with backoff in the delivery log, a manual
 * retry, delete; and the outbox as GET /events.
 */
const KEY = randomBytes(32);
const FAST = { intervalMs: 20, backoffMs: 5, maxBackoffMs: 20, timeoutMs: 5_000 } as const;

interface Created {
  id: string;
  url: string;
  secret?: string;
  events: string[];
  schemes: string[] | null;
  created_by: string;
}

describe("webhooks over the API", () => {
  let s: Served;
  const apps: FastifyInstance[] = [];
  const receivers: HookReceiver[] = [];
  beforeAll(async () => {
    s = await served();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const r of receivers.splice(0)) await r.close();
    for (const table of [
      "tw_webhooks",
      "tw_event_deliveries",
      "tw_delivery_claims",
      "tw_webhook_endpoints",
      "tw_events",
    ])
      await s.engine.exec(raw(`DELETE FROM ${table}`));
  });
  afterAll(async () => {
    await s?.close();
  });

  async function server(settings: WebhookSettings): Promise<FastifyInstance> {
    const app = await buildServer(s.engine, { logger: false, webhooks: settings });
    apps.push(app);
    await app.ready();
    return app;
  }
  async function receiver(answer?: (n: number) => number): Promise<HookReceiver> {
    const r = await hookReceiver(answer);
    receivers.push(r);
    return r;
  }
  const admin = () => s.keys.admin;

  it("registers an endpoint: 201 with the secret it made, shown once; the store holds it sealed", async () => {
    const app = await server({ secretKey: KEY, allowPrivate: true });
    const r = await call(app, "POST", "/webhooks", admin(), { url: "http://127.0.0.1:9/hook", schemes: ["abc"] });
    expect(r.status).toBe(201);
    const made = r.body as Created;
    expect(made).toMatchObject({
      url: "http://127.0.0.1:9/hook",
      events: ["tier.changed", "alert.triggered", "notice.upgrade_approaching", "notice.downgrade_pending"],
    });
    expect(made).toMatchObject({ schemes: ["abc"], created_by: "key-admin" });
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await call(app, "GET", "/webhooks", admin());
    expect(list.body).toEqual({ items: [expect.objectContaining({ id: made.id })] });
    expect(JSON.stringify(list.body)).not.toContain("secret");
    const stored = await s.engine.query(rawRows<{ secret_enc: string }>(raw("SELECT secret_enc FROM tw_webhooks")));
    expect(stored[0]?.secret_enc).toMatch(/^v1\./);
    expect(stored[0]?.secret_enc).not.toContain((made.secret ?? "").slice(6, 20));
    // A given secret is not echoed.
    const given = await call(app, "POST", "/webhooks", admin(), {
      url: "http://127.0.0.1:9/other",
      secret: "a-long-enough-raw-secret",
    });
    expect(given.status).toBe(201);
    expect(given.body).not.toHaveProperty("secret");
    // The same url twice: 409.
    const again = await call(app, "POST", "/webhooks", admin(), { url: "http://127.0.0.1:9/hook" });
    expect(again).toMatchObject({ status: 409, body: { code: "WEBHOOK_URL_TAKEN" } });
  });

  it("refuses registration without TIERWISE_SECRET_KEY (503) and private addresses unless allowed (400 url)", async () => {
    const keyless = await server({ allowPrivate: true });
    expect(await call(keyless, "POST", "/webhooks", admin(), { url: "http://127.0.0.1:9/h" })).toMatchObject({
      status: 503,
      body: { code: "WEBHOOK_KEY_MISSING" },
    });
    const strict = await server({ secretKey: KEY });
    for (const url of ["http://127.0.0.1:9/h", "http://[::1]/h", "http://169.254.169.254/latest", "http://10.1.2.3/"]) {
      const r = await call(strict, "POST", "/webhooks", admin(), { url });
      expect({ url, status: r.status, body: r.body }).toMatchObject({ url, status: 400, body: { field: "url" } });
    }
  });

  it("delivers continuously to the registered endpoint, signed with its secret, each event once", async () => {
    const hook = await receiver();
    const app = await server({ secretKey: KEY, allowPrivate: true, deliver: true, delivery: FAST });
    const made = (await call(app, "POST", "/webhooks", admin(), { url: hook.url })).body as Created;
    await appendEvents(s.engine, 12);
    await hook.received(12);
    const ids = hook.hits.map((h) => h.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(12);
    for (const hit of hook.hits)
      expect(verify(made.secret ?? "", hit.headers, hit.body, Math.floor(Date.now() / 1000))).toEqual({ ok: true });
    const page = await call(app, "GET", `/webhooks/${made.id}/deliveries`, admin());
    expect(page.status).toBe(200);
    const items = (page.body as { items: { delivered: boolean; status: number }[] }).items;
    // The request may be answered before its attempt is recorded: at most the 12, all delivered.
    expect(items.every((i) => i.delivered && i.status === 200)).toBe(true);
    const events = await call(app, "GET", "/events?limit=5", s.keys.viewer);
    expect(events.status).toBe(200);
    expect((events.body as { items: unknown[] }).items).toHaveLength(5);
  });

  it("only the event types and schemes an endpoint takes", async () => {
    const hook = await receiver();
    const other = await receiver();
    const app = await server({ secretKey: KEY, allowPrivate: true, deliver: true, delivery: FAST });
    await call(app, "POST", "/webhooks", admin(), { url: hook.url, schemes: ["not-abc"] });
    await call(app, "POST", "/webhooks", admin(), { url: other.url, events: ["tier.changed"] });
    await appendEvents(s.engine, 3);
    await other.received(3);
    await app.close();
    expect(hook.hits).toHaveLength(0);
  });

  it("retries a failing receiver with backoff, visible in the deliveries; then delivers", async () => {
    const hook = await receiver((n) => (n < 3 ? 503 : 200));
    const app = await server({
      secretKey: KEY,
      allowPrivate: true,
      deliver: true,
      delivery: { ...FAST, backoffMs: 40, maxBackoffMs: 200 },
    });
    const made = (await call(app, "POST", "/webhooks", admin(), { url: hook.url })).body as Created;
    await appendEvents(s.engine, 1);
    await hook.received(4);
    await app.close();
    const page = await call(await server({ secretKey: KEY }), "GET", `/webhooks/${made.id}/deliveries`, admin());
    const items = (
      page.body as { items: { attempt: number; status: number; delivered: boolean; attempted_at: string }[] }
    ).items;
    expect(items.map((i) => [i.attempt, i.status, i.delivered])).toEqual([
      [1, 503, false],
      [2, 503, false],
      [3, 503, false],
      [4, 200, true],
    ]);
    // Backoff: each wait at least half of 40, 80, 160 ms (jitter), so the attempts spread out.
    const at = items.map((i) => Date.parse(`${i.attempted_at.replace(" ", "T")}Z`));
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(15);
    expect((at[3] ?? 0) - (at[2] ?? 0)).toBeGreaterThanOrEqual(60);
  });

  it("a manual retry sends one event now; a delivered one is 409, an unknown one 404", async () => {
    const hook = await receiver((n) => (n === 0 ? 500 : 200));
    const app = await server({ secretKey: KEY, allowPrivate: true });
    const made = (await call(app, "POST", "/webhooks", admin(), { url: hook.url })).body as Created;
    await appendEvents(s.engine, 2);
    const path = `/webhooks/${made.id}/deliveries/1/retry`;
    expect(await call(app, "POST", path, admin())).toMatchObject({
      status: 200,
      body: { delivered: false, attempted: true, circuit_open: false },
    });
    expect(await call(app, "POST", path, admin())).toMatchObject({ status: 200, body: { delivered: true } });
    expect(await call(app, "POST", path, admin())).toMatchObject({ status: 409, body: { code: "EVENT_DELIVERED" } });
    expect(await call(app, "POST", `/webhooks/${made.id}/deliveries/99/retry`, admin())).toMatchObject({
      status: 404,
      body: { code: "EVENT_NOT_FOUND" },
    });
    // Event 2 held by a deliverer (a live claim): 409, and nothing is sent.
    const now = new Date().toISOString().replace("T", " ").slice(0, 23);
    const later = new Date(Date.now() + 600_000).toISOString().replace("T", " ").slice(0, 23);
    await s.engine.query(claimSql([2], hook.url, "another-server", now, later));
    expect(await call(app, "POST", `/webhooks/${made.id}/deliveries/2/retry`, admin())).toMatchObject({
      status: 409,
      body: { code: "EVENT_IN_FLIGHT" },
    });
    expect(hook.hits.map((h) => h.headers["webhook-id"])).toEqual([
      hook.hits[0]?.headers["webhook-id"],
      hook.hits[0]?.headers["webhook-id"],
    ]);
    const log = await call(app, "GET", `/webhooks/${made.id}/deliveries?limit=1`, admin());
    const first = log.body as { items: unknown[]; next_cursor: string };
    expect(first.items).toHaveLength(1);
    const next = await call(app, "GET", `/webhooks/${made.id}/deliveries?limit=1&cursor=${first.next_cursor}`, admin());
    expect(next.body).toMatchObject({ items: [{ event_id: 1, attempt: 2, delivered: true }], next_cursor: null });
  });

  it("delete: nothing more is sent, its deliveries are gone from the API (404)", async () => {
    const hook = await receiver();
    const app = await server({ secretKey: KEY, allowPrivate: true, deliver: true, delivery: FAST });
    const made = (await call(app, "POST", "/webhooks", admin(), { url: hook.url })).body as Created;
    expect((await call(app, "DELETE", `/webhooks/${made.id}`, admin())).status).toBe(200);
    expect((await call(app, "DELETE", `/webhooks/${made.id}`, admin())).status).toBe(404);
    expect((await call(app, "GET", `/webhooks/${made.id}/deliveries`, admin())).status).toBe(404);
    expect(await call(app, "GET", "/webhooks", admin())).toMatchObject({ body: { items: [] } });
    await appendEvents(s.engine, 2);
    // A second endpoint, registered after the delete, gets both events; the deleted one none.
    const later = await receiver();
    await call(app, "POST", "/webhooks", admin(), { url: later.url });
    await later.received(2);
    await app.close();
    expect(hook.hits).toHaveLength(0);
  });

  it("GET /events filters by run, scheme, kind, customer and delivery, in cursor pages", async () => {
    const app = await server({});
    await appendEvents(s.engine, 7);
    const page = async (query: string) =>
      (await call(app, "GET", `/events?${query}`, s.keys.viewer)).body as {
        items: { eventId: number; entityId: string; delivered: boolean }[];
        next_cursor: string | null;
      };
    const first = await page("limit=3");
    expect(first.items.map((e) => e.eventId)).toEqual([1, 2, 3]);
    const second = await page(`limit=3&cursor=${first.next_cursor}`);
    expect(second.items.map((e) => e.eventId)).toEqual([4, 5, 6]);
    expect((await page(`limit=3&cursor=${second.next_cursor}`)).next_cursor).toBeNull();
    expect((await page("customer=e5")).items.map((e) => e.eventId)).toEqual([5]);
    expect((await page("run=1&scheme=abc&kind=tier_change")).items).toHaveLength(7);
    expect((await page("kind=alert")).items).toEqual([]);
    expect((await page("run=2")).items).toEqual([]);
    expect((await page("delivered=true")).items).toEqual([]);
    expect((await page("delivered=false")).items).toHaveLength(7);
  });
});

describe("webhooks: graceful shutdown of the continuous deliverer", () => {
  let s: Served;
  beforeAll(async () => {
    s = await served();
  });
  afterAll(async () => {
    await s?.close();
  });
  const delivered = async () =>
    (
      await s.engine.query(
        rawRows<{ event_id: unknown; delivered: unknown; error: string | null }>(
          raw("SELECT event_id, delivered, error FROM tw_event_deliveries ORDER BY event_id, attempt"),
        ),
      )
    ).map((r) => [Number(r.event_id), r.delivered === true || r.delivered === "t", r.error]);

  it("a delivery in flight at close finishes and is recorded; nothing new is claimed after", async () => {
    let answer: (status: number) => void = () => undefined;
    const held = new Promise<number>((resolve) => {
      answer = resolve;
    });
    const hook = await hookReceiver((n) => (n === 0 ? held : 200));
    const app = await buildServer(s.engine, {
      logger: false,
      webhooks: { secretKey: KEY, allowPrivate: true, deliver: true, delivery: { ...FAST, concurrency: 1 } },
    });
    await app.ready();
    await call(app, "POST", "/webhooks", s.keys.admin, { url: hook.url });
    await appendEvents(s.engine, 3);
    await hook.received(1);
    const closing = app.close();
    answer(200);
    await closing;
    await hook.close();
    expect(hook.hits).toHaveLength(1);
    expect(await delivered()).toEqual([[1, true, null]]);
    await s.engine.exec(raw("DELETE FROM tw_webhooks"));
    await s.engine.exec(raw("DELETE FROM tw_event_deliveries"));
    await s.engine.exec(raw("DELETE FROM tw_delivery_claims"));
    await s.engine.exec(raw("DELETE FROM tw_events"));
  });

  it("a request that never answers is cut by its timeout and stays undelivered, its claim released", async () => {
    const hook = await hookReceiver(() => "never");
    const app = await buildServer(s.engine, {
      logger: false,
      webhooks: {
        secretKey: KEY,
        allowPrivate: true,
        deliver: true,
        // One attempt per pass, and no second pass before the close: the registration's wake-up starts the only one.
        delivery: { ...FAST, concurrency: 1, timeoutMs: 300, attempts: 1, intervalMs: 600_000 },
      },
    });
    await app.ready();
    await appendEvents(s.engine, 2);
    await call(app, "POST", "/webhooks", s.keys.admin, { url: hook.url });
    await hook.received(1);
    await app.close();
    await hook.close();
    expect(hook.hits).toHaveLength(1);
    expect(await delivered()).toEqual([[1, false, "timeout after 300 ms"]]);
    const claims = await s.engine.query(
      rawRows<{ n: unknown }>(
        raw("SELECT count(*) AS n FROM tw_delivery_claims WHERE lease_until > CAST('2000-01-01' AS TIMESTAMP)"),
      ),
    );
    expect(Number(claims[0]?.n)).toBe(0);
  });
});

describe("store schema 6: the webhook tables", () => {
  it("a schema-5 store gets tw_webhooks and tw_delivery_claims when opened for writing", async () => {
    const { ensureStoreSchema } = await import("../../../src/store/schema.js");
    const { memoryStore } = await import("../support.js");
    const engine = await memoryStore();
    try {
      await engine.exec(raw("DROP TABLE tw_webhooks"));
      await engine.exec(raw("DROP TABLE tw_delivery_claims"));
      await engine.exec(raw("UPDATE tw_meta SET value = '5' WHERE key = 'schema_version'"));
      await ensureStoreSchema(engine);
      const version = await engine.query(
        rawRows<{ value: string }>(raw("SELECT value FROM tw_meta WHERE key = 'schema_version'")),
      );
      expect(version[0]?.value).toBe("6");
      const { registerWebhook, listWebhooks } = await import("../../../src/delivery/registered-webhooks.js");
      await registerWebhook(engine, { url: "https://93.184.215.14/h" }, KEY, "test");
      expect((await listWebhooks(engine)).map((w) => w.url)).toEqual(["https://93.184.215.14/h"]);
      await appendEvents(engine, 1);
      const { deliverEvents } = await import("../../../src/delivery/deliver.js");
      // The claim table is there: a pass to a closed port claims, fails and releases.
      const r = await deliverEvents(engine, {
        webhooks: [{ url: "http://127.0.0.1:9/h", secret: "a-raw-secret-of-16+" }],
        attempts: 1,
      });
      expect(r).toMatchObject({ delivered: 0, failed: 1, undelivered: 1 });
    } finally {
      await engine.close();
    }
  });
});

describe("claims: an event is sent only within the first half of its lease", () => {
  it("events that waited in a pass past half their lease are given back, and the next pass sends them", async () => {
    const { memoryStore } = await import("../support.js");
    const { deliverEvents } = await import("../../../src/delivery/deliver.js");
    const engine = await memoryStore();
    let late = false;
    const hook = await hookReceiver(() => {
      late = true; // the clock jumps an hour once the first request arrives
      return 200;
    });
    try {
      await appendEvents(engine, 3);
      const options = {
        webhooks: [{ url: hook.url, secret: "a-raw-secret-of-16+" }],
        concurrency: 1,
        now: () => Date.now() + (late ? 3_600_000 : 0),
      };
      expect(await deliverEvents(engine, options)).toMatchObject({ delivered: 1, undelivered: 2 });
      expect(hook.hits).toHaveLength(1);
      expect(await deliverEvents(engine, options)).toMatchObject({ delivered: 2, undelivered: 0 });
      expect(new Set(hook.hits.map((h) => h.headers["webhook-id"])).size).toBe(3);
    } finally {
      await hook.close();
      await engine.close();
    }
  });
});
