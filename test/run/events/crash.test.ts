/**
 * At-least-once delivery across a crash: a deliverer (a child process) is
 * SIGKILLed after the receiver got an event but before the delivery was
 * recorded. Nothing is lost: the next delivery sends the event again, with the
 * same body, signature and idempotency key, so the receiver can drop the
 * duplicate.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { deliverEvents, deliveries } from "../../../src/delivery/deliver.js";
import { events, type TierEvent } from "../../../src/delivery/events.js";
import type { Engine } from "../../../src/engine/engine.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { newChildStore, openChildStore } from "../child/child-store.js";
import { completedOrders, insertRows, seed } from "../support.js";
import { env, type Receiver, receiver, SECRET, SECRET_ENV, sign } from "./receiver.js";

const CHILD = fileURLToPath(new URL("../child/deliver-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

async function withStore<T>(spec: string, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openChildStore(spec);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** Two runs of value-grades with two tier changes between them (A Gold → VIP, D Potential → Silver). */
async function twoRuns(engine: Engine): Promise<void> {
  await seed(engine, {
    customers: [{ customer_id: "A" }, { customer_id: "D" }],
    orders: completedOrders("A", [["2025-06-01 12:00:00", 60000]]),
  });
  const policy = await loadPolicy({ presets: ["value-grades"] });
  await run(engine, policy, { asOf: "2026-01-01" });
  await insertRows(engine, "orders", [
    ...completedOrders("A", [["2026-01-15 12:00:00", 50000]], "A-x"),
    ...completedOrders("D", [["2026-01-20 12:00:00", 25000]], "D-x"),
  ]);
  await run(engine, policy, { asOf: "2026-02-01" });
}

/** Deliver in a child process; resolves with how it ended. */
function deliverInChild(
  spec: string,
  url: string,
  extraEnv: Record<string, string>,
): { child: ChildProcess; ended: Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, spec, url], {
    cwd: ROOT,
    env: { ...process.env, ...extraEnv, [SECRET_ENV]: SECRET, NODE_NO_WARNINGS: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString("utf8");
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
  });
  const ended = new Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (_code, signal) => resolve({ signal, stdout, stderr }));
  });
  return { child, ended };
}

/** After the crash: nothing recorded; a new delivery sends every event, the first one again with the same key. */
async function expectRedelivery(spec: string, r: Receiver): Promise<void> {
  expect(r.got).toHaveLength(1);
  await withStore(spec, async (engine) => {
    expect(await deliveries(engine)).toEqual([]);
    const outbox = await events(engine);
    expect(outbox).toHaveLength(2);
    // One request at a time: the receiver sees the events in event order. The dead deliverer's claim on
    // the first event holds until its lease runs out (docs/webhooks.md, Several servers): deliver after it.
    const later = () => Date.now() + 10 * 60_000;
    expect(
      await deliverEvents(engine, {
        webhooks: [{ url: r.url, secretEnv: SECRET_ENV }],
        env,
        concurrency: 1,
        now: later,
      }),
    ).toEqual({
      delivered: 2,
      failed: 0,
      attempts: 2,
      undelivered: 0,
      openCircuits: [],
    });
    const [before, again, second] = r.got;
    // The same event twice: identical key (header and body), body and valid signature.
    expect(again?.key).toBe(before?.key);
    expect(again?.body).toBe(before?.body);
    expect(again?.signature).toBe(before?.signature);
    for (const g of r.got) {
      expect(g.signature).toBe(sign(g.body));
      expect(g.key).toBe((JSON.parse(g.body) as { data: TierEvent }).data.idempotencyKey);
    }
    // Nothing lost: every event of the outbox reached the receiver, each recorded once as delivered.
    expect([before?.key, second?.key]).toEqual(outbox.map((e) => e.idempotencyKey));
    expect((await deliveries(engine)).map((d) => [d.eventId, d.attempt, d.status, d.delivered])).toEqual([
      [1, 1, 200, true],
      [2, 1, 200, true],
    ]);
  });
}

describe("delivery after a crash between sending and recording", () => {
  let spec = "";
  let r: Receiver | undefined;
  beforeEach(async () => {
    spec = await newChildStore(process.env["TIERWISE_TEST_ENGINE"] === "postgres" ? inject("pgUrl") : undefined);
    await withStore(spec, twoRuns);
  });
  afterEach(() => {
    r?.close();
    r = undefined;
  });

  it("sends the event again with the same key when the deliverer died after the receiver answered", async () => {
    r = await receiver(() => 200);
    const { ended } = deliverInChild(spec, r.url, { TIERWISE_KILL_AT: "before-insert:tw_event_deliveries" });
    const end = await ended;
    expect(end.signal, end.stderr).toBe("SIGKILL");
    expect(end.stdout).toBe("ready\n");
    await expectRedelivery(spec, r);
  });

  it("sends the event again with the same key when the deliverer was killed with the request in flight", async () => {
    // The receiver reads the event in full but never answers; the test kills the deliverer then.
    r = await receiver((n) => (n === 0 ? "hold" : 200));
    const { child, ended } = deliverInChild(spec, r.url, {});
    await r.received(1);
    child.kill("SIGKILL");
    const end = await ended;
    expect(end.signal, end.stderr).toBe("SIGKILL");
    await expectRedelivery(spec, r);
  });
});
