import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { deliverEvents, eventKey } from "../../src/delivery/deliver.js";
import { events } from "../../src/delivery/events.js";
import type { Engine } from "../../src/engine/engine.js";
import { type Loopback, loopback } from "./loopback.js";
import { verify } from "./spec-verifier.js";
import { type Names, SECRET_ENV, storeWithEvents, WHSEC } from "./support.js";

const UNICODE: Names = { scheme: "Βαθμίδες 客户等级 🏆", high: "Χρυσό 金 🥇", low: "Δυνητικός 潜在 🌱" };

describe("event ids (webhook-id, Idempotency-Key)", () => {
  const open: { engine?: Engine; hook?: Loopback }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.hook?.close();
      await o.engine?.close();
    }
  });

  it("distinct (run, scheme, entity) triples give distinct ids, whatever the names hold (property)", () => {
    const part = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(":", "::", "Q:C0000001", "s:Q", "1", "😀"));
    const triple = fc.tuple(fc.integer({ min: 1, max: 50 }), part, part);
    fc.assert(
      fc.property(triple, triple, (a, b) => {
        fc.pre(a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2]);
        return eventKey(a[0], "tier_change", a[1], a[2]) !== eventKey(b[0], "tier_change", b[1], b[2]);
      }),
      { numRuns: 2000, seed: 13 },
    );
  });

  it("the pairs that collided as run:scheme:entity get different ids; the same event always the same id", () => {
    // Old keys: both "7:s:Q:C0000001".
    expect(eventKey(7, "tier_change", "s", "Q:C0000001")).not.toBe(eventKey(7, "tier_change", "s:Q", "C0000001"));
    // Old keys: both "1:2:3" (run 1, scheme "2", entity "3" vs run 1, scheme "2:3"…) and run/scheme digits.
    expect(eventKey(12, "tier_change", "3", "x")).not.toBe(eventKey(1, "tier_change", "23", "x"));
    // An alert and a tier change of the same entity and run differ.
    expect(eventKey(7, "alert:turned:a", "s", "C1")).not.toBe(eventKey(7, "tier_change", "s", "C1"));
    expect(eventKey(7, "tier_change", "s", "C1")).toBe(eventKey(7, "tier_change", "s", "C1"));
    expect(eventKey(7, "tier_change", "s", "C1")).toMatch(/^evt_[0-9a-f]{64}$/);
  });

  it("a retried event carries the same webhook-id and the same body on every attempt", async () => {
    const engine = await storeWithEvents(1);
    const hook = await loopback((n) => (n < 2 ? 503 : 200));
    open.push({ engine, hook });
    const result = await deliverEvents(engine, {
      webhooks: [{ url: hook.url, secretEnv: SECRET_ENV }],
      env: { [SECRET_ENV]: WHSEC },
      backoffMs: 1,
    });
    expect(result).toMatchObject({ delivered: 1, attempts: 3 });
    const [event] = await events(engine);
    expect(new Set(hook.got.map((d) => d.headers["webhook-id"]))).toEqual(new Set([event?.idempotencyKey]));
    expect(new Set(hook.got.map((d) => d.body)).size).toBe(1);
  });

  it("delivers a scheme and tiers named in Greek, CJK and emoji: headers are ASCII, the names travel in the body", async () => {
    const engine = await storeWithEvents(2, UNICODE);
    const hook = await loopback();
    open.push({ engine, hook });
    const result = await deliverEvents(engine, {
      webhooks: [{ url: hook.url, secretEnv: SECRET_ENV }],
      env: { [SECRET_ENV]: WHSEC },
    });
    expect(result).toMatchObject({ delivered: 2, failed: 0, undelivered: 0 });
    expect(hook.got).toHaveLength(2);
    for (const d of hook.got) {
      // Every header name and value on the wire is printable ASCII.
      for (const h of d.rawHeaders) expect(h).toMatch(/^[\x20-\x7e]*$/);
      expect(verify(WHSEC, d.headers, d.body, Number(d.headers["webhook-timestamp"])).ok).toBe(true);
      const data = (JSON.parse(d.body) as { data: { scheme: string; fromTier: string; toTier: string } }).data;
      expect(data).toMatchObject({ scheme: UNICODE.scheme, fromTier: UNICODE.low, toTier: UNICODE.high });
    }
  });
});
