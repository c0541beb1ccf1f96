import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explain } from "../../../src/insight/explain.js";
import { insertRows } from "../support.js";
import { CUSTOMERS, get, type Served, served } from "./support.js";

interface Page {
  run: { id: number; as_of: string };
  items: { id: string; name: string | null; tiers: { scheme: string; tier: string }[] }[];
  next_cursor: string | null;
}

describe("GET /customers and /customers/{id} (the latest run)", () => {
  let s: Served;
  beforeAll(async () => {
    s = await served();
  });
  afterAll(async () => {
    await s?.close();
  });

  const page = async (query: string) => {
    const r = await get(s.app, `/customers?${query}`, s.keys.viewer);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as Page;
  };
  const ids = (p: Page) => p.items.map((i) => i.id);

  it("walks every customer by id in pages of 3, each once, with its abc tier", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Page = await page(`limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(p.items.length).toBeLessThanOrEqual(3);
      expect(p.run.as_of).toBe("2026-01-01");
      seen.push(...ids(p));
      cursor = p.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual(CUSTOMERS.map((c) => String(c["customer_id"])).sort());
    expect(pages).toBe(5); // 13 customers: 3+3+3+3+1
    const first = await page("limit=1");
    expect(first.items[0]).toEqual({ id: "c01", name: "Ada Lovelace", tiers: [{ scheme: "abc", tier: "A" }] });
    const last = await page("q=x");
    expect(last.items).toEqual([{ id: "x", name: null, tiers: [{ scheme: "abc", tier: "C" }] }]);
  });

  it("filters by scheme and tier (hand-checked cut-offs) and searches id prefixes and names", async () => {
    expect(ids(await page("scheme=abc&tier=A"))).toEqual(["c01", "c02", "c03", "c04"]);
    expect(ids(await page("scheme=abc&tier=B&limit=500"))).toEqual([
      "c05",
      "c06",
      "c07",
      "c08",
      "c09",
      "c10",
      "c11",
      "c12",
    ]);
    expect(ids(await page("scheme=abc&tier=C"))).toEqual(["x"]);
    expect((await page("scheme=abc")).items).toHaveLength(13);
    expect(ids(await page("q=c1"))).toEqual(["c10", "c11", "c12"]);
    expect(ids(await page("q=LOVE"))).toEqual(["c01"]);
    // A–Z fold on both engines; other letters match as typed (PostgreSQL's lower() depends on its locale)
    expect(ids(await page(`q=${encodeURIComponent("ŁUKASZ")}`))).toEqual(["c02"]);
    expect(ids(await page(`q=${encodeURIComponent("łukasz")}`))).toEqual([]);
    // LIKE's metacharacters match themselves
    expect(ids(await page("q=%25"))).toEqual(["c03"]);
    expect(ids(await page("q=_"))).toEqual(["c03"]);
    expect(ids(await page("q=shop%201"))).toEqual(["c10", "c11", "c12"]);
    expect(ids(await page(`q=${encodeURIComponent("'; DROP TABLE customers; --")}`))).toEqual(["c04"]);
    expect(ids(await page("q=nobody"))).toEqual([]);
    expect((await page("limit=500")).items).toHaveLength(13);
  });

  it("GET /customers/{id} is what `explain ID --json` gives", async () => {
    for (const id of ["c01", "c05", "x"]) {
      const r = await get(s.app, `/customers/${id}`, s.keys.analyst);
      expect(r.status).toBe(200);
      expect(r.body).toEqual(JSON.parse(JSON.stringify(await explain(s.engine, id))));
    }
    await insertRows(s.engine, "leads", [
      {
        lead_id: "L1",
        created_at: "2025-12-01",
        need: "clear",
        expected_close_at: "2026-01-20",
        status: "open",
        amount: 900,
      },
    ]);
    const lead = await get(s.app, "/customers/L1", s.keys.viewer);
    expect([lead.status, lead.body]).toEqual([
      404,
      { code: "UNKNOWN_ENTITY", message: "no customer with id L1 in the store" },
    ]);
    const near = await get(s.app, "/customers/C01", s.keys.viewer);
    expect(near.body).toEqual({ code: "UNKNOWN_ENTITY", message: "no customer with id C01 in the store" });
    const c01 = (await get(s.app, "/customers/c01", s.keys.admin)).body as { schemes: { tier: string }[] };
    expect(c01.schemes.map((x) => x.tier)).toEqual(["A"]);
  });
});
