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
