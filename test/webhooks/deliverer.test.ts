import { afterEach, describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/delivery/backoff.js";
import { createDeliverer, deliverEvents, deliveries } from "../../src/delivery/deliver.js";
import { events } from "../../src/delivery/events.js";
import type { Engine } from "../../src/engine/engine.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { run } from "../../src/run/run.js";
import { policyFile } from "../run/support.js";
import { type Loopback, loopback } from "./loopback.js";
import { policyText, SECRET_ENV, storeWithEvents, WHSEC } from "./support.js";

const env = { [SECRET_ENV]: WHSEC };

describe("the deliverer's bounds", () => {
  const open: { engine?: Engine; hook?: Loopback }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.hook?.close();
      await o.engine?.close();
    }
  });
  async function setUp(n: number, answer?: (n: number) => number, delayMs = 0) {
    const engine = await storeWithEvents(n);
    const hook = await loopback(answer, delayMs);
    open.push({ engine, hook });
    return { engine, hook, webhooks: [{ url: hook.url, secretEnv: SECRET_ENV }] };
  }

  it("never has more than `concurrency` requests in flight, and does use them", async () => {
    const { engine, hook, webhooks } = await setUp(12, () => 200, 30);
    const result = await deliverEvents(engine, { webhooks, env, concurrency: 3 });
    expect(result).toMatchObject({ delivered: 12, attempts: 12, undelivered: 0 });
    expect(hook.maxInFlight()).toBe(3);
  });

  it("with concurrency 1 sends in event order", async () => {
    const { engine, hook, webhooks } = await setUp(6);
    await deliverEvents(engine, { webhooks, env, concurrency: 1 });
    const ids = hook.got.map((d) => (JSON.parse(d.body) as { data: { eventId: number } }).data.eventId);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(hook.maxInFlight()).toBe(1);
  });

  it("maxEvents bounds a pass (oldest first); the rest is counted undelivered and the next pass sends it", async () => {
    const { engine, hook, webhooks } = await setUp(7);
    const first = await deliverEvents(engine, { webhooks, env, maxEvents: 5 });
    expect(first).toMatchObject({ delivered: 5, failed: 0, attempts: 5, undelivered: 2 });
    const sent = hook.got.map((d) => (JSON.parse(d.body) as { data: { eventId: number } }).data.eventId);
    expect(sent.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(await deliverEvents(engine, { webhooks, env, maxEvents: 5 })).toMatchObject({
      delivered: 2,
      undelivered: 0,
    });
  });

  it("attempts per event are bounded, with the wait growing between them", async () => {
    const { engine, hook, webhooks } = await setUp(1, () => 500);
    const result = await deliverEvents(engine, { webhooks, env, attempts: 3, backoffMs: 1, failureThreshold: 100 });
    expect(result).toMatchObject({ delivered: 0, failed: 1, attempts: 3, undelivered: 1, openCircuits: [] });
    expect(hook.got).toHaveLength(3);
  });

  it("never follows a redirect: a 3xx is a failed attempt and the target gets nothing", async () => {
    const target = await loopback();
    open.push({ hook: target });
    const redirecting = await loopback(() => 307);
    open.push({ hook: redirecting });
    redirecting.server.removeAllListeners("request");
    redirecting.server.on("request", (req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(307, { Location: target.url }).end());
    });
    const { engine } = await setUp(1);
    const result = await deliverEvents(engine, {
      webhooks: [{ url: redirecting.url, secretEnv: SECRET_ENV }],
      env,
      attempts: 2,
      backoffMs: 1,
    });
    expect(result).toMatchObject({ delivered: 0, failed: 1, attempts: 2, undelivered: 1 });
    expect(target.got).toEqual([]);
    const log = await deliveries(engine);
    expect(log.map((d) => [d.status, d.error])).toEqual([
      [307, "HTTP 307"],
      [307, "HTTP 307"],
    ]);
  });

  it("backoff: exponential, jittered between half and all of the step, capped, none before the first attempt", () => {
    expect(backoffDelay(1, 500, 30_000, () => 0.9)).toBe(0);
    expect([2, 3, 4, 5].map((a) => backoffDelay(a, 500, 30_000, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([2, 3, 4, 5].map((a) => backoffDelay(a, 500, 30_000, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, 500, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(20, 500, 30_000, () => 0)).toBe(15_000);
  });

  it("start() delivers pass after pass until stop(); started again it sends what a later run wrote", async () => {
    const { engine, hook, webhooks } = await setUp(2);
    const delivered: number[] = [];
    const deliverer = createDeliverer(engine, { webhooks, env, intervalMs: 5 });
    const upTo = (n: number) =>
      new Promise<void>((resolve) =>
        deliverer.start((r) => {
          delivered.push(r.delivered);
          if (hook.got.length >= n && delivered.length >= 3) resolve();
        }),
      );
    await upTo(2);
    await deliverer.stop();
    expect(hook.got).toHaveLength(2);
    // A later run (a year on, the orders out of the window: both customers move down): 2 more events.
    await run(engine, await loadPolicy({ file: await policyFile(policyText()) }), { asOf: "2027-03-01" });
    await upTo(4);
    await deliverer.stop();
    expect(hook.got).toHaveLength((await events(engine)).length);
    expect(hook.got).toHaveLength(4);
    expect(delivered.reduce((a, b) => a + b, 0)).toBe(4);
    // Stopped: a further pass would find nothing anyway, and none runs.
    const passes = delivered.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(delivered).toHaveLength(passes);
  });
});
