/**
 * The CSV pre-pass of the PostgreSQL engine splits records exactly as
 * DuckDB's reader does (the oracle here is DuckDB's own read_csv): the same
 * staged rows, and per rejected line the same code, line, column and text.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCsvInput } from "../../src/engine/csv-input.js";
import { type CsvReject, CsvScanner, MAX_LINE_BYTES } from "../../src/engine/csv-scanner.js";
import { readCsvWithDuckDb } from "../../src/engine/duckdb-csv-load.js";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import type { RawSource, ReaderReject } from "../../src/engine/engine.js";
import { ident, records, sql } from "../../src/sql/index.js";
import { removeDir, tempDir } from "../generate/dataset.js";

let duckdb: DuckDbEngine;
let dir: string;
let files = 0;

beforeAll(async () => {
  duckdb = await DuckDbEngine.open({ path: ":memory:" });
  dir = await tempDir("csv-scanner");
});

afterAll(async () => {
  await duckdb?.close();
  await removeDir(dir);
});

/** DuckDB's reader error names, as ingest maps them to codes (the first code of a line wins). */
const CODES: Readonly<Record<string, string>> = {
  "INVALID ENCODING": "INVALID_ENCODING",
  "LINE SIZE OVER MAXIMUM": "LINE_TOO_LONG",
  "UNQUOTED VALUE": "MALFORMED_QUOTES",
  "MISSING COLUMNS": "MISSING_FIELDS",
  "TOO MANY COLUMNS": "TOO_MANY_FIELDS",
};

interface Outcome {
  rows: (string | null)[][];
  rejects: Array<{ line: number | null; code: string; column: number | null; text: string | null }>;
}

/** Reader rejects per line, as ingest reads them: the first code, its smallest column, its text. */
function perLine(rejects: readonly ReaderReject[]): Outcome["rejects"] {
  const lines = [...new Set(rejects.map((r) => r.line))].sort((a, b) => (a ?? 0) - (b ?? 0));
  return lines.map((line) => {
    const here = rejects.filter((r) => r.line === line).map((r) => ({ ...r, code: CODES[r.kind] ?? r.kind }));
    const code = here.map((r) => r.code).sort()[0] ?? "";
    const same = here.filter((r) => r.code === code);
    const columns = same.flatMap((r) => (r.column === null ? [] : [r.column]));
    const text = same.map((r) => r.text ?? "").sort()[0] ?? null;
    return { line, code, column: columns.length ? Math.min(...columns) : null, text };
  });
}

async function viaDuckDb(bytes: Buffer, columns: number, options: Partial<RawSource> = {}): Promise<Outcome> {
  const path = join(dir, `in${++files}.csv`);
  await writeFile(path, bytes);
  const table = `t${files}`;
  const cols = Array.from({ length: columns }, (_, i) => ({ name: `h${i}`, type: "VARCHAR" }));
  // DuckDB's read_csv alone: loadRaw would fall back to the pre-pass itself when the reader fails.
  const host = { exec: duckdb.exec.bind(duckdb), query: duckdb.query.bind(duckdb), progress: null };
  const load = await readCsvWithDuckDb(host, table, { path, format: "csv", ...options }, cols);
  const staged = await duckdb.query(records(sql`SELECT * FROM ${ident(table)} ORDER BY __rec`));
  return {
    rows: staged.map((r) => cols.map((_, i) => (r[`c${i + 1}`] as string | null) ?? null)),
    rejects: perLine(load.rejects),
  };
}

function scan(bytes: Buffer, columns: number, chunk: number, delimiter = ",", quote = '"'): Outcome {
  const rows: (string | null)[][] = [];
  const rejects: CsvReject[] = [];
  const scanner = new CsvScanner(
    { delimiter: delimiter.charCodeAt(0), quote: quote.charCodeAt(0), columnCount: columns },
    {
      row: (fields) => rows.push(fields.map((f) => (f === null ? null : f.toString("utf8")))),
      reject: (r) => rejects.push(r),
    },
  );
  for (let i = 0; i < bytes.length; i += chunk) scanner.push(Buffer.from(bytes.subarray(i, i + chunk)));
  scanner.end();
  return { rows, rejects: perLine(rejects) };
}

/**
 * DuckDB numbers the column of a quote left open at the end of the file
 * oddly when empty fields precede it; that one column is not compared.
 */
function withoutOpenQuoteColumn(o: Outcome, bytes: Buffer): Outcome {
  const last = o.rejects[o.rejects.length - 1];
  if (last?.code !== "MALFORMED_QUOTES" || !bytes.includes(0x22)) return o;
  return { ...o, rejects: [...o.rejects.slice(0, -1), { ...last, column: 0 }] };
}

const header = (n: number) => `${Array.from({ length: n }, (_, i) => `h${i}`).join(",")}\n`;

describe("CSV pre-pass against DuckDB's reader", () => {
  const token = fc.constantFrom("a", "b", ",", '"', "\n", " ", "é", "\u00ff");
  const file = fc.record({
    columns: fc.integer({ min: 1, max: 3 }),
    body: fc.array(token, { maxLength: 16 }).map((t) => t.join("")),
    newline: fc.constantFrom("\n", "\r\n", "\r"),
    chunk: fc.integer({ min: 1, max: 9 }),
  });

  it("gives the same rows and reader rejects on random small files (any line ending, any chunking)", async () => {
    await fc.assert(
      fc.asyncProperty(file, async ({ columns, body, newline, chunk }) => {
        // \u00ff stands for a byte that is not UTF-8 (written as latin-1); é is written as UTF-8.
        const text = (header(columns) + body).replaceAll("\n", newline);
        const bytes = Buffer.concat(
          [...text].map((c) => (c === "\u00ff" ? Buffer.from([0xff]) : Buffer.from(c, "utf8"))),
        );
        const expected = await viaDuckDb(bytes, columns);
        expect(withoutOpenQuoteColumn(scan(bytes, columns, chunk), bytes)).toEqual(
          withoutOpenQuoteColumn(expected, bytes),
        );
      }),
      { numRuns: 300, seed: 20260105 },
    );
  });

  it.each([
    ["quoted line breaks, doubled quotes and a stray quote", 'a,b\n"x\ny",2\n"q""q",3\nBo"b,4\n"c"d,5\n', 2],
    ["CRLF with empty lines and a short last line", "a,b\r\n1,2\r\n\r\n\r\n3,4,5\r\n6", 2],
    ["a byte-order mark and trailing delimiters", "\uFEFFa,b\n1,2,\n3,,\n4,5,6,\n", 2],
    ["spaces around quotes", 'a,b\n "x",2\n1,  "y"\n"z"  ,3\n"w" v,4\n', 2],
    ["a one-column file with empty lines", "a\n1\n\n2\n", 1],
    ["a quote open at the end of the file", 'a,b\n1,2\n"x,3\n4,5\n', 2],
    ["invalid UTF-8 in a field and in a malformed quoted field", 'a,b\nC3,Ma\xff\xfex\n"x"\xc3\xa9,2\n', 2],
  ])("%s", async (_name, text, columns) => {
    const bytes = Buffer.from(text, "latin1");
    const utf8 = [...text].some((c) => c.charCodeAt(0) > 0xff) ? Buffer.from(text, "utf8") : bytes;
    const expected = await viaDuckDb(utf8, columns);
    for (const chunk of [1, 3, 64 * 1024]) expect(scan(utf8, columns, chunk)).toEqual(expected);
  });

  it("reads a custom delimiter and quote like DuckDB", async () => {
    const bytes = Buffer.from("a;b\n1;'x;y'\n'it''s';2\n\"q\";3\n4;5;6\n");
    const expected = await viaDuckDb(bytes, 2, { delimiter: ";", quote: "'" });
    expect(scan(bytes, 2, 2, ";", "'")).toEqual(expected);
  });

  it("rejects a line over DuckDB's maximum size with its first 10,000 characters, and goes on", async () => {
    const bytes = Buffer.from(`a,b\n1,2\n${"x".repeat(MAX_LINE_BYTES)},y\n3,4\n${"z".repeat(MAX_LINE_BYTES - 3)},w\n`);
    const expected = await viaDuckDb(bytes, 2);
    const scanned = scan(bytes, 2, 64 * 1024);
    expect(scanned).toEqual(expected);
    expect(scanned.rejects).toEqual([{ line: 3, code: "LINE_TOO_LONG", column: null, text: "x".repeat(10_000) }]);
    expect(scanned.rows.map((r) => r[0]?.length)).toEqual([1, 1, MAX_LINE_BYTES - 3]);
  });

  it.each([
    ["after a row", "a,b\n1,2\n", "\n", 0],
    ["after a row, one byte shorter", "a,b\n1,2\n", "\n", -1],
    ["after a CRLF row, one byte shorter", "a,b\r\n1,2\r\n", "\r\n", -1],
    ["right after a CRLF header", "a,b\r\n", "\r\n", 0],
    ["after the header and an empty line", "a,b\n\n", "\n", 0],
    ["after a quoting error", 'a,b\n"x"y,2\n', "\n", 0],
  ])("counts a line's size at the limit as DuckDB does: %s", async (_name, before, end, delta) => {
    const line = `${"x".repeat(MAX_LINE_BYTES - 2 + delta)},y`;
    const bytes = Buffer.from(`${before}${line}${end}3,4${end}`);
    expect(scan(bytes, 2, 64 * 1024)).toEqual(await viaDuckDb(bytes, 2));
  });

  it("can reject NUL bytes, which PostgreSQL text cannot hold", () => {
    const rejects: CsvReject[] = [];
    const scanner = new CsvScanner(
      { delimiter: 0x2c, quote: 0x22, columnCount: 2, rejectNul: true },
      { row: () => undefined, reject: (r) => rejects.push(r) },
    );
    scanner.push(Buffer.from("a,b\n1,x\u0000y\n2,3\n"));
    scanner.end();
    expect(rejects).toEqual([{ line: 2, column: 2, kind: "INVALID ENCODING", text: "1,x\u0000y" }]);
  });

  it.each([
    ["latin-1", Buffer.from("a,b\n1,\xe9\xff\n2,3,4\n", "latin1")],
    ["utf-16", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,é\n2,"x\ny"\n3\n', "utf16le")])],
  ] as const)("transcodes %s input like DuckDB's reader", async (encoding, bytes) => {
    const path = join(dir, `enc-${encoding}.csv`);
    await writeFile(path, bytes);
    const expected = await viaDuckDb(bytes, 2, { encoding });
    const input = await openCsvInput({ path, format: "csv", encoding });
    const chunks: Buffer[] = [];
    for await (const chunk of input.chunks) chunks.push(chunk);
    expect(scan(Buffer.concat(chunks), 2, 5)).toEqual(expected);
    expect(input.bytesRead()).toBe(bytes.length);
  });
});
