import { randomBytes } from "node:crypto";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitClv } from "../../../src/clv-store/fit.js";
import { buildServer } from "../../../src/serve/server.js";
import { raw } from "../../../src/sql/fragment.js";
import { col, ident, select, sql } from "../../../src/sql/index.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { ingestCdnowSample } from "../clv/support.js";
import { memoryStore, seed } from "../support.js";
import { finished } from "./finished-job.js";
import { memberServed } from "./member-store.js";
import { call, get, type Method, type Served, served } from "./support.js";
import { appendEvents, hookReceiver } from "./webhook-receiver.js";

interface Doc {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
}

const OVERRIDE = { customer_id: "c05", scheme: "abc", tier: "A", reason: "key account" };

/**
 * Requests that reach every documented status of every route. `route` is
 * "METHOD /route" when the method is not GET.
 */
const BACKFILL = { presets: ["abc"], from: "2025-10-31", to: "2025-11-30", every: "month" };

const CALLS: readonly {
  route: string;
  path: string;
  key?: "viewer" | "analyst" | "admin" | "member" | "bad";
  body?: unknown;
}[] = [
  { route: "/health", path: "/health" },
  { route: "/ready", path: "/ready" },
  { route: "/customers", path: "/customers?limit=2", key: "viewer" },
  { route: "/customers", path: "/customers?scheme=abc&tier=A", key: "viewer" },
  { route: "/customers", path: "/customers?limit=0", key: "viewer" },
  { route: "/customers", path: "/customers?scheme=nope", key: "viewer" },
  { route: "/customers", path: "/customers", key: "bad" },
  { route: "/customers", path: "/customers", key: "member" },
  { route: "/customers/{id}", path: "/customers/c01", key: "viewer" },
  { route: "/customers/{id}", path: "/customers/x", key: "viewer" },
  { route: "/customers/{id}", path: "/customers/nobody", key: "viewer" },
  { route: "/customers/{id}", path: "/customers/c01", key: "member" },
  { route: "/customers/{id}", path: "/customers/c01" },
  { route: "/customers/{id}", path: "/customers/c%01", key: "viewer" },
  { route: "/customers", path: "/customers?at_risk=true&sort=-revenue&limit=2", key: "viewer" },
  { route: "/customers", path: "/customers?sort=score&scheme=abc&limit=2", key: "viewer" },
  { route: "/customers", path: "/customers?sort=score", key: "viewer" },
  { route: "/customers", path: "/customers?at_risk=yes", key: "viewer" },
  { route: "/customers/{id}/history", path: "/customers/c01/history", key: "viewer" },
  { route: "/customers/{id}/history", path: "/customers/c01/history?scheme=nope", key: "viewer" },
  { route: "/customers/{id}/history", path: "/customers/nobody/history", key: "viewer" },
  { route: "/customers/{id}/history", path: "/customers/c01/history", key: "member" },
  { route: "/customers/{id}/history", path: "/customers/c01/history" },
  { route: "/customers/{id}/recommendations", path: "/customers/c01/recommendations?top=3", key: "viewer" },
  { route: "/customers/{id}/recommendations", path: "/customers/x/recommendations?level=category", key: "viewer" },
  { route: "/customers/{id}/recommendations", path: "/customers/c01/recommendations?top=0", key: "viewer" },
  { route: "/customers/{id}/recommendations", path: "/customers/nobody/recommendations", key: "viewer" },
  { route: "/customers/{id}/recommendations", path: "/customers/c01/recommendations", key: "member" },
  { route: "/customers/{id}/recommendations", path: "/customers/c01/recommendations" },
  { route: "/customers/{id}/clv", path: "/customers/c01/clv", key: "viewer" },
  { route: "/customers/{id}/clv", path: "/customers/c01/clv?months=0", key: "viewer" },
  { route: "/customers/{id}/clv", path: "/customers/c01/clv", key: "member" },
  { route: "/customers/{id}/clv", path: "/customers/c01/clv" },
  { route: "/jobs", path: "/jobs", key: "viewer" },
  { route: "/jobs", path: "/jobs", key: "member" },
  { route: "/jobs", path: "/jobs" },
  { route: "/jobs/{id}", path: "/jobs/none", key: "viewer" },
  { route: "/jobs/{id}", path: "/jobs/none", key: "member" },
  { route: "/jobs/{id}", path: "/jobs/none" },
  { route: "/jobs/{id}", path: `/jobs/${"j".repeat(101)}`, key: "viewer" },
  { route: "/members/{id}/status", path: "/members/c01/status", key: "member" },
  { route: "/members/{id}/status", path: "/members/c01/status", key: "viewer" },
  { route: "/members/{id}/status", path: "/members/c01/status" },
  { route: "/members/{id}/status", path: "/members/c%01/status", key: "member" },
  { route: "POST /runs", path: "/runs", key: "analyst", body: { presets: ["abc"], as_of: "2025-12-31" } },
  { route: "POST /runs", path: "/runs", key: "analyst", body: { policy: "schemes: [", as_of: "2025-12-31" } },
  { route: "POST /runs", path: "/runs", key: "analyst", body: { presets: "abc" } },
  { route: "POST /runs", path: "/runs", key: "viewer", body: { presets: ["abc"] } },
  { route: "POST /runs", path: "/runs", body: { presets: ["abc"] } },
  { route: "POST /backfills", path: "/backfills", key: "analyst", body: BACKFILL },
  { route: "POST /backfills", path: "/backfills", key: "analyst", body: { ...BACKFILL, presets: ["nope"] } },
  { route: "POST /backfills", path: "/backfills", key: "analyst", body: { ...BACKFILL, every: "day" } },
  { route: "POST /backfills", path: "/backfills", key: "viewer", body: BACKFILL },
  { route: "POST /backfills", path: "/backfills", body: BACKFILL },
  { route: "/runs", path: "/runs?limit=1", key: "viewer" },
  { route: "/runs", path: "/runs?limit=0", key: "viewer" },
  { route: "/runs", path: "/runs", key: "member" },
  { route: "/runs", path: "/runs" },
  { route: "/runs/{id}", path: "/runs/1", key: "viewer" },
  { route: "/runs/{id}", path: "/runs/x", key: "viewer" },
  { route: "/runs/{id}", path: "/runs/999", key: "viewer" },
  { route: "/runs/{id}", path: "/runs/1", key: "member" },
  { route: "/runs/{id}", path: "/runs/1" },
  { route: "/runs/{id}/report", path: "/runs/1/report", key: "viewer" },
  { route: "/runs/{id}/report", path: "/runs/1/report?scheme=nope", key: "viewer" },
  { route: "/runs/{id}/report", path: "/runs/999/report", key: "viewer" },
  { route: "/runs/{id}/report", path: "/runs/1/report", key: "member" },
  { route: "/runs/{id}/report", path: "/runs/1/report" },
  { route: "/runs/{id}/report.html", path: "/runs/1/report.html", key: "viewer" },
  { route: "/runs/{id}/report.html", path: "/runs/1/report.html?crosstab=abc", key: "viewer" },
  { route: "/runs/{id}/report.html", path: "/runs/999/report.html", key: "viewer" },
  { route: "/runs/{id}/report.html", path: "/runs/1/report.html", key: "member" },
  { route: "/runs/{id}/report.html", path: "/runs/1/report.html" },
  { route: "POST /policies/check", path: "/policies/check", key: "analyst", body: { policy: "schemes: [" } },
  { route: "POST /policies/check", path: "/policies/check", key: "analyst", body: { policy: 42 } },
  { route: "POST /policies/check", path: "/policies/check", key: "viewer", body: { policy: "a: 1" } },
  { route: "POST /policies/check", path: "/policies/check", body: { policy: "a: 1" } },
  { route: "POST /policies/diff", path: "/policies/diff", key: "analyst", body: { presets: ["abc"] } },
  { route: "POST /policies/diff", path: "/policies/diff", key: "analyst", body: { policy: "schemes: [" } },
  { route: "POST /policies/diff", path: "/policies/diff", key: "analyst", body: {} },
  { route: "POST /policies/diff", path: "/policies/diff", key: "viewer", body: { presets: ["abc"] } },
  { route: "POST /policies/diff", path: "/policies/diff", body: { presets: ["abc"] } },
  { route: "POST /policies", path: "/policies", key: "admin", body: { presets: ["abc"] } },
  { route: "POST /policies", path: "/policies", key: "admin", body: { policy: "schemes: [" } },
  { route: "POST /policies", path: "/policies", key: "admin", body: {} },
  { route: "POST /policies", path: "/policies", key: "analyst", body: { presets: ["abc"] } },
  { route: "POST /policies", path: "/policies", body: { presets: ["abc"] } },
  { route: "/policies", path: "/policies", key: "viewer" },
  { route: "/policies", path: "/policies", key: "member" },
  { route: "/policies", path: "/policies" },
  { route: "/policies/active", path: "/policies/active", key: "viewer" },
  { route: "/policies/active", path: "/policies/active", key: "member" },
  { route: "/policies/active", path: "/policies/active" },
  { route: "/presets", path: "/presets", key: "viewer" },
  { route: "/presets", path: "/presets", key: "member" },
  { route: "/presets", path: "/presets" },
  { route: "POST /overrides", path: "/overrides", key: "analyst", body: OVERRIDE },
  { route: "POST /overrides", path: "/overrides", key: "analyst", body: { ...OVERRIDE, expires: "2026-02-30" } },
  { route: "POST /overrides", path: "/overrides", key: "analyst", body: { ...OVERRIDE, customer_id: "nobody" } },
  { route: "POST /overrides", path: "/overrides", key: "viewer", body: OVERRIDE },
  { route: "POST /overrides", path: "/overrides", body: OVERRIDE },
  { route: "/overrides", path: "/overrides?all=true", key: "viewer" },
  { route: "/overrides", path: "/overrides?limit=0", key: "viewer" },
  { route: "/overrides", path: "/overrides", key: "member" },
  { route: "/overrides", path: "/overrides" },
  { route: "DELETE /overrides/{id}", path: "/overrides/1", key: "admin" },
  { route: "DELETE /overrides/{id}", path: "/overrides/1", key: "admin" },
  { route: "DELETE /overrides/{id}", path: "/overrides/x", key: "admin" },
  { route: "DELETE /overrides/{id}", path: "/overrides/1", key: "viewer" },
  { route: "DELETE /overrides/{id}", path: "/overrides/1" },
  { route: "POST /ingest", path: "/ingest", key: "analyst", body: {} },
  { route: "POST /ingest", path: "/ingest", key: "viewer", body: {} },
  { route: "POST /ingest", path: "/ingest", body: {} },
  { route: "/jobs/{id}/rejects", path: "/jobs/none/rejects", key: "analyst" },
  { route: "/jobs/{id}/rejects", path: `/jobs/${"j".repeat(101)}/rejects`, key: "analyst" },
  { route: "/jobs/{id}/rejects", path: "/jobs/none/rejects", key: "viewer" },
  { route: "/jobs/{id}/rejects", path: "/jobs/none/rejects" },
  { route: "POST /ratings", path: "/ratings", key: "analyst", body: { customer_id: "c01", prospects: 4 } },
  { route: "POST /ratings", path: "/ratings", key: "analyst", body: { customer_id: "c01", prospects: 9 } },
  { route: "POST /ratings", path: "/ratings", key: "analyst", body: { customer_id: "nobody", prospects: 4 } },
  { route: "POST /ratings", path: "/ratings", key: "viewer", body: { customer_id: "c01", prospects: 4 } },
  { route: "POST /ratings", path: "/ratings", body: { customer_id: "c01", prospects: 4 } },
  { route: "/ratings", path: "/ratings?all=true", key: "viewer" },
  { route: "/ratings", path: "/ratings?cursor=x", key: "viewer" },
  { route: "/ratings", path: "/ratings", key: "member" },
  { route: "/ratings", path: "/ratings" },
  { route: "DELETE /ratings/{id}", path: "/ratings/1", key: "admin" },
  { route: "DELETE /ratings/{id}", path: "/ratings/1", key: "admin" },
  { route: "DELETE /ratings/{id}", path: "/ratings/0", key: "admin" },
  { route: "DELETE /ratings/{id}", path: "/ratings/1", key: "viewer" },
  { route: "DELETE /ratings/{id}", path: "/ratings/1" },
  { route: "/events", path: "/events?limit=2", key: "viewer" },
  { route: "/events", path: "/events?limit=0", key: "viewer" },
  { route: "/events", path: "/events", key: "member" },
  { route: "/events", path: "/events" },
  { route: "POST /webhooks", path: "/webhooks", key: "admin", body: { url: "ftp://example.com/" } },
  // A public address (no name to resolve); this server has no TIERWISE_SECRET_KEY: 503.
  { route: "POST /webhooks", path: "/webhooks", key: "admin", body: { url: "https://93.184.215.14/hook" } },
  { route: "POST /webhooks", path: "/webhooks", key: "viewer", body: {} },
  { route: "POST /webhooks", path: "/webhooks", body: {} },
  { route: "/webhooks", path: "/webhooks", key: "admin" },
  { route: "/webhooks", path: "/webhooks", key: "analyst" },
  { route: "/webhooks", path: "/webhooks" },
  { route: "DELETE /webhooks/{id}", path: "/webhooks/wh_none", key: "admin" },
  { route: "DELETE /webhooks/{id}", path: `/webhooks/${"w".repeat(101)}`, key: "admin" },
  { route: "DELETE /webhooks/{id}", path: "/webhooks/wh_none", key: "viewer" },
  { route: "DELETE /webhooks/{id}", path: "/webhooks/wh_none" },
  { route: "/webhooks/{id}/deliveries", path: "/webhooks/wh_none/deliveries", key: "admin" },
  { route: "/webhooks/{id}/deliveries", path: "/webhooks/wh_none/deliveries?limit=0", key: "admin" },
  { route: "/webhooks/{id}/deliveries", path: "/webhooks/wh_none/deliveries", key: "member" },
  { route: "/webhooks/{id}/deliveries", path: "/webhooks/wh_none/deliveries" },
  {
    route: "POST /webhooks/{id}/deliveries/{eventId}/retry",
    path: "/webhooks/wh_none/deliveries/1/retry",
    key: "admin",
  },
  { route: "POST /webhooks/{id}/deliveries/{eventId}/retry", path: "/webhooks/wh/deliveries/0/retry", key: "admin" },
  { route: "POST /webhooks/{id}/deliveries/{eventId}/retry", path: "/webhooks/wh/deliveries/1/retry", key: "admin" },
  { route: "POST /webhooks/{id}/deliveries/{eventId}/retry", path: "/webhooks/wh/deliveries/1/retry", key: "viewer" },
  { route: "POST /webhooks/{id}/deliveries/{eventId}/retry", path: "/webhooks/wh/deliveries/1/retry" },
  ...(["orders", "refunds", "interactions"] as const).flatMap((t) => [
    { route: `POST /events/${t}`, path: `/events/${t}`, key: "analyst" as const, body: { nope: 1 } },
    { route: `POST /events/${t}`, path: `/events/${t}`, key: "viewer" as const, body: { nope: 1 } },
    { route: `POST /events/${t}`, path: `/events/${t}`, body: { nope: 1 } },
    { route: `POST /events/${t}`, path: `/events/${t}`, key: "analyst" as const, body: { customer_id: "nobody" } },
  ]),
  {
    route: "POST /events/orders",
    path: "/events/orders",
    key: "analyst",
    body: { order_id: "contract-1", customer_id: "c05", ordered_at: "2025-12-01", amount: 5, status: "completed" },
  },
  {
    route: "POST /events/refunds",
    path: "/events/refunds",
    key: "analyst",
    body: {
      items: [
        {
          order_id: "contract-2",
          customer_id: "c05",
          ordered_at: "2025-12-02",
          amount: 5,
          refunds_order_id: "contract-1",
        },
      ],
    },
  },
  {
    route: "POST /events/interactions",
    path: "/events/interactions",
    key: "admin",
    body: { interaction_id: "contract-3", customer_id: "c06", at: "2025-12-01T10:00:00Z", kind: "survey", score: 4 },
  },
  { route: "/customers/{id}/grades", path: "/customers/c05/grades", key: "viewer" },
  { route: "/customers/{id}/grades", path: "/customers/c%01/grades", key: "viewer" },
  { route: "/customers/{id}/grades", path: "/customers/nobody/grades", key: "viewer" },
  { route: "/customers/{id}/grades", path: "/customers/c05/grades", key: "member" },
  { route: "/customers/{id}/grades", path: "/customers/c05/grades" },
];

describe("contract: every response validates against the served OpenAPI 3.1 document", () => {
  let s: Served;
  let doc: Doc;
  beforeAll(async () => {
    s = await served();
    doc = (await get(s.app, "/openapi.json")).body as Doc;
  });
  afterAll(async () => {
    await s?.close();
  });

  it("is OpenAPI 3.1 with a bearer security scheme", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc).toMatchObject({ components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } } });
  });

  const reached = new Set<string>();
  function check(
    routeWithMethod: string,
    r: { status: number; body: unknown; headers?: Record<string, unknown> },
  ): void {
    const [method, route] = routeWithMethod.includes(" ") ? routeWithMethod.split(" ") : ["GET", routeWithMethod];
    reached.add(`${routeWithMethod} ${r.status}`);
    // An HTML answer (a report) is documented as text/html, a string.
    const type = String(r.headers?.["content-type"] ?? "").startsWith("text/html") ? "text/html" : "application/json";
    const documented =
      doc.paths[route ?? ""]?.[(method ?? "GET").toLowerCase()]?.responses[String(r.status)]?.content?.[type]?.schema;
    expect(documented, `${route} documents status ${r.status}`).toBeDefined();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const valid = ajv.validate(documented as object, r.body);
    expect(ajv.errors ?? [], JSON.stringify(r.body).slice(0, 300)).toEqual([]);
    expect(valid).toBe(true);
  }

  it.each(CALLS)("$route $path ($key)", async ({ route, path, key, body }) => {
    const token = key === undefined ? undefined : key === "bad" ? "tw_bad" : s.keys[key];
    const method = (route.includes(" ") ? route.split(" ")[0] : "GET") as Method;
    check(route, await call(s.app, method, path, token, body));
  });

  it("a job made by POST /runs: GET /jobs/{id} 200", async () => {
    const started = await call(s.app, "POST", "/runs", s.keys.admin, { presets: ["abc"], as_of: "2025-11-30" });
    check("POST /runs", started);
    const job = await finished(s, (started.body as { id: string }).id);
    expect(job.status).toBe("succeeded");
    check("/jobs/{id}", await get(s.app, `/jobs/${job.id}`, s.keys.viewer));
  });

  it("a store without customers: POST /runs 409; without runs or an active policy: 404", async () => {
    const engine = await memoryStore();
    const app = await buildServer(engine, { logger: false });
    try {
      const key = await createApiKey(engine, "k", "analyst");
      for (const [route, body] of [
        ["POST /runs", {}],
        ["POST /backfills", BACKFILL],
      ] as const) {
        const path = route.split(" ")[1] ?? "";
        const empty = await call(app, "POST", path, key, body);
        expect(empty.body).toMatchObject({ code: "NO_CUSTOMERS" });
        check(route, empty);
      }
      await seed(engine, { customers: [{ customer_id: "c1", name: null }] });
      for (const [route, body] of [
        ["POST /runs", {}],
        ["POST /backfills", { ...BACKFILL, presets: undefined }],
        ["POST /policies/diff", { presets: ["abc"] }],
        ["GET /policies/active", undefined],
      ] as const) {
        const [method, path] = route.split(" ") as [Method, string];
        const none = await call(app, method, path, key, body);
        expect(none.body).toMatchObject({ code: "NO_ACTIVE_POLICY" });
        check(method === "GET" ? path : route, none);
      }
    } finally {
      await app.close();
      await engine.close();
    }
  });

  it("a store without runs: 404 NO_RUNS", async () => {
    const engine = await memoryStore();
    const app = await buildServer(engine, { logger: false });
    try {
      const key = await createApiKey(engine, "k", "viewer");
      const r = await get(app, "/customers", key);
      expect(r.body).toMatchObject({ code: "NO_RUNS" });
      check("/customers", r);
    } finally {
      await app.close();
      await engine.close();
    }
  });

  it("a store that does not answer: /ready 503", async () => {
    const engine = await memoryStore();
    const app = await buildServer(engine, { logger: false });
    try {
      await engine.close();
      const r = await get(app, "/ready");
      expect(r.status).toBe(503);
      check("/ready", r);
    } finally {
      await app.close();
    }
  });

  it("a failure the server did not expect: 500 API_INTERNAL with the request id, no stack, no data", async () => {
    const engine = await memoryStore();
    const key = await createApiKey(engine, "k", "viewer");
    // The engine fails the page query with a message holding customer data, as a driver might.
    const failing = new Proxy(engine, {
      get(target, name, receiver) {
        if (name !== "query") return Reflect.get(target, name, receiver);
        return (statement: unknown) => {
          if (JSON.stringify(statement).includes("WITH page"))
            throw new Error("violates constraint at value 'Ada Lovelace' (c01)");
          return target.query(statement as Parameters<typeof target.query>[0]);
        };
      },
    });
    await engine.exec(
      raw(`INSERT INTO tw_runs VALUES (1, DATE '2026-01-01', TIMESTAMP '2026-01-01 00:00:00',
      TIMESTAMP '2026-01-01 00:00:00', 0, 'h', 'schemes: []', 'f', 'duckdb', '{}')`),
    );
    // No read connections: the failing engine must answer the reads itself.
    const app = await buildServer(failing, { logger: false, readers: 0 });
    try {
      const r = await app.inject({
        url: "/customers",
        headers: { authorization: `Bearer ${key}`, "x-request-id": "req-42" },
      });
      expect(r.statusCode).toBe(500);
      expect(r.json()).toEqual({
        code: "API_INTERNAL",
        message: "the server failed to answer; its log has the details under request id req-42",
      });
      expect(r.headers["x-request-id"]).toBe("req-42");
      check("/customers", { status: r.statusCode, body: r.json() });
    } finally {
      await app.close();
      await engine.close();
    }
  });

  it("a member's status in a customer-facing scheme: 200 with progress and a pending downgrade", async () => {
    const m = await memberServed();
    try {
      for (const id of ["below", "at1000", "falling"])
        check("/members/{id}/status", await get(m.app, `/members/${id}/status`, m.keys.member));
    } finally {
      await m.close();
    }
  });

  it("POST /ingest: 202 with the job, 413 over the upload limit (multipart bodies)", async () => {
    const boundary = "----tierwise-contract";
    const body = (name: string, content: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\n\r\n${content}\r\n--${boundary}--\r\n`;
    const send = (app: typeof s.app, key: string, payload: string) =>
      app.inject({
        method: "POST",
        url: "/ingest",
        headers: { authorization: `Bearer ${key}`, "content-type": `multipart/form-data; boundary=${boundary}` },
        payload,
      });
    const accepted = await send(s.app, s.keys.analyst, body("customers.csv", "customer_id,name\nc99,New\n"));
    check("POST /ingest", { status: accepted.statusCode, body: accepted.json() });
    const engine = await memoryStore();
    const app = await buildServer(engine, { logger: false, upload: { fileBytes: 10, requestBytes: 100, files: 2 } });
    try {
      const key = await createApiKey(engine, "k", "analyst");
      const r = await send(app, key, body("customers.csv", "x".repeat(11)));
      check("POST /ingest", { status: r.statusCode, body: r.json() });
    } finally {
      await app.close();
      await engine.close();
    }
  });

  it("a store with a fitted CLV model: /customers/{id}/clv 200", async () => {
    const engine = await memoryStore();
    const app = await buildServer(engine, { logger: false });
    try {
      await ingestCdnowSample(engine);
      await fitClv(engine, { calibrationEnd: "1997-09-30" });
      const key = await createApiKey(engine, "k", "viewer");
      const id = (
        await engine.query(select({ id: col.text }, sql`SELECT min(customer_id) AS id FROM ${ident("customers")}`))
      )[0]?.id;
      const r = await get(app, `/customers/${id}/clv`, key);
      expect(r.status).toBe(200);
      check("/customers/{id}/clv", r);
    } finally {
      await app.close();
      await engine.close();
    }
  });

  it("webhook routes with a sealing key: 201, 409, and an endpoint's delete, deliveries and retry", async () => {
    const hook = await hookReceiver();
    const app = await buildServer(s.engine, {
      logger: false,
      webhooks: { secretKey: randomBytes(32), allowPrivate: true },
    });
    try {
      const post = (body: unknown) => call(app, "POST", "/webhooks", s.keys.admin, body);
      const made = await post({ url: hook.url });
      check("POST /webhooks", made);
      check("POST /webhooks", await post({ url: hook.url }));
      const id = (made.body as { id: string }).id;
      await appendEvents(s.engine, 1);
      const retry = `/webhooks/${id}/deliveries/1/retry`;
      // A server without the key cannot open the secret: 503.
      check("POST /webhooks/{id}/deliveries/{eventId}/retry", await call(s.app, "POST", retry, s.keys.admin));
      check("POST /webhooks/{id}/deliveries/{eventId}/retry", await call(app, "POST", retry, s.keys.admin));
      check("POST /webhooks/{id}/deliveries/{eventId}/retry", await call(app, "POST", retry, s.keys.admin));
      check("/webhooks/{id}/deliveries", await call(app, "GET", `/webhooks/${id}/deliveries`, s.keys.admin));
      check("DELETE /webhooks/{id}", await call(app, "DELETE", `/webhooks/${id}`, s.keys.admin));
    } finally {
      await app.close();
      await hook.close();
    }
  });

  it("covers every documented status of every route (run after the calls above)", () => {
    const documented = Object.entries(doc.paths).flatMap(([route, ops]) =>
      Object.entries(ops).flatMap(([method, op]) =>
        Object.keys(op.responses).map(
          (status) => `${method === "get" ? "" : `${method.toUpperCase()} `}${route} ${status}`,
        ),
      ),
    );
    // The 500 of every route is the one error handler, provoked above through /customers;
    // a 400 of a route without parameters cannot be provoked.
    const provokable = documented.filter(
      (d) =>
        !(d.endsWith(" 500") && d !== "/customers 500") &&
        !d.endsWith(" 429") && // the one rate limit of every route: limits.test.ts
        d !== "/jobs 400" &&
        d !== "/jobs 404" &&
        d !== "/jobs/{id}/rejects 200", // text/csv, not JSON: test/run/serve/ingest.test.ts compares it with the CLI's file
    );
    expect(provokable.filter((d) => !reached.has(d))).toEqual([]);
  });
});
