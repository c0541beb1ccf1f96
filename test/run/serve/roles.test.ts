import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY_ROLES } from "../../../src/store/api-keys.js";
import { call, get, type Method, type Served, served } from "./support.js";

/**
 * The role matrix of docs/serve.md, written out by hand: every route of the
 * OpenAPI document (and the docs page) × every role, no key and a bad key.
 * Keys are "METHOD /route" as the OpenAPI document names them. A route
 * that changes something is called with a body it refuses (`ok: 400`), so
 * that the matrix changes nothing: the key is checked before the body.
 */
const READERS = ["viewer", "analyst", "admin"];
const CHANGERS = ["analyst", "admin"];
interface Entry {
  readonly path: string;
  readonly roles: readonly string[] | "public";
  readonly body?: unknown;
  /** The status an allowed role gets (default 200). */
  readonly ok?: number;
}
const MATRIX: Readonly<Record<string, Entry>> = {
  "GET /health": { path: "/health", roles: "public" },
  "GET /ready": { path: "/ready", roles: "public" },
  "GET /customers": { path: "/customers", roles: READERS },
  "GET /customers/{id}": { path: "/customers/c01", roles: READERS },
  "GET /jobs": { path: "/jobs", roles: READERS },
  "GET /jobs/{id}": { path: "/jobs/none", roles: READERS, ok: 404 },
  // The served store grades only abc (internal): no customer-facing grade, so an allowed key gets 404.
  "GET /members/{id}/status": { path: "/members/c01/status", roles: ["member", "admin"], ok: 404 },
  "POST /runs": { path: "/runs", roles: ["analyst", "admin"], body: { presets: "abc" }, ok: 400 },
  "POST /backfills": { path: "/backfills", roles: ["analyst", "admin"], body: { every: "day" }, ok: 400 },
  "GET /runs": { path: "/runs", roles: READERS },
  "GET /runs/{id}": { path: "/runs/1", roles: READERS },
  "GET /runs/{id}/report": { path: "/runs/1/report", roles: READERS },
  "GET /runs/{id}/report.html": { path: "/runs/1/report.html", roles: READERS },
  "POST /policies/check": { path: "/policies/check", roles: ["analyst", "admin"], body: {}, ok: 400 },
  "POST /policies/diff": { path: "/policies/diff", roles: ["analyst", "admin"], body: {}, ok: 400 },
  "POST /policies": { path: "/policies", roles: ["admin"], body: {}, ok: 400 },
  "GET /policies": { path: "/policies", roles: READERS },
  "GET /policies/active": { path: "/policies/active", roles: READERS },
  "GET /presets": { path: "/presets", roles: READERS },
  "POST /overrides": { path: "/overrides", roles: CHANGERS, body: {}, ok: 400 },
  "GET /overrides": { path: "/overrides", roles: READERS },
  "DELETE /overrides/{id}": { path: "/overrides/none", roles: CHANGERS, ok: 400 },
  "POST /ingest": { path: "/ingest", roles: CHANGERS, body: {}, ok: 400 },
  "GET /jobs/{id}/rejects": { path: "/jobs/none/rejects", roles: CHANGERS, ok: 404 },
  "POST /ratings": { path: "/ratings", roles: CHANGERS, body: {}, ok: 400 },
  "GET /ratings": { path: "/ratings", roles: READERS },
  "DELETE /ratings/{id}": { path: "/ratings/none", roles: CHANGERS, ok: 400 },
  "GET /events": { path: "/events", roles: READERS },
  "POST /webhooks": { path: "/webhooks", roles: ["admin"], body: { url: "ftp://example.com/" }, ok: 400 },
  "GET /webhooks": { path: "/webhooks", roles: ["admin"] },
  "DELETE /webhooks/{id}": { path: "/webhooks/wh_none", roles: ["admin"], ok: 404 },
  "GET /webhooks/{id}/deliveries": { path: "/webhooks/wh_none/deliveries", roles: ["admin"], ok: 404 },
  "POST /webhooks/{id}/deliveries/{eventId}/retry": {
    path: "/webhooks/wh_none/deliveries/0/retry",
    roles: ["admin"],
    ok: 400,
  },
  "POST /events/orders": { path: "/events/orders", roles: ["analyst", "admin"], body: { nope: 1 }, ok: 400 },
  "POST /events/refunds": { path: "/events/refunds", roles: ["analyst", "admin"], body: { nope: 1 }, ok: 400 },
  "POST /events/interactions": {
    path: "/events/interactions",
    roles: ["analyst", "admin"],
    body: { nope: 1 },
    ok: 400,
  },
  "GET /customers/{id}/grades": { path: "/customers/c01/grades", roles: READERS },
  "GET /customers/{id}/history": { path: "/customers/c01/history", roles: READERS },
  "GET /customers/{id}/recommendations": { path: "/customers/c01/recommendations", roles: READERS },
  "GET /customers/{id}/clv": { path: "/customers/c01/clv", roles: READERS, ok: 404 },
};
const UNDOCUMENTED_PUBLIC = ["/openapi.json", "/docs", "/docs/static/swagger-ui-bundle.js"];

describe("the role matrix: every route × every role, no key, a bad key", () => {
  let s: Served;
  beforeAll(async () => {
    s = await served();
  });
  afterAll(async () => {
    await s?.close();
  });

  it("lists every route of the OpenAPI document", async () => {
    const doc = (await get(s.app, "/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([route, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(routes.sort()).toEqual(Object.keys(MATRIX).sort());
  });

  const BAD_KEYS = [
    "tw_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // well-formed, unknown
    "not-a-key",
  ];

  it.each(Object.entries(MATRIX))("%s", async (route, { path, roles, body, ok = 200 }) => {
    const method = route.split(" ")[0] as Method;
    const ask = (p: string, key?: string) => call(s.app, method, p, key, body);
    for (const role of API_KEY_ROLES) {
      const r = await ask(path, s.keys[role]);
      const allowed = roles === "public" || roles.includes(role);
      expect({ role, status: r.status }).toEqual({ role, status: allowed ? ok : 403 });
      if (!allowed) expect(r.body).toMatchObject({ code: "API_FORBIDDEN" });
    }
    const wrongSecret = `${s.keys.viewer.slice(0, -1)}${s.keys.viewer.endsWith("A") ? "B" : "A"}`;
    for (const key of [undefined, ...BAD_KEYS, wrongSecret]) {
      const r = await ask(path, key);
      expect({ key, status: r.status }).toEqual({ key, status: roles === "public" ? 200 : 401 });
      if (roles !== "public") expect(r.body).toMatchObject({ code: "API_UNAUTHORIZED" });
    }
  });

  it("docs/serve.md's role table says the same", () => {
    const doc = readFileSync(new URL("../../../docs/serve.md", import.meta.url), "utf8");
    const rows = new Map(
      doc
        .split("\n")
        .filter((l) => /^\| `[A-Z]+ \//.test(l))
        .map((l) => {
          const cells = l.split("|").map((c) => c.trim());
          return [cells[1]?.replace(/^`(.*)`$/, "$1") ?? "", cells.slice(2, 7)] as const;
        }),
    );
    for (const [route, { roles }] of Object.entries(MATRIX)) {
      const expected: string[] = API_KEY_ROLES.map((r) => (roles === "public" || roles.includes(r) ? "yes" : "403"));
      expected.push(roles === "public" ? "yes" : "401");
      expect({ route, cells: rows.get(route) }).toEqual({ route, cells: expected });
    }
    for (const route of ["GET /openapi.json", "GET /docs"]) expect(rows.get(route)).toEqual(Array(5).fill("yes"));
  });

  it("the OpenAPI document and the docs page need no key", async () => {
    for (const path of UNDOCUMENTED_PUBLIC) expect((await get(s.app, path)).status).toBe(200);
  });

  it("a revoked key stops working at once", async () => {
    const { createApiKey, revokeApiKey } = await import("../../../src/store/api-keys.js");
    const key = await createApiKey(s.engine, "short-lived", "viewer");
    expect((await get(s.app, "/customers", key)).status).toBe(200);
    await revokeApiKey(s.engine, "short-lived");
    expect((await get(s.app, "/customers", key)).status).toBe(401);
  });
});
