import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBER_POLICY, type MemberServed, memberServed } from "./member-store.js";
import { get } from "./support.js";

describe("GET /members/{id}/status (customer-facing schemes only)", () => {
  let s: MemberServed;
  beforeAll(async () => {
    s = await memberServed();
  });
  afterAll(async () => {
    await s?.close();
  });

  const status = async (id: string, key = s.keys.member) => {
    const r = await get(s.app, `/members/${id}/status`, key);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { run: { as_of: string }; schemes: Record<string, unknown>[] };
  };
  const club = async (id: string) => {
    const body = await status(id);
    expect(body.run.as_of).toBe("2026-10-01");
    expect(body.schemes.map((x) => x["scheme"])).toEqual(["club"]);
    return body.schemes[0];
  };

  it("below a bound: the tier, its benefits and what is missing by the window's end", async () => {
    expect(await club("below")).toEqual({
      scheme: "club",
      tier: "Silver",
      benefits: [{ name: "birthday gift", discount_percent: null }],
      next_tier: "Gold",
      progress: {
        tier: "Gold",
        metric: "spend(calendar_year)",
        value: 880,
        target: 1000,
        remaining: 120,
        money: true,
        by: "2026-12-31",
        text: "spend €120.00 more by 2026-12-31 to reach Gold",
      },
      projected: { tier: "Silver", on: null },
      pending_downgrade: null,
    });
  });

  it("exactly at a bound: in the tier; at the top nothing is left to reach", async () => {
    const at300 = await club("at300");
    expect(at300).toMatchObject({ tier: "Silver", progress: { remaining: 700 } });
    const at1000 = await club("at1000");
    expect(at1000).toEqual({
      scheme: "club",
      tier: "Gold",
      benefits: [
        { name: "member prices", discount_percent: 5 },
        { name: "free delivery", discount_percent: null },
      ],
      next_tier: null,
      progress: null,
      projected: { tier: "Gold", on: null },
      pending_downgrade: null,
    });
    expect(await club("above")).toMatchObject({ tier: "Gold", next_tier: null, progress: null });
    expect(await club("none")).toMatchObject({
      tier: "Member",
      benefits: [],
      next_tier: "Silver",
      progress: { value: 0, remaining: 300, text: "spend €300.00 more by 2026-12-31 to reach Silver" },
    });
  });

  it("a pending downgrade: its tier, due date and what keeps the tier; projected to drop then", async () => {
    expect(await club("falling")).toMatchObject({
      tier: "Gold",
      next_tier: null,
      projected: { tier: "Silver", on: "2027-01-01" },
      pending_downgrade: {
        tier: "Silver",
        due_on: "2027-01-01",
        text: "Silver on 2027-01-01 unless you spend €100.00 more by 2026-12-31 to keep Gold",
      },
    });
  });

  it("never shows internal schemes, their tiers or scores, nor rule ids; admin reads the same", async () => {
    const body = await status("above");
    const text = JSON.stringify(body);
    for (const secret of [
      "internal-heat",
      "Hot",
      "Cold",
      "rule",
      "thresholds",
      "lifecycle",
      "per_customer",
      "internal",
    ])
      expect(text).not.toContain(secret);
    expect(await status("above", s.keys.admin)).toEqual(body);
  });

  it("a viewer key is refused; a member key may not read /customers", async () => {
    const viewer = await get(s.app, "/members/below/status", s.keys.viewer);
    expect(viewer.status).toBe(403);
    expect(viewer.body).toMatchObject({ code: "API_FORBIDDEN" });
    expect((await get(s.app, "/customers", s.keys.member)).status).toBe(403);
    expect((await get(s.app, "/customers/below", s.keys.member)).status).toBe(403);
  });

  it.each([
    ["nobody", 404],
    ["Below", 404], // no did-you-mean: a member key must not learn other ids
    ["%27%3B%20DROP%20TABLE%20customers%3B%20--", 404],
    ["%F0%9F%A6%84", 404],
    ["..%2F..%2Fetc", 404],
    ["below%00", 400],
    ["b%01", 400],
    [`${"b".repeat(201)}`, 400],
    [`${"b".repeat(2000)}`, 400],
    ["below%20", 200],
  ])("GET /members/%s/status is a %i", async (id, code) => {
    const r = await get(s.app, `/members/${id}/status`, s.keys.member);
    expect(r.status).toBe(code);
    if (code === 404) {
      expect(r.body).toMatchObject({ code: "UNKNOWN_ENTITY" });
      expect(JSON.stringify(r.body)).not.toMatch(/did you mean|below/);
    }
    if (code === 400) expect(r.body).toMatchObject({ code: "API_INVALID_REQUEST", field: "id" });
  });
});

describe("GET /members/{id}/status at window and anniversary edges", () => {
  it("on the first day of a calendar year the window just closed: progress counts from 0, by the year's end", async () => {
    const s = await memberServed(["2026-10-01", "2027-01-01"]);
    try {
      const r = await get(s.app, "/members/below/status", s.keys.member);
      expect(r.status).toBe(200);
      const club = (r.body as { run: { as_of: string }; schemes: unknown[] }).schemes[0];
      expect((r.body as { run: { as_of: string } }).run.as_of).toBe("2027-01-01");
      expect(club).toMatchObject({
        tier: "Silver",
        progress: { value: 0, target: 1000, remaining: 1000, by: "2027-12-31" },
      });
    } finally {
      await s.close();
    }
  });

  it("an anniversary scheme: the pending downgrade is due on the member's anniversary; rolling window, no by", async () => {
    const policy = MEMBER_POLICY.replace("metric: spend(calendar_year)", "metric: spend(12 months)").replace(
      "downgrade: period end",
      "downgrade: period end\n      anchor: anniversary",
    );
    const s = await memberServed(["2026-04-01", "2026-10-01"], policy);
    try {
      const r = await get(s.app, "/members/falling/status", s.keys.member);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      // Gold since 2026-04-01 (1000 on 2026-03-01); 700 after the credit note: kept until 2027-04-01.
      expect((r.body as { schemes: unknown[] }).schemes[0]).toMatchObject({
        tier: "Gold",
        projected: { tier: "Silver", on: "2027-04-01" },
        pending_downgrade: {
          tier: "Silver",
          due_on: "2027-04-01",
          text: "Silver on 2027-04-01 unless you spend €100.00 more to keep Gold",
        },
      });
      const below = await get(s.app, "/members/below/status", s.keys.member);
      expect((below.body as { schemes: unknown[] }).schemes[0]).toMatchObject({
        progress: { remaining: 120, by: null, text: "spend €120.00 more to reach Gold" },
      });
    } finally {
      await s.close();
    }
  });

  it("a member held below the tier the value reaches (a ceiling override): reached, nothing more to spend", async () => {
    const s = await memberServed(undefined, undefined, [
      { override_id: 1, scheme: "club", entity_id: "above", tier: "Silver", mode: "ceiling" },
    ]);
    try {
      const r = await get(s.app, "/members/above/status", s.keys.member);
      expect((r.body as { schemes: unknown[] }).schemes[0]).toMatchObject({
        tier: "Silver",
        next_tier: "Gold",
        progress: { value: 1500, remaining: 0, text: "spend(calendar_year) has reached Gold's bound" },
      });
      expect(JSON.stringify(r.body)).not.toMatch(/override|ceiling/);
    } finally {
      await s.close();
    }
  });
});
