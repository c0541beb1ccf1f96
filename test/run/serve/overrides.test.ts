import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overrideLog } from "../../../src/run/overrides.js";
import { grade, tiers } from "../support.js";
import { call, get, type Served, served } from "./support.js";

interface Audit {
  action: string;
  by: string;
  tier: string | null;
  mode: string | null;
  previous: string | null;
}
interface OverrideView {
  id: number;
  customer_id: string;
  scheme: string;
  tier: string;
  mode: string;
  reason: string;
  created_by: string;
  expires: string | null;
  removed_at: string | null;
  audit: Audit[];
}
interface Page {
  items: OverrideView[];
  next_cursor: string | null;
}

/**
 * Overrides over HTTP on the served abc store (test/run/serve/support.ts:
 * c01…c04 A, c05…c12 B, x C as of 2026-01-01), checked by hand against the
 * next run's grades, the author being the key's name.
 */
describe("POST /overrides, GET /overrides, DELETE /overrides/{id}", () => {
  let s: Served;
  beforeAll(async () => {
    s = await served();
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = (body: unknown, key = s.keys.analyst) => call(s.app, "POST", "/overrides", key, body);
  const list = async (query = "") => {
    const r = await get(s.app, `/overrides${query}`, s.keys.viewer);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as Page;
  };

  it("a fixed override lifts c05 from B to A at the next run; its author is the key's name", async () => {
    const r = await post({ customer_id: " c05 ", scheme: "abc", tier: "A", reason: "key account" });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const o = r.body as OverrideView;
    expect(o).toMatchObject({
      customer_id: "c05",
      scheme: "abc",
      tier: "A",
      mode: "fixed",
      reason: "key account",
      created_by: "key-analyst",
      expires: null,
      removed_at: null,
    });
    expect(o.audit).toEqual([
      expect.objectContaining({ action: "set", by: "key-analyst", tier: "A", mode: "fixed", previous: null }),
    ]);
    const { grades } = await grade(s.engine, { presets: ["abc"] });
    expect(tiers(grades)).toMatchObject({ c05: "A", c06: "B", c01: "A", x: "C" });
    const explained = (await get(s.app, "/customers/c05", s.keys.viewer)).body as {
      schemes: { scheme: string; tier: string; naturalTier: string | null; override: { by: string } | null }[];
    };
    expect(explained.schemes.find((e) => e.scheme === "abc")).toMatchObject({
      tier: "A",
      naturalTier: "B",
      override: { by: "key-analyst" },
    });
  });

  it("a second override replaces the first; both keep their audit; the CLI's log holds the same lines", async () => {
    const first = (await list("?customer_id=c05")).items[0];
    const r = await post(
      { customer_id: "c05", scheme: "abc", tier: "B", mode: "ceiling", reason: "disputed" },
      s.keys.admin,
    );
    expect(r.status).toBe(201);
    const second = r.body as OverrideView;
    expect(second.audit).toEqual([
      expect.objectContaining({ action: "set", by: "key-admin", mode: "ceiling", previous: "fixed A" }),
    ]);
    expect((await list("?customer_id=c05")).items.map((i) => i.id)).toEqual([second.id]);
    const all = await list("?customer_id=c05&all=true");
    expect(all.items.map((i) => i.id)).toEqual([first?.id, second.id]);
    expect(all.items[0]?.removed_at).not.toBeNull();
    expect(all.items[0]?.audit.map((a) => [a.action, a.by])).toEqual([
      ["set", "key-analyst"],
      ["replaced", "key-admin"],
    ]);
    const cli = await overrideLog(s.engine);
    expect(cli.map((l) => [Number(l["override_id"]), l["action"], l["by_name"]])).toEqual([
      [first?.id, "set", "key-analyst"],
      [first?.id, "replaced", "key-admin"],
      [second.id, "set", "key-admin"],
    ]);
  });

  it("removing it puts c05 back to B at the next run; removing again is a 404", async () => {
    const [active] = (await list("?customer_id=c05")).items;
    const r = await call(s.app, "DELETE", `/overrides/${active?.id}`, s.keys.admin);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const removed = r.body as OverrideView;
    expect(removed.removed_at).not.toBeNull();
    expect(removed.audit.at(-1)).toMatchObject({ action: "removed", by: "key-admin", previous: "ceiling B" });
    expect((await list("?customer_id=c05")).items).toEqual([]);
    const { grades } = await grade(s.engine, { presets: ["abc"] });
    expect(tiers(grades)).toMatchObject({ c05: "B" });
    const again = await call(s.app, "DELETE", `/overrides/${active?.id}`, s.keys.admin);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: "OVERRIDE_NOT_FOUND" });
  });

  it("the author cannot be sent: a body with `by` or `created_by` is a 400", async () => {
    for (const field of ["by", "created_by"]) {
      const r = await post({ customer_id: "c06", scheme: "abc", tier: "A", reason: "x", [field]: "mallory" });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).not.toContain("mallory");
    }
    expect((await list("?customer_id=c06&all=true")).items).toEqual([]);
  });

  it("an expired override is listed only with all=true", async () => {
    const r = await post({ customer_id: "c07", scheme: "abc", tier: "A", reason: "old deal", expires: "2000-01-01" });
    expect(r.status).toBe(201);
    expect((await list("?customer_id=c07")).items).toEqual([]);
    expect((await list("?customer_id=c07&all=true")).items.map((i) => i.expires)).toEqual(["2000-01-01"]);
  });

  it("pages by id: limit 2 walks every override once", async () => {
    for (const id of ["c08", "c09", "c10"])
      expect((await post({ customer_id: id, scheme: "abc", tier: "C", mode: "floor", reason: "r" })).status).toBe(201);
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const p: Page = await list(`?all=true&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(p.items.length).toBeLessThanOrEqual(2);
      seen.push(...p.items.map((o) => o.id));
      cursor = p.next_cursor;
      if (cursor === null) break;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await list("?scheme=abc")).items.map((o) => o.customer_id)).toEqual(["c08", "c09", "c10"]);
  });

  it("an unknown scheme, tier or customer is refused, naming it; nothing is written", async () => {
    const before = (await list("?all=true")).items.length;
    const scheme = await post({ customer_id: "c01", scheme: "nope", tier: "A", reason: "r" });
    expect(scheme).toMatchObject({ status: 400, body: { code: "UNKNOWN_SCHEME", field: "scheme" } });
    const tier = await post({ customer_id: "c01", scheme: "abc", tier: "Z", reason: "r" });
    expect(tier).toMatchObject({ status: 400, body: { code: "UNKNOWN_TIER", field: "tier" } });
    const who = await post({ customer_id: "nobody", scheme: "abc", tier: "A", reason: "r" });
    expect(who).toMatchObject({ status: 404, body: { code: "UNKNOWN_ENTITY" } });
    expect((await list("?all=true")).items.length).toBe(before);
  });
});
