import { basename } from "node:path";
import { TierwiseError } from "../errors/index.js";
import { openCsvInput } from "./csv-input.js";
import { type CsvReject, CsvScanner } from "./csv-scanner.js";
import type { RawSource, ReaderReject } from "./engine.js";
import { CsvWriter } from "./postgres-copy.js";

/**
 * A CSV file staged through the Node pre-pass (`csv-scanner.ts`): the records
 * DuckDB's reader would parse, rewritten as clean CSV (every value quoted,
 * `,` between fields, `\n` after each record, NULL as nothing), plus the
 * reader rejects with their line, column, kind and text. PostgreSQL streams
 * the chunks into COPY; DuckDB uses it when its own reader fails on a file or
 * loses a record (`duckdb-csv-load.ts`). One code path, so both engines stage
 * the same rows and the same rejects.
 */

/** How often the pre-pass reports its progress, at most. */
const PROGRESS_EVERY_MS = 200;
/** Clean CSV is handed out in chunks of about this size. */
const CHUNK_BYTES = 1 << 18;

export interface ScanCsvOptions {
  /** Reject a record with a NUL byte in a field as `INVALID ENCODING`. */
  readonly rejectNul: boolean;
  /** Write each record's 1-based number as a first, unquoted field. */
  readonly numbered: boolean;
  /** Called with the fraction of the file read. */
  readonly progress?: ((fraction: number) => void) | null;
}

/** What the pre-pass found; complete once the chunks are exhausted. */
export interface ScannedCsv {
  /** The clean CSV, in chunks, streamed as the file is read. */
  readonly chunks: AsyncGenerator<Buffer>;
  /** Records parsed and written so far. */
  rows(): number;
  /** Reader rejects so far, in file order (NUL shown as `?`). */
  readonly rejects: ReaderReject[];
}

/** One byte of ASCII, as the pre-pass needs its delimiter and quote. */
function asciiByte(char: string, what: string, path: string): number {
  const code = char.charCodeAt(0);
  if (char.length !== 1 || code > 127) {
    throw new TierwiseError("UNREADABLE_FILE", {
      file: basename(path),
      format: "csv",
      detail: `the ${what} ${JSON.stringify(char)} is not an ASCII character, which the CSV pre-pass needs`,
    });
  }
  return code;
}

/** Scan a CSV file (gunzipped and transcoded by `openCsvInput`) into clean CSV and reader rejects. */
export async function scanCsv(source: RawSource, columnCount: number, options: ScanCsvOptions): Promise<ScannedCsv> {
  const delimiter = asciiByte(source.delimiter ?? ",", "delimiter", source.path);
  const quote = asciiByte(source.quote ?? '"', "quote", source.path);
  const input = await openCsvInput(source);
  const writer = new CsvWriter();
  const rejects: ReaderReject[] = [];
  let rows = 0;
  const sink = {
    row: (fields: readonly (Buffer | null)[]) => {
      rows++;
      if (options.numbered) writer.ascii(`${rows},`);
      for (let i = 0; i < fields.length; i++) {
        if (i > 0) writer.byte(0x2c);
        writer.field(fields[i] ?? null);
      }
      writer.byte(0x0a);
    },
    // Text columns of PostgreSQL cannot hold NUL: show it as `?` in the reject's text.
    reject: (r: CsvReject) =>
      rejects.push({ line: r.line, column: r.column, kind: r.kind, text: r.text.replaceAll("\0", "?") }),
  };
  const scanner = new CsvScanner({ delimiter, quote, columnCount, rejectNul: options.rejectNul }, sink);
  const listener = options.progress ?? null;
  let reported = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of input.chunks) {
      scanner.push(chunk);
      if (writer.size >= CHUNK_BYTES) yield writer.take();
      if (listener && Date.now() - reported >= PROGRESS_EVERY_MS) {
        reported = Date.now();
        listener(Math.min(1, input.bytesRead() / Math.max(1, input.size)));
      }
    }
    scanner.end();
    if (writer.size > 0) yield writer.take();
    listener?.(1);
  }
  return { chunks: chunks(), rows: () => rows, rejects };
}

/** Reader rejects as CSV rows (line, column, kind, text), as the engines load them into their reject table. */
export function readerRejectsCsv(rejects: readonly ReaderReject[]): Buffer {
  const writer = new CsvWriter();
  for (const r of rejects) {
    writer.ascii(`${r.line ?? ""},${r.column ?? ""},`);
    writer.text(r.kind);
    writer.byte(0x2c);
    writer.text(r.text);
    writer.byte(0x0a);
  }
  return writer.take();
}
