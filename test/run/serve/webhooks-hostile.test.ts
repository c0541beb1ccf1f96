import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../../src/serve/server.js";
import { raw } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { call, type Served, served } from "./support.js";

/**
 * Hostile values on every parameter and body field of the outbox and webhook
 * routes: a 400 naming the field, or a true answer; never a 500, a stored
 * url a receiver should not get, or a leak.
 */
describe("hostile values: webhooks and the outbox", () => {
  let s: Served;
  let strict: FastifyInstance;
  let loose: FastifyInstance;
  beforeAll(async () => {
    s = await served();
    strict = await buildServer(s.engine, { logger: false, webhooks: { secretKey: randomBytes(32) } });
    loose = await buildServer(s.engine, {
      logger: false,
      webhooks: { secretKey: randomBytes(32), allowPrivate: true },
    });
  });
  afterAll(async () => {
    await strict?.close();
    await loose?.close();
    await s?.close();
  });
  const stored = async () =>
    (await s.engine.query(rawRows<{ url: string }>(raw("SELECT url FROM tw_webhooks ORDER BY url")))).map((r) => r.url);

  it.each([
    ["https://user:pass@example.com/hook", "url"],
    ["https://token@example.com/hook", "url"],
    ["javascript:alert(1)", "url"],
    ["file:///etc/passwd", "url"],
    ["ftp://example.com/hook", "url"],
    ["data:text/plain,hi", "url"],
    ["gopher://127.0.0.1:6379/_SET", "url"],
    ["//example.com/hook", "url"],
    ["/relative", "url"],
    ["", "url"],
    [`https://example.com/${"a".repeat(10_000)}`, "url"],
    [`https://example.com/${"a".repeat(2_000)}`, "url"],
    ["http://localhost/hook", "url"],
    ["http://127.1/hook", "url"],
    ["http://0x7f000001/hook", "url"],
    ["http://2130706433/hook", "url"],
    ["http://[::1]/hook", "url"],
    ["http://[::ffff:127.0.0.1]/hook", "url"],
    ["http://[fe80::1]/hook", "url"],
    ["http://169.254.169.254/latest/meta-data/", "url"],
    ["http://192.168.0.1/", "url"],
    ["http://100.64.0.1/", "url"],
    ["http://0.0.0.0/", "url"],
    ["http://bücher.invalid/hook", "url"],
    ["https://example.com/hook#frag", "url"],
  ])("POST /webhooks { url: %j } is a 400 naming %s (private addresses denied)", async (url, field) => {
    const r = await call(strict, "POST", "/webhooks", s.keys.admin, { url });
    expect({ status: r.status, body: r.body }).toMatchObject({
      status: 400,
      body: { code: "API_INVALID_REQUEST", field },
    });
    // The message never repeats the url (it may hold a token).
    expect(JSON.stringify(r.body)).not.toMatch(/user:pass|token@|example\.com/);
    expect(await stored()).toEqual([]);
  });

  it.each([
    [{ url: "http://127.0.0.1/h", secret: "short" }, "secret"],
    [{ url: "http://127.0.0.1/h", secret: "whsec_!!!not-base64-at-all" }, "secret"],
    [{ url: "http://127.0.0.1/h", secret: `a-secret-with\u0000nul-1234` }, "secret"],
    [{ url: "http://127.0.0.1/h", secret: "s".repeat(1001) }, "secret"],
    [{ url: "http://127.0.0.1/h", events: ["tier.deleted"] }, "events.0"],
    [{ url: "http://127.0.0.1/h", events: [] }, "events"],
    [{ url: "http://127.0.0.1/h", schemes: [] }, "schemes"],
    [{ url: "http://127.0.0.1/h", schemes: ["a\nb"] }, "schemes.0"],
    [{ url: "http://127.0.0.1/h", schemes: ["x".repeat(201)] }, "schemes.0"],
    [{ url: 42 }, "url"],
    [{ url: "http://127.0.0.1/h", extra: true }, "body"],
    [{}, "url"],
  ])("POST /webhooks %j is a 400 naming %s", async (body, field) => {
    const r = await call(loose, "POST", "/webhooks", s.keys.admin, body);
    expect({ status: r.status, body: r.body }).toMatchObject({ status: 400, body: { field } });
    // A refused secret is not repeated in the answer.
    const secret = (body as { secret?: unknown }).secret;
    if (typeof secret === "string") expect(JSON.stringify(r.body)).not.toContain(secret.slice(0, 16));
    expect(await stored()).toEqual([]);
  });

  it("a unicode host is stored in punycode; SQL in a url or scheme is data", async () => {
    const made = await call(loose, "POST", "/webhooks", s.keys.admin, {
      url: "http://bücher.example/h?q=';DROP TABLE tw_events;--",
      schemes: ["abc'; DROP TABLE tw_webhooks; --", "ÄÖÜ 🦄"],
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      url: "http://xn--bcher-kva.example/h?q=%27;DROP%20TABLE%20tw_events;--",
      schemes: ["abc'; DROP TABLE tw_webhooks; --", "ÄÖÜ 🦄"],
    });
    const list = await call(loose, "GET", "/webhooks", s.keys.admin);
    expect((list.body as { items: unknown[] }).items).toHaveLength(1);
    const id = (made.body as { id: string }).id;
    expect((await call(loose, "DELETE", `/webhooks/${id}`, s.keys.admin)).status).toBe(200);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=501", "limit"],
    ["limit=1e400", "limit"],
    ["run=-1", "run"],
    ["run=1.5", "run"],
    ["run=1e99", "run"],
    ["run=abc", "run"],
    ["kind=tier_changed", "kind"],
    ["delivered=yes", "delivered"],
    ["customer=a%00b", "customer"],
    [`customer=${"c".repeat(201)}`, "customer"],
    ["scheme=", "scheme"],
    ["cursor=!!!", "cursor"],
    [`cursor=${Buffer.from(JSON.stringify({ after: "1" })).toString("base64url")}`, "cursor"],
    [`cursor=${Buffer.from(JSON.stringify({ after: 1e300 })).toString("base64url")}`, "cursor"],
    [`cursor=${"A".repeat(5000)}`, "cursor"],
  ])("GET /events?%s is a 400 naming %s", async (query, field) => {
    const r = await call(s.app, "GET", `/events?${query}`, s.keys.viewer);
    expect({ status: r.status, body: r.body }).toMatchObject({ status: 400, body: { field } });
  });

  it.each([["customer=%27%20OR%201%3D1%20--"], ["scheme=%F0%9F%A6%84"], ["customer=%25"]])(
    "GET /events?%s answers truly (nothing)",
    async (query) => {
      const r = await call(s.app, "GET", `/events?${query}`, s.keys.viewer);
      expect(r).toMatchObject({ status: 200, body: { items: [], next_cursor: null } });
    },
  );

  it.each([
    ["DELETE", `/webhooks/${"w".repeat(101)}`, 400],
    ["DELETE", "/webhooks/%27%3B%20DROP%20TABLE%20tw_webhooks%3B%20--", 404],
    ["GET", "/webhooks/..%2F..%2Fetc/deliveries", 404],
    ["GET", "/webhooks/wh/deliveries?cursor=!!!", 400],
    ["GET", "/webhooks/wh/deliveries?limit=-1", 400],
    ["POST", "/webhooks/wh/deliveries/-1/retry", 400],
    ["POST", "/webhooks/wh/deliveries/1e99/retry", 400],
    ["POST", "/webhooks/wh/deliveries/abc/retry", 400],
    ["POST", "/webhooks/wh/deliveries/99999999999999999999/retry", 400],
  ] as const)("%s %s is a %i", async (method, path, status) => {
    const r = await call(loose, method, path, s.keys.admin);
    expect(r.status).toBe(status);
  });
});
