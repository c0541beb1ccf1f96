import { openCsvInput } from "./csv-input.js";
import {
  AFTER_QUOTE,
  AFTER_QUOTE_SPACE,
  CR,
  EMPTY,
  FIELD_START,
  LF,
  ONE_SPACE,
  QUOTED,
  SPACE,
  UNQUOTED,
} from "./csv-states.js";
import type { RawSource } from "./engine.js";

/**
 * A fast count of the records of a CSV file, independent of DuckDB's reader,
 * by the reader rules `csv-scanner.ts` documents: records end at `\n`, `\r`
 * or `\r\n` outside quotes; a quote opens a quoted field only at the start of
 * a field or after one space following a delimiter, and after a closing
 * quote another quote reopens it; an empty line is no record (a NULL row
 * when the file has one column); the first record is the header; a quote
 * still open at the end makes the rest of the file one record.
 *
 * DuckDB's engine checks its reader's result against it: parsed rows plus
 * rejected lines must equal the count, else a record was lost. It must cost
 * little beside DuckDB's own multi-threaded read: outside quotes it jumps
 * from line ending to line ending with `Buffer.indexOf` up to the next quote;
 * only from a quote to the end of its field does it go through the states
 * byte by byte, in one tight loop. It also tells whether the file holds a NUL
 * byte.
 */

export interface CsvRecordCount {
  /** Records after the header (parsed or not). */
  readonly records: number;
  /** Whether a NUL byte occurs anywhere in the file. */
  readonly nul: boolean;
}

/** Counts records chunk by chunk; `push` every chunk in order, then `end`. */
export class CsvRecordCounter {
  /** Non-empty records, header included. */
  private lines = 0;
  /** Empty lines after the header. */
  private emptyAfterHeader = 0;
  private state = FIELD_START;
  /** The current line has content from an earlier chunk. */
  private carried = false;
  /** The previous chunk ended with a line-ending CR. */
  private afterCr = false;
  private first = true;
  /** The file's first bytes while they may still be the start of a byte-order mark. */
  private start: Buffer = EMPTY;
  private nul = false;
  // Per chunk.
  private buf: Buffer = Buffer.alloc(0);
  private lineStart = 0;
  /** Index of the last line-ending CR in this chunk: -1 when the previous chunk ended with one, else -2 if none. */
  private lastCr = -2;
  /** The last LF, CR and quote found in this chunk by `nextLf`… (-1: none after it; -2: not searched yet). */
  private lfAt = -2;
  private crAt = -2;
  private quoteAt = -2;

  constructor(
    private readonly delimiter: number,
    private readonly quote: number,
    private readonly columnCount: number,
  ) {}

  push(piece: Buffer): void {
    if (piece.length === 0) return;
    let chunk = piece;
    const first = this.first;
    if (first) {
      // Wait for a whole byte-order mark.
      chunk = this.start.length > 0 ? Buffer.concat([this.start, piece]) : piece;
      if (chunk.length < 3 && chunk[0] === 0xef) {
        this.start = chunk;
        return;
      }
      this.start = EMPTY;
      this.first = false;
    }
    this.buf = chunk;
    this.lfAt = this.crAt = this.quoteAt = -2;
    this.lineStart = 0;
    this.lastCr = this.afterCr ? -1 : -2;
    if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) this.lineStart = 3;
    if (!this.nul && chunk.indexOf(0) >= 0) this.nul = true;
    const length = chunk.length;
    let pos = this.lineStart;
    while (pos < length) {
      if (this.state > UNQUOTED) {
        // Inside or right after a quoted field: byte by byte to the end of the record.
        pos = this.scanBytes(pos);
        continue;
      }
      // Outside quotes: jump from line ending to line ending up to the next quote.
      const q = this.nextQuote(pos);
      const to = q < 0 ? length : q;
      this.endings(pos, to);
      this.state = this.stateAt(pos, to);
      pos = to < length ? this.scanBytes(to) : length;
    }
    this.carried = this.carried || this.lineStart < length;
    this.afterCr = this.lastCr === length - 1;
  }

  /**
   * From `from`, every byte through the reader's states in one tight loop,
   * up to and including the first delimiter or line ending that ends a field
   * outside quotes; returns where it stopped (the chunk's length if it found
   * none).
   */
  private scanBytes(from: number): number {
    const buf = this.buf;
    const length = buf.length;
    const quote = this.quote;
    const delimiter = this.delimiter;
    const spaceStarts = delimiter !== SPACE;
    let state = this.state;
    let lineStart = this.lineStart;
    let carried = this.carried;
    let lastCr = this.lastCr;
    let lines = this.lines;
    let empty = this.emptyAfterHeader;
    let stop = length;
    scan: for (let i = from; i < length; i++) {
      const b = buf[i] as number;
      if (state === QUOTED) {
        if (b === quote) state = AFTER_QUOTE;
        continue;
      }
      if (b === LF || b === CR) {
        if (b === LF && lastCr === i - 1) {
          // The LF of a CRLF: not an ending of its own.
          lineStart = i + 1;
          continue;
        }
        if (carried || i !== lineStart) lines++;
        else if (lines > 0) empty++;
        carried = false;
        lineStart = i + 1;
        if (b === CR) lastCr = i;
        state = FIELD_START;
        stop = i + 1;
        break;
      }
      switch (state) {
        case FIELD_START:
          if (b === quote) state = QUOTED;
          else if (b !== delimiter) state = b === SPACE && spaceStarts ? ONE_SPACE : UNQUOTED;
          break;
        case ONE_SPACE:
          state = b === quote ? QUOTED : b === delimiter ? FIELD_START : UNQUOTED;
          break;
        case UNQUOTED:
          if (b === delimiter) {
            // The field ends outside quotes: back to jumping.
            state = FIELD_START;
            stop = i + 1;
            break scan;
          }
          break;
        default:
          // After a closing quote (and spaces): another quote reopens the field.
          if (b === delimiter) {
            state = FIELD_START;
            stop = i + 1;
            break scan;
          }
          state = b === quote ? QUOTED : b === SPACE ? AFTER_QUOTE_SPACE : UNQUOTED;
      }
    }
    this.state = state;
    this.lineStart = lineStart;
    this.carried = carried;
    this.lastCr = lastCr;
    this.lines = lines;
    this.emptyAfterHeader = empty;
    return stop;
  }

  /** Every line ending in [from, to), a stretch without quotes outside quoted fields. */
  private endings(from: number, to: number): void {
    let lf = this.nextLf(from);
    let cr = this.nextCr(from);
    if (lf >= to) lf = -1;
    if (cr >= to) cr = -1;
    while (lf >= 0 || cr >= 0) {
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        this.ending(cr, true);
        cr = this.nextCr(cr + 1);
        if (cr >= to) cr = -1;
      } else {
        if (this.lastCr === lf - 1) {
          // The LF of a CRLF: not an ending of its own.
          this.lineStart = lf + 1;
        } else {
          this.ending(lf, false);
        }
        lf = this.nextLf(lf + 1);
        if (lf >= to) lf = -1;
      }
    }
  }

  /**
   * The first LF (CR, quote) at or after `from` in this chunk, or -1. The last
   * answer is kept: stretches between quotes are short, and searching to the
   * end of the chunk for a CR that is not there, once per stretch, would be
   * quadratic.
   */
  private nextLf(from: number): number {
    if (this.lfAt === -1 || this.lfAt >= from) return this.lfAt;
    this.lfAt = this.buf.indexOf(LF, from);
    return this.lfAt;
  }

  private nextQuote(from: number): number {
    if (this.quoteAt === -1 || this.quoteAt >= from) return this.quoteAt;
    this.quoteAt = this.buf.indexOf(this.quote, from);
    return this.quoteAt;
  }

  private nextCr(from: number): number {
    if (this.crAt === -1 || this.crAt >= from) return this.crAt;
    this.crAt = this.buf.indexOf(CR, from);
    return this.crAt;
  }

  /** A line ending at `at`. */
  private ending(at: number, isCr: boolean): void {
    const empty = !this.carried && at === this.lineStart;
    if (!empty) this.lines++;
    else if (this.lines > 0) this.emptyAfterHeader++;
    this.carried = false;
    this.lineStart = at + 1;
    if (isCr) this.lastCr = at;
  }

  /** The state just before `at`, outside quotes, given the state at `from` (no quote in between). */
  private stateAt(from: number, at: number): number {
    if (at === from) return this.state;
    const buf = this.buf;
    const prev = buf[at - 1] as number;
    if (prev === this.delimiter || prev === LF || prev === CR) return FIELD_START;
    if (prev !== SPACE || this.delimiter === SPACE) return UNQUOTED;
    if (at - 1 === from) return this.state === FIELD_START ? ONE_SPACE : UNQUOTED;
    const before = buf[at - 2] as number;
    return before === this.delimiter || before === LF || before === CR ? ONE_SPACE : UNQUOTED;
  }

  end(): CsvRecordCount {
    if (this.start.length > 0) {
      // A file shorter than a byte-order mark.
      const start = this.start;
      this.start = EMPTY;
      this.first = false;
      this.push(start);
    }
    // A last record without a line ending, or a quote still open: one more record.
    if (this.state === QUOTED ? this.lines > 0 || this.carried : this.carried) this.lines++;
    const records = this.lines > 0 ? this.lines - 1 + (this.columnCount === 1 ? this.emptyAfterHeader : 0) : 0;
    return { records, nul: this.nul };
  }
}

/** Count a CSV file's records (gunzipped and transcoded as the pre-pass reads it). */
export async function countCsvRecords(source: RawSource, columnCount: number): Promise<CsvRecordCount> {
  const input = await openCsvInput(source);
  const counter = new CsvRecordCounter(
    (source.delimiter ?? ",").charCodeAt(0),
    (source.quote ?? '"').charCodeAt(0),
    columnCount,
  );
  for await (const chunk of input.chunks) counter.push(chunk);
  return counter.end();
}
