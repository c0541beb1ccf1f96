import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raw } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { type Live, live } from "./live-support.js";
import { call } from "./support.js";

/** Hostile bodies on the events routes: a 400 naming the field or a 422 with the ingest's code; never a 500, a stack or a leak. */
const ORDER = {
  order_id: "h1",
  customer_id: "c05",
  ordered_at: "2025-12-30T10:00:00Z",
  amount: 20,
  status: "completed",
};

describe("hostile event bodies", () => {
  let s: Live;
  beforeAll(async () => {
    s = await live();
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = (body: unknown, table = "orders") => call(s.app, "POST", `/events/${table}`, s.key, body);

  it.each([
    ["an array", [ORDER], "body"],
    ["null", null, "body"],
    ["no items", { items: [] }, "body"],
    ["101 items", { items: Array.from({ length: 101 }, (_, i) => ({ ...ORDER, order_id: `h${i}` })) }, "body"],
    ["items beside fields", { ...ORDER, items: [ORDER] }, "body"],
    ["an unknown field", { ...ORDER, discount_code: "X" }, "body"],
    ["an object as a value", { ...ORDER, amount: { value: 1 } }, "body"],
    ["a list as a value", { ...ORDER, customer_id: ["c05"] }, "body"],
    ["a boolean as a value", { ...ORDER, amount: true }, "body"],
    ["a NUL in a value", { ...ORDER, order_id: "h\u0000" }, "order_id"],
    ["a 10,000-character value", { ...ORDER, order_id: "h".repeat(10_000) }, "order_id"],
    ["kind on a refund", { ...ORDER, kind: "order" }, "body"],
  ])("%s: 400", async (_what, body, field) => {
    const r = await post(body, _what === "kind on a refund" ? "refunds" : "orders");
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "API_INVALID_REQUEST" });
    expect((r.body as { field: string }).field).toBe(field);
    expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it.each([
    ["SQL in the customer id", { ...ORDER, customer_id: "c05'; DROP TABLE orders; --" }],
    ["a huge amount", { ...ORDER, amount: 1e308 }],
    ["an amount in exponent form", { ...ORDER, amount: "1e400" }],
    ["a timestamp with a zone far away", { ...ORDER, ordered_at: "2025-12-30T10:00:00+14:00" }],
    ["a date in 9999", { ...ORDER, ordered_at: "9999-12-31" }],
    ["an id with an invisible character", { ...ORDER, order_id: "h\u200b1" }],
    ["an emoji customer", { ...ORDER, customer_id: "🦄" }],
    ["a negative status", { ...ORDER, status: "-1" }],
  ])("%s: answered truly (200 or a 422 with the ingest's code), never a 500", async (_what, body) => {
    const r = await post(body);
    expect([200, 422]).toContain(r.status);
    if (r.status === 422) expect((r.body as { field: string }).field).toMatch(/^[a-z_]+$/);
    expect(JSON.stringify(r.body)).not.toContain("DROP TABLE");
  });

  it("SQL in an order id is only an id", async () => {
    const id = "h'); DELETE FROM orders; --";
    const r = await post({ ...ORDER, order_id: id });
    expect(r.status).toBe(200);
    const rows = await s.engine.query(rawRows<{ n: number }>(raw("SELECT count(*) AS n FROM orders")));
    expect(Number(rows[0]?.n)).toBeGreaterThan(10);
  });

  it("GET /customers/{id}/grades with a control character, an unknown or a long id: 400 or 404", async () => {
    expect((await call(s.app, "GET", "/customers/c%01/grades", s.viewer)).status).toBe(400);
    expect((await call(s.app, "GET", "/customers/nobody/grades", s.viewer)).body).toMatchObject({
      code: "UNKNOWN_ENTITY",
    });
    expect((await call(s.app, "GET", `/customers/${"c".repeat(1001)}/grades`, s.viewer)).status).toBe(400);
    expect((await call(s.app, "GET", "/customers/%27%20OR%201%3D1/grades", s.viewer)).status).toBe(404);
  });
});
