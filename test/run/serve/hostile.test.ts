import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countRowsSql } from "../../../src/sql/store/schema.js";
import { get, type Served, served } from "./support.js";

/** Hostile values on every parameter: 400 naming the field, or a true answer; never a 500 or a leak. */
describe("hostile parameters", () => {
  let s: Served;
  beforeAll(async () => {
    s = await served();
  });
  afterAll(async () => {
    await s?.close();
  });

  const call = (path: string) => get(s.app, path, s.keys.viewer);

  it.each([
    ["limit=0", "limit"],
    ["limit=-1", "limit"],
    ["limit=1000000000", "limit"],
    ["limit=501", "limit"],
    ["limit=NaN", "limit"],
    ["limit=abc", "limit"],
    ["limit=1.5", "limit"],
    ["limit=1e400", "limit"],
    [`q=${"a".repeat(201)}`, "q"],
    [`q=${"x".repeat(10_000)}`, "q"],
    ["q=", "q"],
    ["q=a%00b", "q"],
    ["q=a%0Ab", "q"],
    ["scheme=nope", "scheme"],
    ["scheme=abc&tier=Z", "tier"],
    ["tier=A", "tier"],
    ["cursor=!!!", "cursor"],
    [`cursor=${Buffer.from("not json").toString("base64url")}`, "cursor"],
    [`cursor=${Buffer.from(JSON.stringify({ after: 5 })).toString("base64url")}`, "cursor"],
    [`cursor=${"A".repeat(5000)}`, "cursor"],
    ["at_risk=yes", "at_risk"],
    ["at_risk=", "at_risk"],
    ["at_risk=TRUE", "at_risk"],
    ["at_risk=1", "at_risk"],
    ["sort=value", "sort"],
    ["sort=--name", "sort"],
    ["sort=name%3B%20DROP%20TABLE%20customers", "sort"],
    ["sort=score", "sort"],
    ["sort=-score", "sort"],
    ["sort=revenue&cursor=" + Buffer.from(JSON.stringify({ after: "c01" })).toString("base64url"), "cursor"],
    [
      "sort=name&cursor=" + Buffer.from(JSON.stringify({ after: "c01", sort: "name", key: 5 })).toString("base64url"),
      "cursor",
    ],
    [
      "sort=name&cursor=" +
        Buffer.from(JSON.stringify({ after: "c01", sort: "-name", key: "a" })).toString("base64url"),
      "cursor",
    ],
    ...["1e400", "not a number", "1e3", "NaN", "12345678901234567890123456789012345", "1.23456", ""].map((key) => [
      "sort=-revenue&cursor=" +
        Buffer.from(JSON.stringify({ after: "c01", sort: "-revenue", key })).toString("base64url"),
      "cursor",
    ]),
    ...["1e400", "Infinity", "nan", "0x10", "", " 1"].map((key) => [
      "sort=score&scheme=abc&cursor=" +
        Buffer.from(JSON.stringify({ after: "c01", sort: "score", key })).toString("base64url"),
      "cursor",
    ]),
  ])("GET /customers?%s is a 400 naming %s", async (query, field) => {
    const r = await call(`/customers?${query}`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ field });
    expect(["API_INVALID_REQUEST", "UNKNOWN_SCHEME", "UNKNOWN_TIER"]).toContain((r.body as { code: string }).code);
    expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.ts:\d+/); // no stack
  });

  it.each([
    ["q=%27%3B%20DROP%20TABLE%20customers%3B%20--", ["c04"]],
    ["q=%F0%9F%A6%84", []],
    ["q=%E2%80%8B", []],
    ["q=%5C", []],
    ["q=%25%25", []],
    ["scheme=abc%27%20OR%201%3D1%20--", null],
    ["limit=500&q=c", null],
    // A forged cursor of the right shape pages from its values, which are bound, never SQL.
    [
      `sort=name&cursor=${Buffer.from(JSON.stringify({ after: "c04", sort: "name", key: "O'Brien'; DROP TABLE customers; --" })).toString("base64url")}`,
      ["c10", "c11", "c12", "c05", "c06", "c07", "c08", "c09", "c02", "x"],
    ],
  ])("GET /customers?%s answers truly", async (query, expected) => {
    const r = await call(`/customers?${query}`);
    if (expected === null) {
      expect([200, 400]).toContain(r.status);
    } else {
      expect(r.status).toBe(200);
      expect((r.body as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(expected);
    }
    expect((await s.engine.query(countRowsSql("customers")))[0]?.n).toBe(13);
  });

  it.each([
    ["c%01", 400],
    [`${"c".repeat(201)}`, 400],
    [`${"c".repeat(2000)}`, 400],
    ["%27%3B%20DROP%20TABLE%20customers%3B%20--", 404],
    ["%F0%9F%A6%84", 404],
    ["..%2F..%2Fetc%2Fpasswd", 404],
    ["c01%20", 200], // trimmed as ingest trims ids (docs/ingest.md, Ids)
  ])("GET /customers/%s is a %i", async (id, status) => {
    const r = await call(`/customers/${id}`);
    expect(r.status).toBe(status);
    if (status === 400) expect(r.body).toMatchObject({ code: "API_INVALID_REQUEST", field: "id" });
    if (status === 404) expect(r.body).toMatchObject({ code: "UNKNOWN_ENTITY" });
  });

  it.each([
    ["c%01/history", 400, "id"],
    [`${"c".repeat(201)}/history`, 400, "id"],
    ["c01/history?scheme=", 400, "scheme"],
    [`c01/history?scheme=${"s".repeat(201)}`, 400, "scheme"],
    ["c01/history?scheme=a%00b", 400, "scheme"],
    ["c01/history?scheme=abc%27%20OR%201%3D1%20--", 400, "scheme"],
    ["%27%3B%20DROP%20TABLE%20customers%3B%20--/history", 404, undefined],
    ["c01/history?scheme=abc", 200, undefined],
    ["c%01/recommendations", 400, "id"],
    ["c01/recommendations?top=0", 400, "top"],
    ["c01/recommendations?top=51", 400, "top"],
    ["c01/recommendations?top=1e400", 400, "top"],
    ["c01/recommendations?top=abc", 400, "top"],
    ["c01/recommendations?level=brand", 400, "level"],
    ["c01/recommendations?level=", 400, "level"],
    ["c01/recommendations?scheme=", 400, "scheme"],
    ["c01/recommendations?scheme=a%0Ab", 400, "scheme"],
    ["c01/recommendations?scheme=nope%27%3B%20DROP%20TABLE%20customers", 400, "scheme"],
    ["..%2F..%2Fetc%2Fpasswd/recommendations", 404, undefined],
    ["c01/recommendations?scheme=abc&top=50&level=category", 200, undefined],
    ["c%01/clv", 400, "id"],
    ["c01/clv?months=0", 400, "months"],
    ["c01/clv?months=121", 400, "months"],
    ["c01/clv?months=1.5", 400, "months"],
    ["c01/clv?months=-12", 400, "months"],
    ["c01/clv?months=1e400", 400, "months"],
    ["c01/clv?months=%27", 400, "months"],
    ["nobody/clv", 404, undefined],
  ])("GET /customers/%s is a %i", async (path, status, field) => {
    const r = await call(`/customers/${path}`);
    expect(r.status).toBe(status);
    if (field !== undefined) expect(r.body).toMatchObject({ field });
    expect((await s.engine.query(countRowsSql("customers")))[0]?.n).toBe(13);
  });

  it("a body over the limit is a 413; an unknown route a 404; no CORS headers", async () => {
    const big = await s.app.inject({
      method: "POST",
      url: "/customers",
      headers: { authorization: `Bearer ${s.keys.viewer}`, "content-type": "application/json" },
      payload: `"${"x".repeat(2 * 1024 * 1024)}"`,
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toEqual({
      code: "API_BODY_TOO_LARGE",
      message: "the request body is larger than the server accepts (1048576 bytes)",
    });
    const unknown = await call("/nope?secret=1");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      code: "API_ROUTE_NOT_FOUND",
      message: "no such route; GET /openapi.json lists the routes",
    });
    const cors = await s.app.inject({ method: "GET", url: "/health", headers: { origin: "https://evil.example" } });
    expect(cors.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("malformed Authorization headers are 401s", async () => {
    for (const header of [
      "Bearer",
      "Bearer ",
      "Basic abc",
      `Bearer ${"a".repeat(10_000)}`,
      "bearer tw_x",
      "Bearer \u00e9",
    ]) {
      const r = await s.app.inject({ method: "GET", url: "/customers", headers: { authorization: header } });
      expect(r.statusCode).toBe(401);
    }
  });

  const OVERRIDE = { customer_id: "c05", scheme: "abc", tier: "A", reason: "r" };
  it.each([
    [{ ...OVERRIDE, customer_id: "" }, "customer_id"],
    [{ ...OVERRIDE, customer_id: "   " }, "customer_id"],
    [{ ...OVERRIDE, customer_id: "c0\u00005" }, "customer_id"],
    [{ ...OVERRIDE, customer_id: "c".repeat(201) }, "customer_id"],
    [{ ...OVERRIDE, customer_id: 5 }, "customer_id"],
    [{ ...OVERRIDE, customer_id: ["c05"] }, "customer_id"],
    [{ ...OVERRIDE, scheme: "abc' OR 1=1 --" }, "scheme"],
    [{ ...OVERRIDE, scheme: "a\nb" }, "scheme"],
    [{ ...OVERRIDE, tier: "A'; DROP TABLE tw_overrides; --" }, "tier"],
    [{ ...OVERRIDE, tier: null }, "tier"],
    [{ ...OVERRIDE, mode: "FIXED" }, "mode"],
    [{ ...OVERRIDE, reason: "" }, "reason"],
    [{ ...OVERRIDE, reason: "x".repeat(1001) }, "reason"],
    [{ ...OVERRIDE, reason: "a\u0000b" }, "reason"],
    [{ ...OVERRIDE, expires: "2026-02-30" }, "expires"],
    [{ ...OVERRIDE, expires: "1899-12-31" }, "expires"],
    [{ ...OVERRIDE, expires: "+99999-01-01" }, "expires"],
    [{ ...OVERRIDE, expires: "2026-1-1" }, "expires"],
    [{ ...OVERRIDE, expires: 20260101 }, "expires"],
    [{ ...OVERRIDE, by: "mallory" }, "body"],
    [{ ...OVERRIDE, __proto__: { admin: true }, constructor: "x" }, "body"],
    [[OVERRIDE], "body"],
    ["c05", "body"],
  ])("POST /overrides %j is a 400 naming %s; nothing written", async (body, field) => {
    const r = await s.app.inject({
      method: "POST",
      url: "/overrides",
      headers: { authorization: `Bearer ${s.keys.analyst}`, "content-type": "application/json" },
      payload: JSON.stringify(body),
    });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().field).toBe(field);
    expect(r.body).not.toMatch(/\bat .*\.ts:\d+/);
    expect((await s.engine.query(countRowsSql("tw_overrides")))[0]?.n).toBe(0);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=501", "limit"],
    ["limit=1e400", "limit"],
    ["all=yes", "all"],
    ["all=1", "all"],
    ["customer_id=a%00b", "customer_id"],
    [`customer_id=${"c".repeat(201)}`, "customer_id"],
    ["scheme=", "scheme"],
    ["cursor=!!!", "cursor"],
    [`cursor=${Buffer.from(JSON.stringify({ after: "c01" })).toString("base64url")}`, "cursor"],
    [`cursor=${Buffer.from(JSON.stringify({ after: -1 })).toString("base64url")}`, "cursor"],
    [`cursor=${Buffer.from(JSON.stringify({ after: 1e300 })).toString("base64url")}`, "cursor"],
  ])("GET /overrides?%s is a 400 naming %s", async (query, field) => {
    const r = await call(`/overrides?${query}`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "API_INVALID_REQUEST", field });
  });

  it.each([
    ["0", 400],
    ["-1", 400],
    ["1.5", 400],
    ["1e400", 400],
    ["99999999999999999999", 400],
    ["abc", 400],
    ["%27%20OR%201%3D1", 400],
    ["12345", 404],
  ])("DELETE /overrides/%s is a %i", async (id, status) => {
    const r = await s.app.inject({
      method: "DELETE",
      url: `/overrides/${id}`,
      headers: { authorization: `Bearer ${s.keys.admin}` },
    });
    expect(r.statusCode).toBe(status);
    expect(r.json()).toMatchObject(status === 400 ? { field: "id" } : { code: "OVERRIDE_NOT_FOUND" });
  });

  const B = "----hostile";
  const part = (disposition: string, content = "customer_id\nc01\n") =>
    `--${B}\r\nContent-Disposition: ${disposition}\r\n\r\n${content}\r\n--${B}--\r\n`;
  it.each([
    ["no boundary", "multipart/form-data", part('form-data; name="files"; filename="customers.csv"')],
    [
      "a truncated body",
      `multipart/form-data; boundary=${B}`,
      `--${B}\r\nContent-Disposition: form-data; name="files"; filename="customers.csv"\r\n\r\nc01`,
    ],
    ["an empty body", `multipart/form-data; boundary=${B}`, ""],
    [
      "a file name with a NUL",
      `multipart/form-data; boundary=${B}`,
      part('form-data; name="files"; filename="customers\u0000.csv"'),
    ],
    [
      "a file name of 10,000 characters",
      `multipart/form-data; boundary=${B}`,
      part(`form-data; name="files"; filename="${"c".repeat(10_000)}.csv"`),
    ],
    ["a part without a name", `multipart/form-data; boundary=${B}`, part('form-data; filename="customers.csv"')],
    [
      "a part named __proto__",
      `multipart/form-data; boundary=${B}`,
      part('form-data; name="__proto__"; filename="customers.csv"'),
    ],
    ["a text field", `multipart/form-data; boundary=${B}`, part('form-data; name="time_zone"', "UTC")],
    ["a text body", "text/plain", "customer_id\nc01\n"],
  ])("POST /ingest with %s is a 4xx, no job started", async (_what, type, payload) => {
    const r = await s.app.inject({
      method: "POST",
      url: "/ingest",
      headers: { authorization: `Bearer ${s.keys.analyst}`, "content-type": type },
      payload,
    });
    expect(r.statusCode, r.body).toBeGreaterThanOrEqual(400);
    expect(r.statusCode, r.body).toBeLessThan(500);
    expect(r.json()).toHaveProperty("code");
    expect(r.body).not.toMatch(/\bat .*\.ts:\d+/);
    expect(((await get(s.app, "/jobs", s.keys.viewer)).body as { items: unknown[] }).items).toEqual([]);
  });

  it.each([
    ["%27%20OR%201%3D1", 404],
    ["..%2F..%2Fetc%2Fpasswd", 404],
    [`${"j".repeat(101)}`, 400],
  ])("GET /jobs/%s/rejects is a %i", async (id, status) => {
    const r = await get(s.app, `/jobs/${id}/rejects`, s.keys.analyst);
    expect(r.status).toBe(status);
  });

  it.each([
    [{ customer_id: "c01", prospects: 1e300 }, "prospects"],
    [{ customer_id: "c01", prospects: -1 }, "prospects"],
    [{ customer_id: "c01", prospects: true }, "prospects"],
    [{ customer_id: "c01", prospects: [4] }, "prospects"],
    [{ customer_id: "c01' OR 1=1 --", prospects: 4 }, null],
    [{ customer_id: "c0\u00001", prospects: 4 }, "customer_id"],
    [{ customer_id: "\u202e10c", prospects: 4 }, null],
    [{ customer_id: "c01", prospects: 4, __proto__: { x: 1 } }, null],
    [{ customer_id: "c01", prospects: 4, by: "x" }, "body"],
  ])("POST /ratings %j: a 400 naming %s, or a 404/201 truly", async (body, field) => {
    const r = await s.app.inject({
      method: "POST",
      url: "/ratings",
      headers: { authorization: `Bearer ${s.keys.analyst}`, "content-type": "application/json" },
      payload: JSON.stringify(body),
    });
    if (field === null) expect([201, 404]).toContain(r.statusCode);
    else expect({ status: r.statusCode, field: r.json().field }).toEqual({ status: 400, field });
    expect(r.body).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it.each([
    ["limit=0", "limit"],
    ["all=TRUE", "all"],
    ["customer_id=", "customer_id"],
    ["cursor=%00", "cursor"],
  ])("GET /ratings?%s is a 400 naming %s", async (query, field) => {
    const r = await call(`/ratings?${query}`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ field });
  });

  it.each([["0"], ["-5"], ["1e3"], ["9007199254740993"], ["x"]])("DELETE /ratings/%s is a 400", async (id) => {
    const r = await s.app.inject({
      method: "DELETE",
      url: `/ratings/${id}`,
      headers: { authorization: `Bearer ${s.keys.admin}` },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ field: "id" });
  });
});

/** Hostile values on the runs and policies routes' parameters (their bodies: runs.test.ts, policies.test.ts). */
describe("hostile parameters of the runs routes", () => {
  let s: Served;
  beforeAll(async () => {
    s = await served();
  });
  afterAll(async () => {
    await s?.close();
  });

  it.each([
    ["/runs/0", 400, "id"],
    ["/runs/-1", 400, "id"],
    ["/runs/1.5", 400, "id"],
    ["/runs/1e3", 400, "id"],
    ["/runs/99999999999999999999", 400, "id"],
    ["/runs/%27%20OR%201%3D1", 400, "id"],
    ["/runs/2147483647", 404, null],
    ["/runs/1/report?scheme=%27%3B%20DROP%20TABLE%20tw_runs%3B%20--", 400, "scheme"],
    [`/runs/1/report?scheme=${"s".repeat(201)}`, 400, "scheme"],
    ["/runs/1/report?crosstab=abc", 400, "crosstab"],
    ["/runs/1/report?crosstab=%20x%20", 400, "crosstab"],
    ["/runs/1/report.html?crosstab=abc%20x%20nope", 400, "scheme"],
    ["/runs?limit=0", 400, "limit"],
    ["/runs?limit=501", 400, "limit"],
    ["/runs?cursor=!!!", 400, "cursor"],
    [`/runs?cursor=${Buffer.from(JSON.stringify({ run: "1" })).toString("base64url")}`, 400, "cursor"],
    [`/runs?cursor=${Buffer.from(JSON.stringify({ run: 424242 })).toString("base64url")}`, 400, "cursor"],
    [`/runs?cursor=${"A".repeat(5000)}`, 400, "cursor"],
  ])("GET %s is a %i", async (path, status, field) => {
    const r = await get(s.app, path, s.keys.viewer);
    expect(r.status).toBe(status);
    if (field !== null) expect(r.body).toMatchObject({ field });
    expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.ts:\d+/); // no stack
    expect((await s.engine.query(countRowsSql("tw_runs")))[0]?.n).toBe(1);
  });

  it("a policy as a JSON body that is not an object, or not JSON, is a 400", async () => {
    for (const payload of ['"schemes: []"', "[1,2]", "null", "{not json"]) {
      const r = await s.app.inject({
        method: "POST",
        url: "/policies/check",
        headers: { authorization: `Bearer ${s.keys.analyst}`, "content-type": "application/json" },
        payload,
      });
      expect({ payload, status: r.statusCode }).toEqual({ payload, status: 400 });
      expect(r.json()).toMatchObject({ code: "API_INVALID_REQUEST" });
    }
  });
});
