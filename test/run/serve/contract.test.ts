import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitClv } from "../../../src/clv-store/fit.js";
import { buildServer } from "../../../src/serve/server.js";
import { raw } from "../../../src/sql/fragment.js";
import { col, ident, select, sql } from "../../../src/sql/index.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { ingestCdnowSample } from "../clv/support.js";
import { memoryStore } from "../support.js";
import { call, get, type Method, type Served, served } from "./support.js";

interface Doc {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
}

/**
 * Requests that reach every documented status of every route. `route` is
 * "METHOD /route" when the method is not GET.
 */
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
  function check(routeWithMethod: string, r: { status: number; body: unknown }): void {
    const [method, route] = routeWithMethod.includes(" ") ? routeWithMethod.split(" ") : ["GET", routeWithMethod];
    reached.add(`${routeWithMethod} ${r.status}`);
    const documented =
      doc.paths[route ?? ""]?.[(method ?? "GET").toLowerCase()]?.responses[String(r.status)]?.content?.[
        "application/json"
      ]?.schema;
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
    const app = await buildServer(failing, { logger: false });
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
        d !== "/jobs 400" &&
        d !== "/jobs 404" &&
        d !== "/jobs/{id} 200", // FIXME(runs): a job made by POST /runs
    );
    expect(provokable.filter((d) => !reached.has(d))).toEqual([]);
  });
});
