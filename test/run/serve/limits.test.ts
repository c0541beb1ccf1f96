import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, type Served, served } from "./support.js";

/** Per-key rate limits (429 API_RATE_LIMITED with Retry-After) and CORS, off unless origins are named. */
describe("rate limits: per key, after the key is checked", () => {
  let s: Served;
  beforeAll(async () => {
    s = await served({ rateLimit: 3 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("allows the limit, then answers 429 with the code and Retry-After; another key has its own count", async () => {
    for (let i = 0; i < 3; i++) expect((await get(s.app, "/customers?limit=1", s.keys.viewer)).status).toBe(200);
    const refused = await get(s.app, "/customers?limit=1", s.keys.viewer);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: "API_RATE_LIMITED" });
    expect((refused.body as { message: string }).message).toMatch(/^this key has made 3 requests in the last minute/);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    // Other routes of the same key count together; another key starts afresh.
    expect((await get(s.app, "/jobs", s.keys.viewer)).status).toBe(429);
    expect((await get(s.app, "/customers?limit=1", s.keys.analyst)).status).toBe(200);
  });

  it("a request without a key is refused by the key check, not counted against a key", async () => {
    expect((await get(s.app, "/customers")).status).toBe(401);
    expect((await get(s.app, "/customers", s.keys.admin)).status).toBe(200);
  });
});

describe("CORS", () => {
  const preflight = (s: Served, origin: string) =>
    s.app.inject({
      method: "OPTIONS",
      url: "/customers",
      headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });

  it("is off by default: no Access-Control headers, a preflight is not answered for any origin", async () => {
    const s = await served();
    try {
      const r = await s.app.inject({
        url: "/customers",
        headers: { origin: "https://shop.example", authorization: `Bearer ${s.keys.viewer}` },
      });
      expect(r.statusCode).toBe(200);
      expect(r.headers["access-control-allow-origin"]).toBeUndefined();
      expect((await preflight(s, "https://shop.example")).headers["access-control-allow-origin"]).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it("allows only the named origins, preflight included (it needs no key)", async () => {
    const s = await served({ corsOrigins: ["https://shop.example"] });
    try {
      const ok = await preflight(s, "https://shop.example");
      expect(ok.statusCode).toBe(204);
      expect(ok.headers["access-control-allow-origin"]).toBe("https://shop.example");
      expect(String(ok.headers["access-control-allow-headers"])).toContain("authorization");
      const other = await preflight(s, "https://evil.example");
      expect(other.headers["access-control-allow-origin"]).toBeUndefined();
      const r = await s.app.inject({
        url: "/customers",
        headers: { origin: "https://shop.example", authorization: `Bearer ${s.keys.viewer}` },
      });
      expect(r.headers["access-control-allow-origin"]).toBe("https://shop.example");
    } finally {
      await s.close();
    }
  });
});
