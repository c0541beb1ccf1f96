import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { churn } from "../../../src/insight/churn.js";
import { buildServer } from "../../../src/serve/server.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { type FixtureRow, grade, memoryStore, seed } from "../support.js";
import { get } from "./support.js";

/**
 * At-risk and sorted pages on a store graded by abc as of 2026-01-01 (churn
 * by default: 180 days, k = 3; docs/schemes.md §10). By hand:
 *   a1 one order day 2025-10-01: expected next order +60 days = 2025-11-30 (passed), turns +180 = 2026-03-30: AT RISK
 *   a2 order days 09-01, 10-01 (median gap 30): expected 10-31 (passed), turns 2026-03-30: AT RISK
 *   c1 order days 12-01, 12-11 (gap 10): expected 12-21 (passed), turns 2026-05-30: AT RISK
 *   b1 2025-12-15, e1 2025-12-20: expected in February 2026, not yet: not at risk
 *   b2 2025-03-01, d1 2024-06-01: turned (+180 days before as-of); c2 no order: not at risk
 * 12-month spend (abc's value and the run's revenue): b2 300; a1, a2, b1 100; c1, e1 40; c2, d1 0.
 * Names: three "Beta", two "alpha", one null; byte order puts capitals first.
 */
const CUSTOMERS: readonly FixtureRow[] = [
  { customer_id: "a1", name: "Beta" },
  { customer_id: "a2", name: "alpha" },
  { customer_id: "b1", name: "Beta" },
  { customer_id: "b2", name: "Beta" },
  { customer_id: "c1", name: null },
  { customer_id: "c2", name: "Gamma" },
  { customer_id: "d1", name: "alpha" },
  { customer_id: "e1", name: "Zeta" },
];
const ORDERS: readonly [string, string, number][] = [
  ["a1", "2025-10-01", 100],
  ["a2", "2025-09-01", 50],
  ["a2", "2025-10-01", 50],
  ["b1", "2025-12-15", 100],
  ["b2", "2025-03-01", 300],
  ["c1", "2025-12-01", 20],
  ["c1", "2025-12-11", 20],
  ["d1", "2024-06-01", 500],
  ["e1", "2025-12-20", 40],
];

/** Every customer in each sort's order, by hand (ties by id; no value last). */
const ORDERED: Readonly<Record<string, readonly string[]>> = {
  id: ["a1", "a2", "b1", "b2", "c1", "c2", "d1", "e1"],
  "-id": ["e1", "d1", "c2", "c1", "b2", "b1", "a2", "a1"],
  name: ["a1", "b1", "b2", "c2", "e1", "a2", "d1", "c1"],
  "-name": ["a2", "d1", "e1", "c2", "a1", "b1", "b2", "c1"],
  revenue: ["c2", "d1", "c1", "e1", "a1", "a2", "b1", "b2"],
  "-revenue": ["b2", "a1", "a2", "b1", "c1", "e1", "c2", "d1"],
  "score&scheme=abc": ["c2", "d1", "c1", "e1", "a1", "a2", "b1", "b2"],
  "-score&scheme=abc": ["b2", "a1", "a2", "b1", "c1", "e1", "c2", "d1"],
};

interface Page {
  items: { id: string }[];
  next_cursor: string | null;
}

describe("GET /customers: at risk, sorted, paged", () => {
  let engine: Engine;
  let app: FastifyInstance;
  let key: string;
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, {
      customers: CUSTOMERS,
      orders: ORDERS.map(([customer_id, ordered_at, amount], i) => ({
        order_id: `o${i + 1}`,
        customer_id,
        ordered_at,
        amount,
        status: "completed",
      })),
    });
    await grade(engine, { presets: ["abc"] });
    key = await createApiKey(engine, "k", "viewer");
    app = await buildServer(engine, { logger: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  const page = async (query: string) => {
    const r = await get(app, `/customers?${query}`, key);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as Page;
  };
  /** Every page of a query, each customer's id in the order met, and the number of pages. */
  const walk = async (query: string, limit: number) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Page = await page(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...p.items.map((i) => i.id));
      cursor = p.next_cursor;
      pages++;
    } while (cursor !== null && pages < 20);
    return { seen, pages };
  };

  it("at_risk=true lists the customers at risk (hand-checked), as `tierwise churn` does", async () => {
    expect((await page("at_risk=true")).items.map((i) => i.id)).toEqual(["a1", "a2", "c1"]);
    expect((await page("at_risk=false")).items.map((i) => i.id)).toEqual(["b1", "b2", "c2", "d1", "e1"]);
    const report = await churn(engine, { scheme: "abc", limit: 100 });
    expect(report.atRisk.map((r) => r.customerId).sort()).toEqual(["a1", "a2", "c1"]);
    // With the other filters and a sort.
    expect((await page("at_risk=true&sort=-revenue")).items.map((i) => i.id)).toEqual(["a1", "a2", "c1"]);
    expect((await page("at_risk=true&scheme=abc&tier=A")).items.map((i) => i.id)).toEqual(["a1", "a2"]);
    expect((await page("at_risk=true&q=a")).items.map((i) => i.id)).toEqual(["a1", "a2"]);
  });

  it.each(Object.entries(ORDERED))("sort=%s: one page in the hand-checked order", async (sort, expected) => {
    expect((await page(`sort=${sort}&limit=500`)).items.map((i) => i.id)).toEqual(expected);
  });

  it.each(Object.entries(ORDERED))(
    "sort=%s: pages of 1, 2 and 3 across ties neither skip nor repeat",
    async (sort, expected) => {
      for (const limit of [1, 2, 3]) {
        const { seen, pages } = await walk(`sort=${sort}`, limit);
        expect({ limit, seen }).toEqual({ limit, seen: expected });
        expect(pages).toBe(Math.ceil(expected.length / limit));
      }
    },
  );

  it("paging at risk by revenue, descending, across a tie", async () => {
    expect((await walk("at_risk=true&sort=-revenue", 1)).seen).toEqual(["a1", "a2", "c1"]);
  });

  it("a cursor of one sort is refused with another; score needs a scheme", async () => {
    const first = await page("sort=name&limit=2");
    expect(first.next_cursor).not.toBeNull();
    const r = await get(app, `/customers?sort=-name&cursor=${first.next_cursor}`, key);
    expect([r.status, (r.body as { field: string }).field]).toEqual([400, "cursor"]);
    const byId = await page("limit=2");
    const r2 = await get(app, `/customers?sort=revenue&cursor=${byId.next_cursor}`, key);
    expect([r2.status, (r2.body as { field: string }).field]).toEqual([400, "cursor"]);
    const r3 = await get(app, "/customers?sort=score", key);
    expect([r3.status, (r3.body as { field: string }).field]).toEqual([400, "sort"]);
  });
});
