import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverEvents } from "../../src/delivery/deliver.js";
import { events } from "../../src/delivery/events.js";
import type { Engine } from "../../src/engine/engine.js";
import { type Loopback, loopback } from "./loopback.js";
import { TOLERANCE_SECONDS, verify } from "./spec-verifier.js";
import { SECRET_ENV, storeWithEvents, WHSEC } from "./support.js";

/** Deliveries of a 3-event outbox checked with the independent verifier of spec-verifier.ts. */
describe("Standard Webhooks signing", () => {
  let engine: Engine;
  let hook: Loopback;
  beforeEach(async () => {
    engine = await storeWithEvents(3);
    hook = await loopback();
  });
  afterEach(async () => {
    await hook.close();
    await engine.close();
  });

  const send = (secret: string) =>
    deliverEvents(engine, { webhooks: [{ url: hook.url, secretEnv: SECRET_ENV }], env: { [SECRET_ENV]: secret } });
  const seconds = (d: { headers: Record<string, unknown> }) => Number(d.headers["webhook-timestamp"]);

  it("signs every delivery so that a verifier written from the spec accepts it (whsec_ secret)", async () => {
    const before = Math.floor(Date.now() / 1000);
    expect(await send(WHSEC)).toMatchObject({ delivered: 3, undelivered: 0 });
    const after = Math.floor(Date.now() / 1000);
    expect(hook.got).toHaveLength(3);
    for (const d of hook.got) {
      expect(d.headers["webhook-id"]).toMatch(/^evt_[0-9a-f]{64}$/);
      expect(seconds(d)).toBeGreaterThanOrEqual(before);
      expect(seconds(d)).toBeLessThanOrEqual(after);
      expect(d.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(verify(WHSEC, d.headers, d.body, seconds(d))).toEqual({ ok: true });
    }
    // A wrong secret does not verify.
    const other = `whsec_${Buffer.from("another-key").toString("base64")}`;
    expect(
      verify(other, hook.got[0]?.headers ?? {}, hook.got[0]?.body ?? "", seconds(hook.got[0] ?? { headers: {} })),
    ).toEqual({ ok: false, reason: "no matching signature" });
  });

  it("a tampered body, id or timestamp is rejected by the verifier", async () => {
    await send(WHSEC);
    const d = hook.got[0];
    if (!d) throw new Error("nothing delivered");
    const now = seconds(d);
    const tampered = d.body.replace('"toTier":"Silver"', '"toTier":"Gold"');
    expect(tampered).not.toBe(d.body);
    expect(verify(WHSEC, d.headers, tampered, now)).toEqual({ ok: false, reason: "no matching signature" });
    expect(verify(WHSEC, { ...d.headers, "webhook-id": `${d.headers["webhook-id"]}x` }, d.body, now).ok).toBe(false);
    const earlier = String(now - 1);
    expect(verify(WHSEC, { ...d.headers, "webhook-timestamp": earlier }, d.body, now).ok).toBe(false);
  });

  it("a delivery replayed after the 5-minute window is rejected; within it, accepted", async () => {
    await send(WHSEC);
    const d = hook.got[0];
    if (!d) throw new Error("nothing delivered");
    const sent = seconds(d);
    expect(verify(WHSEC, d.headers, d.body, sent + TOLERANCE_SECONDS).ok).toBe(true);
    expect(verify(WHSEC, d.headers, d.body, sent + TOLERANCE_SECONDS + 1)).toEqual({
      ok: false,
      reason: "timestamp too old",
    });
    expect(verify(WHSEC, d.headers, d.body, sent - TOLERANCE_SECONDS - 1)).toEqual({
      ok: false,
      reason: "timestamp too new",
    });
  });

  it("key rotation: with two secrets each delivery carries two signatures and either secret verifies", async () => {
    const next = `whsec_${Buffer.from("the-next-key-after-the-rotation!").toString("base64")}`;
    await send(`${WHSEC} ${next}`);
    for (const d of hook.got) {
      expect(String(d.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      expect(verify(WHSEC, d.headers, d.body, seconds(d)).ok).toBe(true);
      expect(verify(next, d.headers, d.body, seconds(d)).ok).toBe(true);
    }
  });

  it("a raw secret (not whsec_) signs with its UTF-8 bytes as the key", async () => {
    await send("plain raw secret ünïcode");
    // Whitespace separates secrets: "plain", "raw", "secret", "ünïcode" each sign.
    const d = hook.got[0];
    if (!d) throw new Error("nothing delivered");
    expect(String(d.headers["webhook-signature"]).split(" ")).toHaveLength(4);
    for (const raw of ["plain", "raw", "secret", "ünïcode"])
      expect(verify(raw, d.headers, d.body, seconds(d)).ok).toBe(true);
  });

  it("the body is a JSON object with type, timestamp and data (the event, as events lists it)", async () => {
    await send(WHSEC);
    const outbox = await events(engine);
    const bodies = hook.got
      .map((d) => JSON.parse(d.body) as { type: string; timestamp: string; data: { eventId: number } })
      .sort((a, b) => a.data.eventId - b.data.eventId);
    expect(bodies.map((b) => b.data)).toEqual(outbox);
    for (const [i, b] of bodies.entries()) {
      expect(Object.keys(b)).toEqual(["type", "timestamp", "data"]);
      expect(b.type).toBe("tier.changed");
      expect(b.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(b.timestamp)).toBe(Date.parse(`${outbox[i]?.createdAt.replace(" ", "T")}Z`));
    }
    // The webhook-id is the event's idempotency key (also the Idempotency-Key header).
    for (const d of hook.got) {
      const data = (JSON.parse(d.body) as { data: { idempotencyKey: string } }).data;
      expect(d.headers["webhook-id"]).toBe(data.idempotencyKey);
      expect(d.headers["idempotency-key"]).toBe(data.idempotencyKey);
    }
  });

  it("still sends the deprecated X-Tierwise-Signature (hex HMAC of the body, keyed by the secret as written)", async () => {
    await send(WHSEC);
    for (const d of hook.got)
      expect(d.headers["x-tierwise-signature"]).toBe(
        `sha256=${createHmac("sha256", WHSEC).update(d.body).digest("hex")}`,
      );
  });

  it("refuses a whsec_ secret that is not base64 before sending anything, without printing it", async () => {
    const bad = "whsec_not*base64!";
    const error = await send(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("UsageError");
    expect((error as Error).message).toContain(SECRET_ENV);
    expect((error as Error).message).not.toContain(bad);
    expect(hook.got).toEqual([]);
  });
});
