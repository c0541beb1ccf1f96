import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import type { Engine } from "../src/engine/engine.js";
import { ingestDirectory } from "../src/ingest/ingest.js";
import { loadPolicy } from "../src/policy/load-policy.js";
import { run } from "../src/run/run.js";
import { col, select, sql } from "../src/sql/index.js";
import { createApiKey } from "../src/store/api-keys.js";
import { openStore } from "../src/store/index.js";
import { type StartedPostgres, startPostgres } from "../test/support/postgres.js";
import { load, quantile, type StreamResult } from "./load.js";
import { pristineStore } from "./run.js";

const AS_OF = "2026-01-01";
const out = (line = "") => process.stdout.write(`${line}\n`);

interface Options {
  readonly seconds: number;
  readonly reads: number;
  readonly events: number;
  readonly engines: readonly string[];
  readonly presets: readonly string[];
}

function options(): Options {
  const argv = process.argv;
  const at = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  return {
    seconds: Number(at("--seconds") ?? 60),
    reads: Number(at("--reads") ?? 1000),
    events: Number(at("--events") ?? 500),
    engines: (at("--engines") ?? "duckdb,postgres").split(","),
    presets: (at("--presets") ?? "value-grades,rfm").split(","),
  };
}

const customerIds = select({ id: col.text }, sql`SELECT customer_id AS id FROM customers ORDER BY customer_id`);
const benchOrders = select(
  { n: col.integer },
  sql`SELECT CAST(COUNT(*) AS BIGINT) AS n FROM orders WHERE order_id LIKE 'bench-%'`,
);

/** Graded store, a key and every customer id; the store closed again (the server opens it). */
async function prepare(engine: Engine, presets: readonly string[]): Promise<{ key: string; ids: string[] }> {
  const t = performance.now();
  await run(engine, await loadPolicy({ presets }), { asOf: AS_OF });
  out(`  graded (${presets.join(", ")}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const key = await createApiKey(engine, `bench-${Date.now()}`, "admin");
  const ids = (await engine.query(customerIds)).map((r) => r.id);
  return { key, ids };
}

async function startServer(args: readonly string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/support/cli-entry.ts", "serve", "--port", "0", "--rate-limit", "0", ...args],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let text = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      text += d.toString("utf8");
      const m = /listening on (http:\/\/[^\s]+) /.exec(text);
      if (m?.[1]) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
  });
  // The server's request logs go nowhere from here on (they would cost the bench's CPU only).
  child.stdout?.removeAllListeners("data");
  child.stdout?.resume();
  return { child, url };
}

function report(label: string, results: readonly StreamResult[], acked: number, stored: number): void {
  out(`  ${label}`);
  out("  route                        sent    ok  errors  held    /s    p50    p95    p99 ms");
  for (const r of results) {
    const ok = Object.entries(r.statuses)
      .filter(([s]) => s.startsWith("2"))
      .reduce((n, [, c]) => n + c, 0);
    const errors = r.sent - ok;
    const f = (q: number) => quantile(r.latencies, q).toFixed(1).padStart(6);
    out(
      `  ${r.name.padEnd(26)} ${String(r.sent).padStart(6)} ${String(ok).padStart(5)} ${String(errors).padStart(7)} ${String(r.held).padStart(5)} ${(r.sent / r.seconds).toFixed(0).padStart(5)} ${f(0.5)} ${f(0.95)} ${f(0.99)}`,
    );
    const odd = Object.entries(r.statuses).filter(([s]) => !s.startsWith("2"));
    if (odd.length > 0 || r.failures > 0)
      out(`    statuses ${odd.map(([s, c]) => `${s}×${c}`).join(" ")} connection failures ${r.failures}`);
  }
  out(`  events acknowledged ${acked}, in the store afterwards ${stored}: lost ${acked - stored}`);
}

async function drive(base: string, key: string, ids: readonly string[], o: Options, engineName: string) {
  let acked = 0;
  const pick = (n: number) => ids[(n * 7919) % ids.length] ?? "";
  // A short warm-up at a tenth of the rates (JIT, caches), not counted.
  await load(
    base,
    key,
    [
      {
        name: "warm-up",
        rate: Math.max(1, o.reads / 10),
        request: (n) => ({ path: `/customers/${encodeURIComponent(pick(n))}` }),
      },
    ],
    3,
  );
  const results = await load(
    base,
    key,
    [
      {
        name: "GET /customers/{id}",
        rate: o.reads,
        request: (n) => ({ path: `/customers/${encodeURIComponent(pick(n + 1))}` }),
      },
      {
        name: "POST /events/orders",
        rate: o.events,
        request: (n) => ({
          path: "/events/orders",
          init: {
            method: "POST",
            body: JSON.stringify({
              order_id: `bench-${engineName}-${n}`,
              customer_id: pick(n * 3 + 2),
              ordered_at: `${AS_OF} 12:00:00`,
              amount: 20 + (n % 200),
              status: "completed",
            }),
          },
        }),
        onAnswer: (_n, status) => {
          if (status >= 200 && status < 300) acked++;
        },
      },
    ],
    o.seconds,
  );
  return { results, acked: () => acked };
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill("SIGTERM");
  await once(child, "exit");
}

async function benchDuckDb(customers: number, o: Options): Promise<void> {
  out(`DuckDB, ${customers.toLocaleString("en-US")} customers`);
  const pristine = await pristineStore(customers);
  const root = join(".bench", `serve-${customers}`);
  await mkdir(root, { recursive: true });
  const file = join(root, "served.duckdb");
  await rm(file, { force: true });
  await rm(`${file}.wal`, { force: true });
  await copyFile(pristine, file);
  const engine = await openStore(file);
  const { key, ids } = await prepare(engine, o.presets).finally(() => engine.close());
  const server = await startServer(["--db", file]);
  const { results, acked } = await drive(server.url, key, ids, o, "duckdb").finally(() => stop(server.child));
  const after = await openStore(file, { readOnly: true });
  const stored = (await after.query(benchOrders).finally(() => after.close()))[0]?.n ?? 0;
  report(`${o.seconds} s at ${o.reads} reads/s + ${o.events} events/s`, results, acked(), stored);
}

async function benchPostgres(customers: number, o: Options): Promise<void> {
  out(`PostgreSQL, ${customers.toLocaleString("en-US")} customers`);
  const { TIERWISE_DATABASE_URL: given } = process.env;
  const started: StartedPostgres | undefined = given ? undefined : await startPostgres();
  const serverUrl = given ?? started?.url ?? "";
  try {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query("DROP DATABASE IF EXISTS tw_bench_serve");
    await client.query("CREATE DATABASE tw_bench_serve");
    await client.end();
    const url = new URL(serverUrl);
    url.pathname = "/tw_bench_serve";
    const databaseUrl = url.toString();
    const engine = await openStore("", { engine: "postgres", databaseUrl });
    const data = join(".bench", `ingest-${customers}`, "data");
    const dir = existsSync(join(data, "orders.csv")) ? data : join(".bench", `run-${customers}`, "data");
    await pristineStore(customers); // makes sure the data exists
    const t = performance.now();
    await ingestDirectory(engine, { dir, rejectsPath: join(".bench", "serve-pg.rejects.csv") });
    out(`  ingested in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const { key, ids } = await prepare(engine, o.presets);
    const server = await startServer(["--engine", "postgres", "--database-url", databaseUrl]);
    const { results, acked } = await drive(server.url, key, ids, o, "postgres").finally(() => stop(server.child));
    const stored = (await engine.query(benchOrders).finally(() => engine.close()))[0]?.n ?? 0;
    report(`${o.seconds} s at ${o.reads} reads/s + ${o.events} events/s`, results, acked(), stored);
  } finally {
    await started?.stop();
  }
}

/**
 * `tierwise serve` under load from this process (the server runs in a
 * child on loopback): customer reads at `--reads` per second and order
 * events at `--events` per second for `--seconds`, open-loop (bench/load.ts);
 * latency percentiles per route, throughput, errors, and events lost
 * (acknowledged but not in the store afterwards: must be 0). DuckDB and
 * PostgreSQL (`--engines duckdb,postgres`). No timed assertions: figures.
 */
export async function benchServe(customers: number): Promise<void> {
  const o = options();
  if (o.engines.includes("duckdb")) await benchDuckDb(customers, o);
  if (o.engines.includes("postgres")) await benchPostgres(customers, o);
}
