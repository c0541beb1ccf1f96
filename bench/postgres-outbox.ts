import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Engine } from "../src/engine/engine.js";
import { generateDataset } from "../src/generate/index.js";
import { ingestDirectory } from "../src/ingest/ingest.js";
import { exportAssignments } from "../src/insight/export.js";
import { loadPolicy } from "../src/policy/load-policy.js";
import { backfill } from "../src/run/backfill.js";
import { insertEventsSql, previousRunsSql } from "../src/sql/delivery/events.js";
import { ident, raw, sql } from "../src/sql/index.js";
import { openStore } from "../src/store/index.js";
import { type StartedPostgres, startPostgres } from "../test/support/postgres.js";

const AS_OF = "2026-01-01";
/** Monthly runs up to 2025-12-31: `--runs N` month ends (default 30). */
const TO = "2025-12-31";
const ROUNDS = 3;

/** `--presets a,b` (default value-grades) and `--runs N` from the command line. */
function flags(): { presets: string[]; runs: number; from: string } {
  const argv = process.argv;
  const at = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const runs = Number(at("--runs") ?? 30);
  const presets = (at("--presets") ?? "value-grades").split(",");
  // The month end `runs - 1` months before TO.
  const first = new Date(Date.UTC(2025, 12 - (runs - 1), 0));
  return { presets, runs, from: first.toISOString().slice(0, 10) };
}

const out = (line = "") => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(7)} s`;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** The generated business of N customers, cached in .bench/outbox-N/data. */
async function dataDir(customers: number): Promise<string> {
  const data = join(".bench", `outbox-${customers}`, "data");
  if (!existsSync(join(data, "orders.csv"))) {
    await mkdir(data, { recursive: true });
    const t = performance.now();
    await generateDataset({ outDir: data, customers, seed: 1, format: "csv", asOf: AS_OF });
    out(`generated ${customers.toLocaleString("en-US")} customers in ${seconds(performance.now() - t)}`);
  }
  return data;
}

/** A PostgreSQL server: TIERWISE_DATABASE_URL's, or a throw-away embedded one (test/support/postgres.ts). */
async function server(): Promise<{ url: string; started?: StartedPostgres }> {
  const { TIERWISE_DATABASE_URL: given } = process.env;
  if (given) return { url: given };
  const started = await startPostgres();
  return { url: started.url, started };
}

async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Ingest and backfill the monthly runs; prints the backfill time (every run writes its events). */
async function fill(engine: Engine, label: string, data: string, scratch: string): Promise<number> {
  const { presets, runs, from } = flags();
  let t = performance.now();
  await ingestDirectory(engine, { dir: data, rejectsPath: join(scratch, `${label}.rejects.csv`) });
  out(`${label.padEnd(10)} ingest    ${seconds(performance.now() - t)}`);
  const policy = await loadPolicy({ presets });
  t = performance.now();
  let lastRun = 0;
  await backfill(engine, policy, {
    from,
    to: TO,
    every: "month",
    onSnapshot: (r) => {
      lastRun = r.runId;
    },
  });
  out(
    `${label.padEnd(10)} backfill  ${seconds(performance.now() - t)} (${runs} monthly runs of ${presets.join(", ")}, with their events)`,
  );
  return lastRun;
}

/** The last run's events written again (in a transaction rolled back): the statement a run makes. */
async function timeEvents(engine: Engine, runId: number): Promise<number> {
  const asOf = TO;
  const previous = (await engine.query(previousRunsSql(runId, asOf))).map((r) => r.p_run);
  let ms = 0;
  await engine
    .transaction(async () => {
      await engine.exec(sql`DELETE FROM ${ident("tw_events")} WHERE run_id = ${raw(String(runId))}`);
      const t = performance.now();
      await engine.exec(insertEventsSql(runId, asOf, "2026-01-01 00:00:00", previous));
      ms = performance.now() - t;
      throw new Error("rollback");
    })
    .catch((e: unknown) => {
      if (!(e instanceof Error && e.message === "rollback")) throw e;
    });
  return ms;
}

async function timeExport(engine: Engine, runId: number, scratch: string): Promise<{ ms: number; rows: number }> {
  const t = performance.now();
  const r = await exportAssignments(engine, { out: join(scratch, `export-${runId}.csv`), runId });
  return { ms: performance.now() - t, rows: r.rows };
}

/**
 * The outbox and the export on PostgreSQL against DuckDB, on the same
 * business (N customers, default 50k) after 30 monthly runs (`--runs N`) of
 * value-grades (`--presets a,b`, e.g. `all`): writing the last run's events (the INSERT … SELECT a run
 * makes in its transaction, rolled back), and exporting the last run to CSV.
 * DuckDB and PostgreSQL alternate, A B A B …, three rounds; medians and the
 * ratio PostgreSQL / DuckDB are printed.
 */
export async function benchPostgresOutbox(customers: number): Promise<void> {
  const data = await dataDir(customers);
  const scratch = await mkdtemp(join(tmpdir(), "tw-bench-outbox-"));
  const pgServer = await server();
  let postgres: Engine | undefined;
  try {
    const duckStore = await openStore(join(scratch, "store.duckdb"));
    postgres = await openStore("", {
      engine: "postgres",
      databaseUrl: await freshDatabase(pgServer.url, "tw_bench_outbox"),
    });
    const duckRun = await fill(duckStore, "duckdb", data, scratch);
    const pgRun = await fill(postgres, "postgres", data, scratch);
    const times = {
      events: { duckdb: [] as number[], postgres: [] as number[] },
      export: { duckdb: [] as number[], postgres: [] as number[] },
    };
    let rows = 0;
    for (let round = 0; round < ROUNDS; round++) {
      times.events.duckdb.push(await timeEvents(duckStore, duckRun));
      times.events.postgres.push(await timeEvents(postgres, pgRun));
      const d = await timeExport(duckStore, duckRun, scratch);
      const p = await timeExport(postgres, pgRun, scratch);
      times.export.duckdb.push(d.ms);
      times.export.postgres.push(p.ms);
      if (d.rows !== p.rows) throw new Error(`export rows differ: DuckDB ${d.rows}, PostgreSQL ${p.rows}`);
      rows = d.rows;
    }
    await duckStore.close();
    out();
    const { presets, runs } = flags();
    out(
      `${customers.toLocaleString("en-US")} customers, ${runs} runs of ${presets.join(", ")}; medians of ${ROUNDS} alternated rounds`,
    );
    for (const [name, t] of Object.entries(times)) {
      const a = median(t.duckdb);
      const b = median(t.postgres);
      out(
        `${(name === "export" ? `export (${rows.toLocaleString("en-US")} rows)` : "events of the last run").padEnd(26)} DuckDB ${seconds(a)}  PostgreSQL ${seconds(b)}  ratio ${(b / Math.max(a, 1)).toFixed(2)}x`,
      );
    }
  } finally {
    await postgres?.close();
    await pgServer.started?.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}
