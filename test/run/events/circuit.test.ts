import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDeliverer, type DeliverOptions, deliveries } from "../../../src/delivery/deliver.js";
import type { Engine } from "../../../src/engine/engine.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { type Loopback, loopback } from "../../webhooks/loopback.js";
import { SECRET_ENV, storeWithEvents, WHSEC } from "../../webhooks/support.js";

/**
 * The deliverer's bounds against a dead receiver, on both engines: a circuit
 * opened after `failureThreshold` consecutive failures is kept in the store
 * (tw_webhook_endpoints), so a later deliverer skips the url until the
 * cool-down has passed; then one trial event decides.
 */
describe("circuit breaker per webhook url", () => {
  let engine: Engine;
  let hook: Loopback;
  let down = true;
  let clock = Date.parse("2026-03-01T10:00:00Z");
  beforeEach(async () => {
    engine = await storeWithEvents(20);
    down = true;
    hook = await loopback(() => (down ? 503 : 200));
  });
  afterEach(async () => {
    await hook.close();
    await engine.close();
  });

  const options = (): DeliverOptions => ({
    webhooks: [{ url: hook.url, secretEnv: SECRET_ENV }],
    env: { [SECRET_ENV]: WHSEC },
    backoffMs: 1,
    failureThreshold: 5,
    cooldownMs: 60_000,
    concurrency: 4,
    now: () => clock,
  });

  it("a dead receiver gets at most threshold + concurrency - 1 requests, then the url is skipped", async () => {
    const first = await createDeliverer(engine, options()).deliverOnce();
    expect(first.attempts).toBeGreaterThanOrEqual(5);
    expect(first.attempts).toBeLessThanOrEqual(5 + 4 - 1);
    expect(hook.got).toHaveLength(first.attempts);
    expect(first).toMatchObject({ delivered: 0, undelivered: 20, openCircuits: [hook.url] });
    expect(await deliveries(engine)).toHaveLength(first.attempts);
    const state = await engine.query(
      rawRows<{ failures: unknown }>(sql`SELECT failures FROM ${ident("tw_webhook_endpoints")}`),
    );
    expect(Number(state[0]?.failures)).toBeGreaterThanOrEqual(5);
    // A separate deliverer (another `events deliver`) respects the open circuit: no request at all.
    clock += 59_000;
    const second = await createDeliverer(engine, options()).deliverOnce();
    expect(second).toEqual({ delivered: 0, failed: 0, attempts: 0, undelivered: 20, openCircuits: [hook.url] });
    expect(hook.got).toHaveLength(first.attempts);
  });

  it("after the cool-down one trial event decides: a failure opens the circuit again at once", async () => {
    const first = await createDeliverer(engine, options()).deliverOnce();
    clock += 61_000;
    const trial = await createDeliverer(engine, options()).deliverOnce();
    expect(trial).toMatchObject({ attempts: 1, delivered: 0, undelivered: 20, openCircuits: [hook.url] });
    expect(hook.got).toHaveLength(first.attempts + 1);
  });

  it("after the cool-down a receiver that is back gets everything and the circuit closes", async () => {
    await createDeliverer(engine, options()).deliverOnce();
    clock += 61_000;
    down = false;
    const back = await createDeliverer(engine, options()).deliverOnce();
    expect(back).toMatchObject({ delivered: 20, failed: 0, attempts: 20, undelivered: 0, openCircuits: [] });
    const state = await engine.query(
      rawRows<{ failures: unknown; open_until: unknown }>(
        sql`SELECT failures, open_until FROM ${ident("tw_webhook_endpoints")}`,
      ),
    );
    expect(state.map((s) => [Number(s.failures), s.open_until ?? null])).toEqual([[0, null]]);
  });

  it("successes reset the count: failures that never come threshold times in a row never open the circuit", async () => {
    let n = 0;
    await hook.close();
    // Every other request fails: never 5 failures in a row.
    hook = await loopback(() => (n++ % 2 === 0 ? 500 : 200));
    const result = await createDeliverer(engine, { ...options(), concurrency: 1 }).deliverOnce();
    expect(result).toMatchObject({ delivered: 20, undelivered: 0, openCircuits: [], attempts: 40 });
  });
});
