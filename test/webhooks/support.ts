/**
 * A store with a known outbox for the webhook suite: one thresholds scheme
 * (its name and tier names given), `n` customers C01…Cn graded twice — the
 * first run (no orders: all in the lowest tier) is the baseline, the second
 * (an order of 25,000 each) moves every one of them up: n tier changes.
 */
import type { Engine } from "../../src/engine/engine.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { run } from "../../src/run/run.js";
import { completedOrders, insertRows, memoryStore, policyFile, seed } from "../run/support.js";

export interface Names {
  readonly scheme: string;
  readonly high: string;
  readonly low: string;
}

export const PLAIN: Names = { scheme: "value-grades", high: "Silver", low: "Potential" };

/** The policy text (webhooks optional); names are YAML double-quoted (JSON strings). */
export function policyText(names: Names = PLAIN, webhooks: readonly { url: string; env: string }[] = []): string {
  const hooks = webhooks.length
    ? ["webhooks:", ...webhooks.flatMap((w) => [`  - url: ${JSON.stringify(w.url)}`, `    secret_env: ${w.env}`])]
    : [];
  return [
    "version: 1",
    ...hooks,
    "schemes:",
    `  - name: ${JSON.stringify(names.scheme)}`,
    "    kind: thresholds",
    "    metric: spend(12 months)",
    "    tiers:",
    `      - { name: ${JSON.stringify(names.high)}, min: 20000 }`,
    `      - { name: ${JSON.stringify(names.low)} }`,
    "",
  ].join("\n");
}

export const customerIds = (n: number) => Array.from({ length: n }, (_, i) => `C${String(i + 1).padStart(2, "0")}`);

/** Fill a store: n customers, two runs, n events (see above). */
export async function fillWithEvents(engine: Engine, n: number, names: Names = PLAIN): Promise<void> {
  const ids = customerIds(n);
  await seed(engine, { customers: ids.map((customer_id) => ({ customer_id })) });
  const policy = await loadPolicy({ file: await policyFile(policyText(names)) });
  await run(engine, policy, { asOf: "2026-01-01" });
  await insertRows(
    engine,
    "orders",
    ids.flatMap((id) => completedOrders(id, [["2026-01-10 12:00:00", 25000]])),
  );
  await run(engine, policy, { asOf: "2026-02-01" });
}

/** A fresh store (memoryStore: DuckDB, or PostgreSQL under TIERWISE_TEST_ENGINE) with n events. */
export async function storeWithEvents(n: number, names: Names = PLAIN): Promise<Engine> {
  const engine = await memoryStore();
  await fillWithEvents(engine, n, names);
  return engine;
}

/** A whsec_ secret (Standard Webhooks format) of fixed bytes, and its environment. */
export const WHSEC = `whsec_${Buffer.from("tierwise-webhook-test-key-32byte").toString("base64")}`;
export const SECRET_ENV = "TW_WEBHOOK_SECRET";
