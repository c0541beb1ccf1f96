import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raw } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { type Live, live } from "./live-support.js";
import { call } from "./support.js";

/**
 * Events are checked by the ingest's own rules: a refused event is a 422
 * with the ingest's reject code and the field (`items.N.column` in a
 * batch), and nothing of the request is written.
 */
const ORDER = {
  order_id: "n1",
  customer_id: "c05",
  ordered_at: "2025-12-30T10:00:00Z",
  amount: 20,
  status: "completed",
};
const SURVEY = { interaction_id: "s1", customer_id: "c05", at: "2025-12-30T10:00:00Z", kind: "survey", score: 4 };

describe("events break the ingest's rules: 422 with its code and field, nothing written", () => {
  let s: Live;
  beforeAll(async () => {
    s = await live();
  });
  afterAll(async () => {
    await s?.close();
  });

  const counts = async () =>
    (
      await s.engine.query(
        rawRows<{ o: number; i: number; l: number; e: number }>(
          raw(`SELECT (SELECT count(*) FROM orders) AS o, (SELECT count(*) FROM interactions) AS i,
            (SELECT count(*) FROM tw_live_grades) AS l, (SELECT count(*) FROM tw_events) AS e`),
        ),
      )
    )[0];

  it.each([
    ["orders", { ...ORDER, customer_id: "nobody" }, "UNKNOWN_REFERENCE", "customer_id"],
    ["orders", { ...ORDER, amount: "12,3.4" }, "NOT_A_NUMBER", "amount"],
    ["orders", { ...ORDER, amount: "NaN" }, "NOT_FINITE", "amount"],
    ["orders", { ...ORDER, amount: null }, "MISSING_VALUE", "amount"],
    ["orders", { ...ORDER, ordered_at: undefined }, "MISSING_VALUE", "ordered_at"],
    ["orders", { ...ORDER, cost: -1 }, "NEGATIVE", "cost"],
    ["orders", { ...ORDER, ordered_at: "yesterday" }, "INVALID_DATE", "ordered_at"],
    ["orders", { ...ORDER, ordered_at: "2025-02-30" }, "IMPOSSIBLE_DATE", "ordered_at"],
    ["orders", { ...ORDER, ordered_at: "1850-01-01" }, "DATE_OUT_OF_RANGE", "ordered_at"],
    ["orders", { ...ORDER, status: "lost" }, "UNKNOWN_VALUE", "status"],
    ["orders", { ...ORDER, order_id: "n\u0001" }, "INVALID_ID", "order_id"],
    ["refunds", { ...ORDER, amount: 5, refunds_order_id: "no-such-order" }, "UNKNOWN_REFERENCE", "refunds_order_id"],
    ["interactions", { ...SURVEY, score: undefined }, "SCORE_REQUIRED", "score"],
    ["interactions", { ...SURVEY, score: 9 }, "OUT_OF_RANGE", "score"],
    ["interactions", { ...SURVEY, score: 2.5 }, "NOT_AN_INTEGER", "score"],
    ["interactions", { ...SURVEY, kind: "gossip" }, "UNKNOWN_VALUE", "kind"],
  ])("POST /events/%s %j: 422 %s on %s", async (table, body, code, field) => {
    const before = await counts();
    const r = await call(s.app, "POST", `/events/${table}`, s.key, body);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code, field });
    expect(await counts()).toEqual(before);
  });

  it("a batch is all or nothing: item 2 breaks a rule, items 0 and 1 are not written either", async () => {
    const before = await counts();
    const r = await call(s.app, "POST", "/events/orders", s.key, {
      items: [ORDER, { ...ORDER, order_id: "n2", customer_id: "c06" }, { ...ORDER, order_id: "n3", amount: "x" }],
    });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: "NOT_A_NUMBER", field: "items.2.amount" });
    expect(await counts()).toEqual(before);
  });

  it("the same order id twice in a batch: the ingest's DUPLICATE_KEY on the second", async () => {
    const r = await call(s.app, "POST", "/events/orders", s.key, { items: [ORDER, { ...ORDER, amount: 30 }] });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: "DUPLICATE_KEY", field: "items.1.order_id" });
  });

  it("an order sent again unchanged is written once and changes no tier; a changed one updates it, as a re-ingest does", async () => {
    const first = await call(s.app, "POST", "/events/orders", s.key, { ...ORDER, order_id: "again" });
    expect(first.status).toBe(200);
    const before = await counts();
    const second = await call(s.app, "POST", "/events/orders", s.key, { ...ORDER, order_id: "again" });
    expect(second.status).toBe(200);
    expect((second.body as { customers: { changes: unknown[] }[] }).customers[0]?.changes).toEqual([]);
    expect(await counts()).toEqual(before);
    const changed = await call(s.app, "POST", "/events/orders", s.key, { ...ORDER, order_id: "again", amount: 60000 });
    expect(changed.status).toBe(200);
    expect((changed.body as { customers: { changes: unknown[] }[] }).customers[0]?.changes).toContainEqual({
      scheme: "value-grades",
      from: "Regular",
      to: "Gold",
    });
    expect((await counts())?.o).toBe(before?.o);
  });
});
