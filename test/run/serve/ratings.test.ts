import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRatings, rate } from "../../../src/run/ratings.js";
import { buildServer } from "../../../src/serve/server.js";
import { raw, sql } from "../../../src/sql/fragment.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { ensureStoreSchema } from "../../../src/store/schema.js";
import { rawRows } from "../../support/raw-rows.js";
import { grade, memoryStore, seed } from "../support.js";
import { CUSTOMERS, call, get, type Served, served } from "./support.js";

interface RatingView {
  id: number;
  customer_id: string;
  prospects: number;
  rated_by: string;
  rated_at: string;
  removed_at: string | null;
  removed_by: string | null;
}
interface Page {
  items: RatingView[];
  next_cursor: string | null;
}

/** Ratings over HTTP: the rows runs read (tw_ratings), the author being the key's name, the audit kept. */
describe("POST /ratings, GET /ratings, DELETE /ratings/{id}", () => {
  let s: Served;
  beforeAll(async () => {
    s = await served();
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = (body: unknown, key = s.keys.analyst) => call(s.app, "POST", "/ratings", key, body);
  const list = async (query = "") => {
    const r = await get(s.app, `/ratings${query}`, s.keys.viewer);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as Page;
  };
  const stored = () =>
    s.engine.query(
      rawRows<{ rating_id: unknown; customer_id: string; rating: unknown; rated_by: string }>(
        raw("SELECT rating_id, customer_id, rating, rated_by FROM tw_ratings ORDER BY rating_id"),
      ),
    );

  it("a rating is the row runs read, by the key's name", async () => {
    const r = await post({ customer_id: " c01 ", prospects: 4 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      id: 1,
      customer_id: "c01",
      prospects: 4,
      rated_by: "key-analyst",
      removed_at: null,
      removed_by: null,
    });
    expect((await stored()).map((x) => [Number(x.rating_id), x.customer_id, Number(x.rating), x.rated_by])).toEqual([
      [1, "c01", 4, "key-analyst"],
    ]);
    expect((await list()).items.map((i) => i.id)).toEqual([1]);
  });

  it("removing it takes it from the runs' table; the audit keeps who rated and who removed; ids are never reused", async () => {
    const r = await call(s.app, "DELETE", "/ratings/1", s.keys.admin);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ id: 1, prospects: 4, rated_by: "key-analyst", removed_by: "key-admin" });
    expect((r.body as RatingView).removed_at).not.toBeNull();
    expect(await stored()).toEqual([]);
    expect((await list()).items).toEqual([]);
    expect((await list("?all=true")).items.map((i) => [i.id, i.rated_by, i.removed_by])).toEqual([
      [1, "key-analyst", "key-admin"],
    ]);
    const again = await call(s.app, "DELETE", "/ratings/1", s.keys.admin);
    expect(again).toMatchObject({ status: 404, body: { code: "RATING_NOT_FOUND" } });
    const next = await post({ customer_id: "c02", prospects: 2 }, s.keys.admin);
    expect(next.body).toMatchObject({ id: 2, rated_by: "key-admin" });
  });

  it("filters by customer and pages by id", async () => {
    for (const c of ["c03", "c03", "c04"]) expect((await post({ customer_id: c, prospects: 3 })).status).toBe(201);
    expect((await list("?customer_id=c03")).items.map((i) => i.id)).toEqual([3, 4]);
    const first = await list("?all=true&limit=2");
    expect(first.items.map((i) => i.id)).toEqual([1, 2]);
    const second = await list(`?all=true&limit=2&cursor=${first.next_cursor}`);
    expect(second.items.map((i) => i.id)).toEqual([3, 4]);
    const third = await list(`?all=true&limit=2&cursor=${second.next_cursor}`);
    expect(third).toEqual({ items: [expect.objectContaining({ id: 5 })], next_cursor: null });
  });

  it("refuses a sent author, a rating out of 1-5 and an unknown customer; nothing written", async () => {
    const before = (await stored()).length;
    for (const [body, field] of [
      [{ customer_id: "c05", prospects: 3, by: "mallory" }, "body"],
      [{ customer_id: "c05", prospects: 3, rated_by: "mallory" }, "body"],
      [{ customer_id: "c05", prospects: 0 }, "prospects"],
      [{ customer_id: "c05", prospects: 6 }, "prospects"],
      [{ customer_id: "c05", prospects: 2.5 }, "prospects"],
      [{ customer_id: "c05", prospects: "4" }, "prospects"],
      [{ customer_id: "c05", prospects: null }, "prospects"],
      [{ customer_id: "c05" }, "prospects"],
      [{ customer_id: "", prospects: 3 }, "customer_id"],
      [{ customer_id: "c\u00005", prospects: 3 }, "customer_id"],
      [{ customer_id: "c".repeat(201), prospects: 3 }, "customer_id"],
    ] as const) {
      const r = await post(body);
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
      expect(r.body).toMatchObject({ code: "API_INVALID_REQUEST", field });
      expect(JSON.stringify(r.body)).not.toContain("mallory");
    }
    const who = await post({ customer_id: "nobody", prospects: 3 });
    expect(who).toMatchObject({ status: 404, body: { code: "UNKNOWN_ENTITY" } });
    expect((await stored()).length).toBe(before);
  });
});

describe("a rating over HTTP moves the b2b-scorecard grade at the next run (docs/schemes.md §4)", () => {
  it("n1 (no order: graded on prospects alone) is C unrated (50), A rated 5 (100), C again once removed", async () => {
    const engine = await memoryStore();
    const app = await buildServer(engine, { logger: false });
    try {
      await seed(engine, {
        customers: [
          { customer_id: "n1", kind: "b2b", prospects_rating: null },
          { customer_id: "e1", kind: "b2b", prospects_rating: 3 },
        ],
        orders: [{ order_id: "o1", customer_id: "e1", ordered_at: "2024-05-01", amount: 1000, status: "completed" }],
      });
      const key = await createApiKey(engine, "sales-desk", "analyst");
      // The rating is made now; a run as of tomorrow (UTC) is the first to see it.
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const n1 = async () => (await grade(engine, { presets: ["b2b-scorecard"] }, tomorrow)).grades.get("n1");
      expect(await n1()).toMatchObject({ tier: "C", score: 50 });
      const r = await call(app, "POST", "/ratings", key, { customer_id: "n1", prospects: 5 });
      expect(r.body).toMatchObject({ rated_by: "sales-desk" });
      expect(await n1()).toMatchObject({ tier: "A", score: 100 });
      expect((await call(app, "DELETE", `/ratings/${(r.body as RatingView).id}`, key)).status).toBe(200);
      expect(await n1()).toMatchObject({ tier: "C", score: 50 });
    } finally {
      await app.close();
      await engine.close();
    }
  });
});

describe("the ratings' audit log (store schema 6)", () => {
  it("a schema-5 store's ratings get their `rated` line when it is opened for writing", async () => {
    const engine = await memoryStore();
    try {
      await seed(engine, { customers: CUSTOMERS });
      await rate(engine, "c01", 5, { by: "sales", at: "2025-06-01 10:00:00" });
      await engine.exec(sql`DROP TABLE ${raw("tw_rating_log")}`);
      await engine.exec(raw("UPDATE tw_meta SET value = '5' WHERE key = 'schema_version'"));
      await ensureStoreSchema(engine);
      expect((await listRatings(engine, { all: true })).map((r) => [r.id, r.customerId, r.rating, r.ratedBy])).toEqual([
        [1, "c01", 5, "sales"],
      ]);
      expect((await rate(engine, "c02", 1, { by: "sales" })).id).toBe(2);
    } finally {
      await engine.close();
    }
  });
});
