import { copyFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPolicy } from "../src/policy/load-policy.js";
import { run } from "../src/run/run.js";
import { buildServer } from "../src/serve/server.js";
import { raw } from "../src/sql/index.js";
import { createApiKey } from "../src/store/api-keys.js";
import { openStore } from "../src/store/index.js";
import { rawRows } from "../test/support/raw-rows.js";

/**
 * `npm run bench -- events [--db FILE] [--events N]`: on a copy of a graded
 * DuckDB store (default ./tierwise.duckdb, as `tierwise demo` makes it), N
 * order events (default 500) one after another, each for a random customer
 * and followed by `GET /customers/{id}/grades`: the latency of the event
 * (written and re-graded: the answer carries the new grades) and of event
 * then read, p50/p95/p99. In process (`inject`, no socket). Never asserts.
 * `--presets a,b`: first a full run of those presets on the copy (the live
 * grades then follow that policy).
 */
export async function benchEvents(): Promise<void> {
  const argv = process.argv;
  const at = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const source = at("--db") ?? "tierwise.duckdb";
  const count = Number(at("--events") ?? 500);
  const dir = await mkdtemp(join(tmpdir(), "tw-bench-events-"));
  const path = join(dir, "store.duckdb");
  await copyFile(source, path);
  const engine = await openStore(path);
  const presets = at("--presets");
  if (presets) await run(engine, await loadPolicy({ presets: presets.split(",") }));
  const key = await createApiKey(engine, "bench", "analyst");
  const ids = (
    await engine.query(rawRows<{ customer_id: string }>(raw("SELECT customer_id FROM customers ORDER BY customer_id")))
  ).map((r) => r.customer_id);
  const app = await buildServer(engine, { logger: false });
  await app.ready();
  const headers = { authorization: `Bearer ${key}` };
  const post: number[] = [];
  const readable: number[] = [];
  let seed = 15;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  let errors = 0;
  const today = new Date().toISOString().slice(0, 10);
  for (let i = 0; i < count + 20; i++) {
    const customer = ids[Math.floor(next() * ids.length)] ?? "";
    const t0 = performance.now();
    const r = await app.inject({
      method: "POST",
      url: "/events/orders",
      headers,
      payload: {
        order_id: `bench-${i}`,
        customer_id: customer,
        ordered_at: `${today}T08:00:00Z`,
        amount: Math.round(next() * 50000) / 100,
        status: "completed",
      },
    });
    const t1 = performance.now();
    const g = await app.inject({ url: `/customers/${encodeURIComponent(customer)}/grades`, headers });
    const t2 = performance.now();
    if (r.statusCode !== 200 || g.statusCode !== 200) errors++;
    if (i >= 20) {
      // The first 20 warm the caches and are not counted.
      post.push(t1 - t0);
      readable.push(t2 - t0);
    }
  }
  await app.close();
  await engine.close();
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1] ?? 0;
  const line = (name: string, xs: number[]) =>
    process.stdout.write(
      `${name.padEnd(28)} p50 ${pct(xs, 50).toFixed(1).padStart(6)} ms  p95 ${pct(xs, 95).toFixed(1).padStart(6)} ms  p99 ${pct(xs, 99).toFixed(1).padStart(6)} ms\n`,
    );
  process.stdout.write(
    `${count} order events on a copy of ${source} (${presets ?? "its latest run's policy"}), ${ids.length} customers, errors ${errors}\n`,
  );
  line("POST /events/orders", post);
  line("event, then grades read", readable);
}
