import { afterEach, describe, expect, it } from "vitest";
import { renderExplanation } from "../../../src/cli/render-run.js";
import { events as outboxEvents, type TierEvent } from "../../../src/delivery/events.js";
import { webhookBody } from "../../../src/delivery/webhook-body.js";
import type { Engine } from "../../../src/engine/engine.js";
import { explain } from "../../../src/insight/explain.js";
import { raw } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { type Live, live } from "./live-support.js";
import { call } from "./support.js";

interface Accepted {
  accepted: number;
  as_of: string;
  customers: {
    id: string;
    run: number;
    grades: { scheme: string; tier: string | null; cutoffs_run: number | null; rule: string | null }[];
    changes: { scheme: string; from: string | null; to: string | null }[];
    skipped: { scheme: string; reason: string }[];
  }[];
}

let s: Live | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const outbox = (engine: Engine) =>
  engine.query(
    rawRows<{ scheme: string; entity_id: string; from_tier: string | null; to_tier: string | null; kind: string }>(
      raw("SELECT scheme, entity_id, from_tier, to_tier, kind FROM tw_events ORDER BY event_id"),
    ),
  );

describe("events in, graded at once", () => {
  it("an order that lifts c05 over Gold's 50,000 changes its tier in the answer and in the outbox", async () => {
    s = await live();
    const before = (await outbox(s.engine)).length;
    const r = await call(s.app, "POST", "/events/orders", s.key, {
      order_id: "e1",
      customer_id: "c05",
      ordered_at: "2025-12-30T10:00:00Z",
      amount: 60000,
      status: "completed",
    });
    expect(r.status).toBe(200);
    const body = r.body as Accepted;
    expect(body.accepted).toBe(1);
    expect(body.as_of).toBe("2026-01-01");
    const c = body.customers[0];
    expect(c?.id).toBe("c05");
    // 60,010 net: Gold (≥ 50,000, < 100,000); abc: above A's lowest value in run 1 (100).
    expect(c?.grades.find((g) => g.scheme === "value-grades")).toMatchObject({ tier: "Gold", cutoffs_run: null });
    expect(c?.grades.find((g) => g.scheme === "abc")).toMatchObject({ tier: "A", cutoffs_run: 1 });
    // Satisfaction reads surveys, not orders: not re-graded.
    expect(c?.grades.some((g) => g.scheme === "satisfaction")).toBe(false);
    expect(c?.changes).toEqual([
      { scheme: "value-grades", from: "Regular", to: "Gold" },
      { scheme: "abc", from: "B", to: "A" },
    ]);
    const events = (await outbox(s.engine)).slice(before);
    expect(events).toEqual([
      { scheme: "value-grades", entity_id: "c05", from_tier: "Regular", to_tier: "Gold", kind: "tier_change" },
      { scheme: "abc", entity_id: "c05", from_tier: "B", to_tier: "A", kind: "tier_change" },
    ]);
    // The outbox's own reader and webhook body: a live change is a tier.changed like a run's.
    const queued = (await outboxEvents(s.engine)).filter((e) => e.entityId === "c05");
    expect(queued.map((e) => e.kind)).toEqual(["tier_change", "tier_change"]);
    const hook = JSON.parse(webhookBody(queued[0] as TierEvent)) as { type: string; data: Record<string, unknown> };
    expect(hook.type).toBe("tier.changed");
    expect(hook.data).toMatchObject({ scheme: "value-grades", entityId: "c05" });
    const now = await call(s.app, "GET", "/customers/c05/grades", s.viewer);
    expect(now.status).toBe(200);
    const grades = (now.body as { grades: { scheme: string; tier: string; source: string; basis: string }[] }).grades;
    expect(grades.find((g) => g.scheme === "value-grades")).toMatchObject({ tier: "Gold", source: "live" });
    expect(grades.find((g) => g.scheme === "abc")?.basis).toContain("cut-offs stored with run 1");
    expect(grades.find((g) => g.scheme === "satisfaction")).toBeUndefined();
    // explain says it too: the live tier, the event and the run whose cut-offs graded it.
    const e = await explain(s.engine, "c05");
    expect(e.schemes.find((x) => x.scheme === "abc")?.live?.text).toBe(
      "now A (live as of 2026-01-01, after orders e1 at 2025-12-31 12:00:00, graded against the cut-offs stored with run 1)",
    );
    expect(e.schemes.find((x) => x.scheme === "value-grades")?.live?.cutoffsRun).toBeNull();
    expect(renderExplanation(e)).toContain("  live: now Gold (live as of 2026-01-01, after orders e1");
    // And so does GET /customers/{id}, the API's explanation.
    const api = await call(s.app, "GET", "/customers/c05", s.viewer);
    const abc = (api.body as { schemes: { scheme: string; live?: { text: string } }[] }).schemes.find(
      (x) => x.scheme === "abc",
    );
    expect(abc?.live?.text).toBe(e.schemes.find((x) => x.scheme === "abc")?.live?.text);
  });

  it("a refund of c01's whole order drops it to Potential and abc C", async () => {
    s = await live();
    const r = await call(s.app, "POST", "/events/refunds", s.key, {
      order_id: "r1",
      customer_id: "c01",
      ordered_at: "2025-12-30",
      amount: 400,
      status: "completed",
      refunds_order_id: "o1",
    });
    expect(r.status).toBe(200);
    expect((r.body as Accepted).customers[0]?.changes).toEqual([
      { scheme: "value-grades", from: "Regular", to: "Potential" },
      { scheme: "abc", from: "A", to: "C" },
    ]);
  });

  it("a survey places c02 in satisfaction (it had no tier there)", async () => {
    s = await live();
    const r = await call(s.app, "POST", "/events/interactions", s.key, {
      interaction_id: "i1",
      customer_id: "c02",
      at: "2025-12-30T09:00:00Z",
      kind: "survey",
      score: 5,
    });
    expect(r.status).toBe(200);
    const c = (r.body as Accepted).customers[0];
    expect(c?.grades).toEqual([
      { scheme: "satisfaction", tier: "A", rank: 1, score: null, rule: "very-satisfied", cutoffs_run: null },
    ]);
    expect(c?.changes).toEqual([{ scheme: "satisfaction", from: null, to: "A" }]);
  });
});
