import { createWriteStream } from "node:fs";
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { InternalError } from "../errors/tierwise-error.js";
import { copyOutSql } from "../sql/dialect/postgres-copy.js";
import { render, type SqlFragment } from "../sql/index.js";

/**
 * Streaming COPY for the PostgreSQL engine (over `pg-copy-streams`): CSV
 * rows into `COPY … FROM STDIN`, and a query's result out of
 * `COPY … TO STDOUT` into a CSV file written the way DuckDB writes one.
 */

const QUOTE = 0x22;

/** COPY takes no parameters: the statement's text, refusing one that has any. */
function copyText(statement: SqlFragment): string {
  const { text, params } = render(statement);
  if (params.length > 0) throw new InternalError("COPY statements cannot have bound parameters");
  return text;
}

/** Send `chunks` (CSV text in UTF-8) to `COPY … FROM STDIN`; a failure aborts the COPY. */
export async function copyIn(
  client: pg.Client,
  statement: SqlFragment,
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
): Promise<void> {
  await pipeline(Readable.from(chunks), client.query(copyFrom(copyText(statement))));
}

/** A growing byte buffer for CSV output, handed out in chunks. */
export class CsvWriter {
  private buf = Buffer.allocUnsafe(1 << 18);
  private length = 0;

  get size(): number {
    return this.length;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + extra));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  ascii(text: string): void {
    this.ensure(text.length);
    this.length += this.buf.write(text, this.length, "latin1");
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  /** A field: nothing for NULL, else the bytes in quotes with each quote doubled. */
  field(value: Buffer | null): void {
    if (value === null) return;
    this.ensure(value.length * 2 + 2);
    const buf = this.buf;
    buf[this.length++] = QUOTE;
    if (value.indexOf(QUOTE) < 0) {
      this.length += value.copy(buf, this.length);
    } else {
      for (const b of value) {
        buf[this.length++] = b;
        if (b === QUOTE) buf[this.length++] = QUOTE;
      }
    }
    buf[this.length++] = QUOTE;
  }

  text(value: string | null): void {
    this.field(value === null ? null : Buffer.from(value, "utf8"));
  }

  /** The bytes written so far; the writer starts empty again. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.length));
    this.length = 0;
    return out;
  }
}

/** DuckDB's CSV writer quotes a value holding a line break, a quote, the delimiter or `#`, and empty text. */
function duckDbCsvValue(value: string | null): string {
  if (value === null) return "";
  if (value === "") return '""';
  return /[\n\r",#]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/** One field of COPY's text format: `\N` is NULL, backslash escapes are undone. */
function textFormatValue(field: string): string | null {
  if (field === "\\N") return null;
  if (!field.includes("\\")) return field;
  return field.replace(/\\(.)/g, (_, c: string) => TEXT_ESCAPES[c] ?? c);
}

/** COPY text-format lines (split across chunks anywhere) → DuckDB-style CSV lines. */
function textToCsv(): Transform {
  let rest = "";
  const convert = (line: string) => `${line.split("\t").map(textFormatValue).map(duckDbCsvValue).join(",")}\n`;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const text = rest + chunk.toString("utf8");
      const lines = text.split("\n");
      rest = lines.pop() ?? "";
      done(null, lines.map(convert).join(""));
    },
    flush(done) {
      done(null, rest ? convert(rest) : "");
    },
  });
}

/** Write `query`'s result to a CSV file at `path`, as DuckDB's `COPY … TO … (FORMAT csv, HEADER true)` would. */
export async function copyOutCsv(client: pg.Client, query: SqlFragment, path: string): Promise<void> {
  const out = client.query(copyTo(copyText(copyOutSql(query))));
  // Chunk boundaries may cut a multi-byte character: decode only whole lines (UTF-8 never has 0x0a inside one).
  const file = fileSink(path);
  await pipeline(out, splitOnNewlines(), textToCsv(), file.sink);
  const failure = file.failure();
  if (failure) throw failure;
}

/**
 * A file to write to that, once a write fails (disk full, read-only
 * folder), discards the rest instead of failing the pipeline: stopping the
 * COPY midway would leave the connection waiting for it to be read, so the
 * server's rows are drained and the first error is thrown afterwards.
 */
function fileSink(path: string): { sink: Writable; failure(): Error | null } {
  let failure: Error | null = null;
  const file = createWriteStream(path);
  const opened = new Promise<void>((resolve) => {
    file.once("open", () => resolve());
    file.once("error", (error) => {
      failure ??= error;
      resolve();
    });
  });
  file.on("error", (error) => {
    failure ??= error;
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (failure) {
        done();
        return;
      }
      opened.then(() => {
        if (failure) return done();
        file.write(chunk, (error) => {
          if (error) failure ??= error;
          done();
        });
      });
    },
    final(done) {
      if (failure) {
        file.destroy();
        done();
        return;
      }
      file.end(() => done());
    },
  });
  return { sink, failure: () => failure };
}

/** Re-chunk a byte stream so that every chunk ends at a line break (the last one may not). */
function splitOnNewlines(): Transform {
  let rest: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const all = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      const end = all.lastIndexOf(0x0a);
      if (end < 0) {
        rest = all;
        done();
        return;
      }
      rest = all.subarray(end + 1);
      done(null, all.subarray(0, end + 1));
    },
    flush(done) {
      done(null, rest.length ? rest : undefined);
    },
  });
}
