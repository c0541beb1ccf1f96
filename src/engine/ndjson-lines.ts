import { isUtf8 } from "node:buffer";
import { openCsvInput } from "./csv-input.js";
import type { RawSource } from "./engine.js";

/**
 * NDJSON split into physical lines, streamed, so that one malformed line is
 * one reject with its line number and the rest of the file loads. The JSON
 * itself is checked and read in SQL (`duckdb-ndjson.ts`); this only cuts
 * bytes at line feeds.
 */

/** Longest line read, in bytes (DuckDB's own reader limit): a longer one is a reject, never held whole. */
export const MAX_LINE_BYTES = 2 * 1024 * 1024;
/** How much of a too-long line the reject shows. */
const TOO_LONG_SHOWN = 200;

/** One physical line: its 1-based number, its text, and the reader's problem with it if any. */
export interface NdjsonLine {
  readonly line: number;
  readonly text: string;
  /** `LINE SIZE OVER MAXIMUM`, `INVALID UNICODE` or `NUL CHARACTER`; null when the text is to be read as JSON. */
  readonly problem: string | null;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A line's bytes without its line end (LF or CRLF) and without a leading byte-order mark. */
function lineOf(bytes: Buffer, line: number, tooLong: number): NdjsonLine | null {
  let body = bytes;
  if (body.length > 0 && body[body.length - 1] === 0x0d) body = body.subarray(0, body.length - 1);
  if (body.subarray(0, 3).equals(BOM)) body = body.subarray(3);
  if (tooLong > 0) {
    const shown = body.subarray(0, TOO_LONG_SHOWN).toString("utf8");
    return { line, text: `${shown}… (${tooLong.toLocaleString("en-US")} bytes)`, problem: "LINE SIZE OVER MAXIMUM" };
  }
  // A blank line is no record (the NDJSON and JSON Lines readers skip it too).
  if (/^[ \t\r\f\v]*$/.test(body.toString("latin1"))) return null;
  if (!isUtf8(body)) return { line, text: body.toString("utf8"), problem: "INVALID UNICODE" };
  const text = body.toString("utf8");
  // PostgreSQL text cannot hold NUL: the reject shows it as `?`.
  if (text.includes("\0")) return { line, text: text.replaceAll("\0", "?"), problem: "NUL CHARACTER" };
  return { line, text, problem: null };
}

/** The lines of an NDJSON file (gunzipped when `.gz`) in batches of about `batchBytes`. */
export async function* ndjsonLineBatches(
  source: RawSource,
  batchBytes = 8 * 1024 * 1024,
): AsyncGenerator<NdjsonLine[]> {
  const input = await openCsvInput({ ...source, encoding: "utf-8" });
  let batch: NdjsonLine[] = [];
  let batchSize = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  /** Bytes of the current line when it is over the limit (its bytes are no longer kept), else 0. */
  let over = 0;
  let line = 0;
  const finish = (): NdjsonLine | null => {
    line++;
    const bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    const done = lineOf(bytes, line, over);
    parts = [];
    partBytes = 0;
    over = 0;
    return done;
  };
  const add = (piece: Buffer) => {
    if (over > 0) {
      over += piece.length;
      return;
    }
    if (partBytes + piece.length > MAX_LINE_BYTES) {
      over = partBytes + piece.length;
      parts = [Buffer.concat([...parts, piece]).subarray(0, TOO_LONG_SHOWN * 4)];
      return;
    }
    parts.push(piece);
    partBytes += piece.length;
  };
  for await (const chunk of input.chunks) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a, start); end >= 0; end = chunk.indexOf(0x0a, start)) {
      add(chunk.subarray(start, end));
      const done = finish();
      if (done) {
        batch.push(done);
        batchSize += done.text.length + 16;
      }
      start = end + 1;
    }
    if (start < chunk.length) add(Buffer.from(chunk.subarray(start)));
    if (batchSize >= batchBytes) {
      yield batch;
      batch = [];
      batchSize = 0;
    }
  }
  if (partBytes > 0 || over > 0) {
    const done = finish();
    if (done) batch.push(done);
  }
  if (batch.length > 0) yield batch;
}
