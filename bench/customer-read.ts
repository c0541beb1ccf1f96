import { copyFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { DuckDbEngine } from "../src/engine/duckdb-engine.js";
import { explain } from "../src/insight/explain.js";
import { loadPolicy } from "../src/policy/load-policy.js";
import { run } from "../src/run/run.js";
import { buildServer } from "../src/serve/server.js";
import { col, ident, select, sql } from "../src/sql/index.js";
import { createApiKey } from "../src/store/api-keys.js";
import { ensureStoreSchema } from "../src/store/schema.js";
import { pristineStore } from "./run.js";

const AS_OF = "2026-01-01";
const ROUNDS = 5;
const PER_ROUND = 40;

const out = (line = "") => process.stdout.write(`${line}\n`);

/** The q-th quantile (0–1) of sorted values, nearest rank. */
const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

/** A small deterministic generator, so both sides read the same customers. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * `npm run bench -- customer-read [--customers N]` (default 10k, the demo's
 * size): one customer's explanation. The candidate is `GET /customers/{id}`
 * over loopback HTTP, one request at a time, on a server over a store graded
 * by every preset (explanations kept per run: src/insight/explain-cache.ts).
 * The baseline is what the route did before: `explain(store, id)`, which
 * recomputes the facts and every scheme for the call (no HTTP: the baseline
 * gets no request overhead). Rounds alternate baseline and candidate, each
 * reading the same random customers; percentiles over all rounds and the
 * ratio of the medians. No time is asserted.
 */
export async function benchCustomerRead(customers: number): Promise<void> {
  const pristine = await pristineStore(customers);
  const root = join(".bench", `customer-read-${customers}`);
  await mkdir(root, { recursive: true });
  const path = join(root, "store.duckdb");
  await rm(`${path}.wal`, { force: true });
  await copyFile(pristine, path);
  const engine = await DuckDbEngine.open({ path });
  await ensureStoreSchema(engine);
  const graded = await run(engine, await loadPolicy({ presets: ["all"] }), { asOf: AS_OF });
  const ids = (
    await engine.query(select({ id: col.text }, sql`SELECT customer_id AS id FROM ${ident("customers")} ORDER BY 1`))
  ).map((r) => r.id);
  const key = await createApiKey(engine, "bench", "viewer");
  const app = await buildServer(engine, { logger: false });
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  const random = lcg(7);
  const read = async (id: string) => {
    const r = await fetch(`${address}/customers/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (r.status !== 200) throw new Error(`GET /customers/${id} answered ${r.status}`);
    await r.arrayBuffer();
  };
  try {
    out(
      `store: ${ids.length.toLocaleString("en-US")} customers, run ${graded.runId} of every preset ` +
        `(${graded.schemes.length} schemes) as of ${AS_OF}`,
    );
    let t = performance.now();
    await read(ids[0] ?? "");
    out(
      `first GET /customers/{id} after the run (keeps the run's explanations): ${(performance.now() - t).toFixed(0)} ms`,
    );
    const times = { baseline: [] as number[], candidate: [] as number[] };
    // CPU time of the whole process (server, client and the engine's threads): less moved by other work on the machine.
    const cpu = { baseline: 0, candidate: 0 };
    const cpuNow = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    for (let round = 0; round < ROUNDS; round++) {
      const sample = Array.from({ length: PER_ROUND }, () => ids[Math.floor(random() * ids.length)] ?? "");
      let c = cpuNow();
      for (const id of sample) {
        t = performance.now();
        await explain(engine, id);
        times.baseline.push(performance.now() - t);
      }
      cpu.baseline += cpuNow() - c;
      c = cpuNow();
      for (const id of sample) {
        t = performance.now();
        await read(id);
        times.candidate.push(performance.now() - t);
      }
      cpu.candidate += cpuNow() - c;
    }
    out(`${ROUNDS} alternated rounds of ${PER_ROUND} reads each side, one at a time`);
    out("                                        p50       p95       p99       max");
    const row = (name: string, xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const cell = (q: number) => `${quantile(s, q).toFixed(1).padStart(7)} ms`;
      out(`${name.padEnd(34)}${cell(0.5)} ${cell(0.95)} ${cell(0.99)} ${cell(1)}`);
      return quantile(s, 0.5);
    };
    const base = row("baseline: explain(), recomputed", times.baseline);
    const cand = row("GET /customers/{id} over HTTP", times.candidate);
    out(`ratio of medians, baseline / candidate: ${(base / cand).toFixed(1)}x`);
    const reads = ROUNDS * PER_ROUND;
    out(
      `CPU per read (process, all threads): baseline ${(cpu.baseline / reads).toFixed(1)} ms, ` +
        `candidate ${(cpu.candidate / reads).toFixed(1)} ms`,
    );
  } finally {
    await app.close();
    await engine.close();
  }
}
