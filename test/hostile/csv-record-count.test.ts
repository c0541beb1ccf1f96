/**
 * The DuckDB engine's fast record count (src/engine/csv-record-count.ts)
 * against the oracle (physical-records.ts) on random hostile files cut into
 * random chunks: its jumps from line ending to line ending, and its state at
 * chunk boundaries, must count what the byte-by-byte oracle counts.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvRecordCounter, countCsvRecords } from "../../src/engine/csv-record-count.js";
import { CsvScanner } from "../../src/engine/csv-scanner.js";
import { readCsvWithDuckDb } from "../../src/engine/duckdb-csv-load.js";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import { removeDir, tempDir } from "../generate/dataset.js";
import { physicalRecords } from "./physical-records.js";

function count(bytes: Buffer, columns: number, chunk: number, delimiter = ",", quote = '"') {
  const counter = new CsvRecordCounter(delimiter.charCodeAt(0), quote.charCodeAt(0), columns);
  for (let i = 0; i < bytes.length; i += chunk) counter.push(bytes.subarray(i, i + chunk));
  return counter.end();
}

const texts = ["a", "b", ",", '"', '""', "\n", "\r", "\r\n", " ", "\u0000", "é", "\ufeff"];
// Also the first bytes of a byte-order mark alone, and an invalid byte.
const token = fc.constantFrom(
  ...texts.map((t) => Buffer.from(t)),
  Buffer.from([0xef]),
  Buffer.from([0xef, 0xbb]),
  Buffer.from([0xff]),
);
const file = fc.record({
  columns: fc.integer({ min: 1, max: 3 }),
  body: fc.array(token, { maxLength: 40 }).map((t) => Buffer.concat(t)),
  chunk: fc.integer({ min: 1, max: 12 }),
});

describe("the fast CSV record count", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir("csv-record-count");
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  it("counts what the oracle counts on random files, however they are chunked", () => {
    fc.assert(
      fc.property(file, ({ columns, body, chunk }) => {
        const bytes = body;
        const expected = physicalRecords(bytes, { columns });
        expect(count(bytes, columns, chunk).records).toBe(expected);
        expect(count(bytes, columns, bytes.length + 1).records).toBe(expected);
      }),
      { numRuns: 2_000, seed: 20261207 },
    );
  });

  it("the oracle counts what the pre-pass parses and rejects (rows + rejects) on the same files", () => {
    fc.assert(
      fc.property(file, ({ columns, body, chunk }) => {
        let records = 0;
        const sink = { row: () => records++, reject: () => records++ };
        const scanner = new CsvScanner({ delimiter: 0x2c, quote: 0x22, columnCount: columns }, sink);
        for (let i = 0; i < body.length; i += chunk) scanner.push(body.subarray(i, i + chunk));
        scanner.end();
        expect(physicalRecords(body, { columns })).toBe(records);
      }),
      { numRuns: 2_000, seed: 20261208 },
    );
  });

  it("counts DuckDB's rows + rejected lines on random files its reader reads, so a healthy read is never redone", async () => {
    const duckdb = await DuckDbEngine.open({ path: ":memory:" });
    const host = { exec: duckdb.exec.bind(duckdb), query: duckdb.query.bind(duckdb), progress: null };
    const texts = ["a", "b", ",", '"', "\n", " ", "é"];
    const healthy = fc.record({
      columns: fc.integer({ min: 1, max: 3 }),
      body: fc.array(fc.constantFrom(...texts), { maxLength: 16 }).map((t) => t.join("")),
      newline: fc.constantFrom("\n", "\r\n", "\r"),
    });
    let files = 0;
    let read = 0;
    try {
      await fc.assert(
        fc.asyncProperty(healthy, async ({ columns, body, newline }) => {
          const head = Array.from({ length: columns }, (_, i) => `h${i}`).join(",");
          const bytes = Buffer.from(`${head}\n${body}`.replaceAll("\n", newline));
          const path = join(dir, `f${++files}.csv`);
          await writeFile(path, bytes);
          const cols = Array.from({ length: columns }, (_, i) => ({ name: `h${i}`, type: "VARCHAR" }));
          let load: Awaited<ReturnType<typeof readCsvWithDuckDb>>;
          try {
            load = await readCsvWithDuckDb(host, `t${files}`, { path, format: "csv" }, cols);
          } catch {
            return; // the reader failed: the engine re-reads the file anyway
          }
          read++;
          const lines = new Set(load.rejects.map((r) => r.line)).size;
          expect(count(bytes, columns, 5).records).toBe(load.rows + lines);
        }),
        { numRuns: 300, seed: 20261209 },
      );
    } finally {
      await duckdb.close();
    }
    expect(read).toBeGreaterThan(200);
  });

  it("follows a custom delimiter and quote", () => {
    const bytes = Buffer.from("a;b\n'x;\ny';1\n'q''\r\n';2\r\n;\n");
    expect(physicalRecords(bytes, { delimiter: ";", quote: "'", columns: 2 })).toBe(3);
    for (const chunk of [1, 2, 3, 5, 100]) expect(count(bytes, 2, chunk, ";", "'").records).toBe(3);
  });

  it("tells whether the file holds a NUL byte", () => {
    expect(count(Buffer.from("a,b\n1,2\n"), 2, 3).nul).toBe(false);
    expect(count(Buffer.from("a,b\n1,\u00002\n"), 2, 3).nul).toBe(true);
  });

  it("counts an edge at a chunk boundary: a CRLF split in two, a quote opening after one space", () => {
    const bytes = Buffer.from('h1,h2\r\n1, "a\nb"\r\n2,c\r\n');
    for (let chunk = 1; chunk <= bytes.length; chunk++) expect(count(bytes, 2, chunk).records).toBe(2);
  });

  it("reads gzip'd files as the pre-pass does", async () => {
    const text = 'customer_id,name\r\nC1,Ann\nC2,"B\rea"\rC3,Cid';
    const path = join(dir, "customers.csv.gz");
    await writeFile(path, gzipSync(Buffer.from(text)));
    expect(await countCsvRecords({ path, format: "csv" }, 2)).toEqual({ records: 3, nul: false });
  });
});
