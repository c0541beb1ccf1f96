/**
 * Ingestion on a real PostgreSQL gives what it gives on DuckDB.
 *
 * 1. The whole ingest corpus (test/ingest/corpus, and the mapping tests with
 *    their date formats) runs here again: every load the corpus makes on
 *    DuckDB is repeated on PostgreSQL, in a schema of its own, and must give
 *    the same result (counts, reasons), byte-identical rejects file and the
 *    same store contents, or the same coded errors. The corpus's own DuckDB
 *    assertions run as well.
 * 2. A generated business (CSV, and a mix of Parquet, NDJSON, JSON and gzip
 *    CSV) ingested twice on both engines gives identical tables.
 *
 * One server for the file; each store is a schema (search_path), each engine
 * a connection with its own temporary tables.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import type { Engine } from "../../src/engine/engine.js";
import { TierwiseError, TierwiseErrors } from "../../src/errors/index.js";
import { generateDataset } from "../../src/generate/index.js";
import { ingestDirectory } from "../../src/ingest/ingest.js";
import type { IngestResult } from "../../src/ingest/result.js";
import { TABLE_NAMES, type TableName, tableDef } from "../../src/model/index.js";
import { ident, raw, sql, TextStruct } from "../../src/sql/index.js";
import { openStore } from "../../src/store/index.js";
import { removeDir, tempDir } from "../generate/dataset.js";
import { type LoadObserver, observeLoads } from "../ingest/support/corpus.js";
import { writeInput } from "../support/ingest-fixture.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.js";

// The corpus, registered in this file; its loads are observed below.
import "../ingest/corpus/csv-structure.test.js";
import "../ingest/corpus/file-level.test.js";
import "../ingest/corpus/formats.test.js";
import "../ingest/corpus/ids-enums-references.test.js";
import "../ingest/corpus/values-dates-and-zones.test.js";
import "../ingest/corpus/values-numbers.test.js";
import "../ingest/corpus/whitespace.test.js";
import "../ingest/mapping.test.js";
import "../ingest/mapping-compute.test.js";
import { records } from "../../src/sql/index.js";

let server: TestDatabase;
let admin: pg.Client;
let schemas = 0;
const openEngines: Engine[] = [];
let comparedLoads = 0;

/** A fresh PostgreSQL store in a schema of its own. */
async function postgresStore(): Promise<Engine> {
  const schema = `store_${++schemas}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = `${server.url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const engine = await openStore("", { engine: "postgres", databaseUrl: url });
  openEngines.push(engine);
  return engine;
}

/** A value as text for comparison; JSON objects with sorted keys (PostgreSQL's JSONB reorders them). */
function canonical(value: unknown, json: boolean): string | null {
  if (value === null || value === undefined) return null;
  if (json) {
    const sortKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortKeys)
        : v !== null && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v as Record<string, unknown>)
                .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
                .map(([k, x]) => [k, sortKeys(x)]),
            )
          : v;
    return JSON.stringify(sortKeys(typeof value === "string" ? JSON.parse(value) : value));
  }
  return String(value);
}

/** Every canonical table and the ingest log (without its clock), rows as sorted text. */
async function storeContents(engine: Engine): Promise<Record<string, string[]>> {
  const contents: Record<string, string[]> = {};
  for (const table of [...TABLE_NAMES, "tw_ingests"] as const) {
    const json = new Set(
      table === "tw_ingests"
        ? []
        : tableDef(table as TableName)
            .columns.filter((c) => c.type === "json")
            .map((c) => c.name),
    );
    const rows = await engine.query(records(sql`SELECT * FROM ${ident(table)}`));
    contents[table] = rows
      .map((row) =>
        JSON.stringify(
          Object.entries(row)
            .filter(([k]) => k !== "finished_at")
            .map(([k, v]) => [k, canonical(v, json.has(k))]),
        ),
      )
      .sort();
  }
  return contents;
}

/** What a failed ingest reported: codes and messages, without the temporary input directory. */
function problemsOf(error: unknown): Array<{ code: string; message: string }> {
  const errors = error instanceof TierwiseErrors ? error.errors : error instanceof TierwiseError ? [error] : null;
  if (!errors) throw error;
  return errors.map((e) => ({ code: e.code, message: e.message.replace(/\S*tierwise-in-[^\s/]+/g, "<dir>") }));
}

/** A result without where its rejects file went. */
function comparable(result: IngestResult) {
  const { rejectsPath: _ignored, ...rest } = result;
  return rest;
}

/** Each DuckDB store of the corpus and its PostgreSQL twin, which gets the same loads. */
const twins = new WeakMap<Engine, Engine>();

const repeatOnPostgres: LoadObserver = {
  async loaded(files, options, duckdb, outcome) {
    let twin = twins.get(duckdb);
    if (!twin) {
      twin = await postgresStore();
      twins.set(duckdb, twin);
    }
    const { engine: _duckdb, ...rest } = options;
    const dir = await writeInput(files);
    const rejectsPath = join(dir, "out.rejects.csv");
    let pgResult: IngestResult | undefined;
    let pgError: unknown;
    try {
      pgResult = await ingestDirectory(twin, { ...rest, dir, rejectsPath });
    } catch (error) {
      pgError = error;
    }
    if ("error" in outcome) {
      expect(pgError, "PostgreSQL failed too").toBeDefined();
      expect(problemsOf(pgError)).toEqual(problemsOf(outcome.error));
    } else {
      if (pgError) throw pgError;
      expect(comparable(pgResult as IngestResult)).toEqual(comparable(outcome.loaded.result));
      const duckRejects = await readFile(outcome.loaded.result.rejectsPath, "utf8");
      expect(await readFile(rejectsPath, "utf8")).toBe(duckRejects);
    }
    expect(await storeContents(twin)).toEqual(await storeContents(duckdb));
    await removeDir(dir);
    comparedLoads++;
  },
};

beforeAll(async () => {
  server = await createTestDatabase("pg_ingest");
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  observeLoads(repeatOnPostgres);
});

beforeEach(() => {
  comparedLoads = 0;
});

afterEach(async (context) => {
  for (const engine of openEngines.splice(0)) await engine.close();
  // Every corpus case loads at least once: the comparison really ran.
  if (context.task.suite?.name.startsWith("corpus:") && context.task.result?.state === "pass") {
    expect(comparedLoads).toBeGreaterThan(0);
  }
});

afterAll(async () => {
  observeLoads(null);
  await admin?.end();
  await server?.drop();
});

describe("a generated business on DuckDB and PostgreSQL", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir("pg-ingest");
    await generateDataset({ outDir: join(dir, "csv"), customers: 300, seed: 5, asOf: "2026-01-01", threads: 1 });
    // The same data in every other format Tierwise reads, one table each.
    const mixed = join(dir, "mixed");
    const duck = await DuckDbEngine.open({ path: ":memory:" });
    try {
      const csvOf = (table: string) => join(dir, "csv", `${table}.csv`);
      const copy = async (table: string, file: string, format: "parquet" | "ndjson" | "json") => {
        const options = format === "parquet" ? raw("FORMAT parquet") : raw(`FORMAT json, ARRAY ${format === "json"}`);
        const read = sql`read_csv(${csvOf(table)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${await columnSpec(csvOf(table))})`;
        await duck.exec(sql`COPY (SELECT * FROM ${read}) TO ${join(mixed, file)} (${options})`);
      };
      await mkdir(mixed, { recursive: true });
      await copy("customers", "customers.parquet", "parquet");
      await copy("orders", "orders.ndjson", "ndjson");
      await copy("order_lines", "order_lines.json", "json");
      await copy("invoices", "invoices.parquet", "parquet");
      for (const table of ["products", "reps", "interactions", "leads"]) {
        await writeFile(join(mixed, `${table}.csv.gz`), gzipSync(await readFile(csvOf(table))));
      }
    } finally {
      await duck.close();
    }
  });

  afterAll(async () => {
    await removeDir(dir);
  });

  it.each(["csv", "mixed"])(
    "%s files: identical results, rejects and tables, also when ingested again",
    async (kind) => {
      const duckdb = await openStore(":memory:");
      const postgres = await postgresStore();
      try {
        for (const round of [1, 2]) {
          const results: unknown[] = [];
          const rejects: string[] = [];
          for (const [name, engine] of [
            ["duckdb", duckdb],
            ["postgres", postgres],
          ] as const) {
            const rejectsPath = join(dir, `${kind}-${name}-${round}.rejects.csv`);
            results.push(comparable(await ingestDirectory(engine, { dir: join(dir, kind), rejectsPath })));
            rejects.push(await readFile(rejectsPath, "utf8"));
          }
          expect(results[1]).toEqual(results[0]);
          expect(rejects[1]).toBe(rejects[0]);
          const tables = (results[0] as { tables: Array<{ read: number; inserted: number; unchanged: number }> })
            .tables;
          expect(tables.every((t) => t.read > 0)).toBe(true);
          if (round === 2) expect(tables.every((t) => t.inserted === 0 && t.unchanged > 0)).toBe(true);
          expect(await storeContents(postgres)).toEqual(await storeContents(duckdb));
        }
      } finally {
        await duckdb.close();
      }
    },
  );

  it("reports progress on PostgreSQL that never moves back, from within the files it reads", async () => {
    const postgres = await postgresStore();
    const seen: Array<{ step: string; done: number }> = [];
    await ingestDirectory(postgres, {
      dir: join(dir, "csv"),
      rejectsPath: join(dir, "progress.rejects.csv"),
      onProgress: (p) => seen.push({ step: p.step, done: p.done }),
    });
    const done = seen.map((s) => s.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done[done.length - 1]).toBeGreaterThan(90);
    // The CSV pre-pass reports while reading: some report of a reading step is above its step's start.
    const reading = seen.filter((s) => s.step.startsWith("reading"));
    const starts = new Map<string, number>();
    for (const s of reading) if (!starts.has(s.step)) starts.set(s.step, s.done);
    expect(reading.some((s) => s.done > (starts.get(s.step) ?? 0))).toBe(true);
  });
});

/** Every column of a generated CSV file (its header names) read as text. */
async function columnSpec(path: string): Promise<TextStruct> {
  const header = (await readFile(path, "utf8")).split("\n", 1)[0] ?? "";
  return new TextStruct(Object.fromEntries(header.split(",").map((name) => [name, "VARCHAR"])));
}
