import { isUtf8 } from "node:buffer";
import { decodeLikeDuckDb, unquote } from "./csv-field-text.js";
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

/**
 * A CSV record splitter that behaves like DuckDB's reader as Tierwise calls
 * it (`read_csv` with an explicit dialect, `header = true`,
 * `strict_mode = true`, `ignore_errors = true`, quote = escape), so that an
 * engine without that reader (PostgreSQL) stages the same rows and reports
 * the same reader rejects with the same `line`, `column`, kind and text.
 *
 * What it reproduces, byte for byte on UTF-8 input:
 * - records end at `\n`, `\r` or `\r\n` outside quotes; a quoted field may
 *   span lines; an empty line is skipped (a NULL row when the file has one
 *   column) but still counted;
 * - a quote opens a quoted field only at the start of a field, or after one
 *   space following a delimiter; elsewhere it is a literal character;
 *   spaces after a closing quote are allowed, anything else is `UNQUOTED VALUE`;
 * - empty fields and `""` are NULL; extra fields that are all empty are
 *   dropped (`a,b,` reads as two fields);
 * - `line` counts every line ending outside quotes (the header is line 1;
 *   line breaks inside quoted fields are not counted), as DuckDB's rejects do;
 * - a reject's text runs from the end of the previous record (so it starts
 *   with the `\n` of a `\r\n` and holds skipped empty lines) to the end of
 *   its own record; invalid UTF-8 bytes show as `?`;
 * - records longer than 2,000,000 bytes are `LINE SIZE OVER MAXIMUM`.
 *
 * Push bytes with `push`, then call `end`. Field buffers handed to the sink
 * are views into the scanner's buffer, valid only during the call.
 */

/** DuckDB's default maximum line size, in bytes. */
export const MAX_LINE_BYTES = 2_000_000;
/** DuckDB keeps this many characters of an over-long line in its rejects. */
const OVERLONG_TEXT_CHARS = 10_000;

/** DuckDB's names for the reader errors Tierwise maps to reject codes. */
export type CsvRejectKind =
  | "INVALID ENCODING"
  | "LINE SIZE OVER MAXIMUM"
  | "UNQUOTED VALUE"
  | "MISSING COLUMNS"
  | "TOO MANY COLUMNS";

export interface CsvReject {
  /** Line on which the record starts, counted as DuckDB counts (see above). */
  readonly line: number;
  /** 1-based field the problem is in, or null (over-long line). */
  readonly column: number | null;
  readonly kind: CsvRejectKind;
  /** The record's raw text, as DuckDB reports it. */
  readonly text: string;
}

export interface CsvSink {
  /** A parsed record with exactly `columnCount` fields (NULL for empty ones). */
  row(fields: readonly (Buffer | null)[]): void;
  reject(reject: CsvReject): void;
}

export interface CsvScanOptions {
  /** One byte (an ASCII character). */
  readonly delimiter: number;
  /** One byte (an ASCII character); a quote inside a quoted field is doubled. */
  readonly quote: number;
  readonly columnCount: number;
  /**
   * Reject a record with a NUL byte in a field as `INVALID ENCODING` (for
   * engines whose text cannot hold NUL; DuckDB's reader keeps it).
   */
  readonly rejectNul?: boolean;
}

export class CsvScanner {
  private buf: Buffer = EMPTY;
  /** Where the current record's reject text starts. */
  private textStart = 0;
  /** Where the current record's content starts. */
  private contentStart = 0;
  private pos = 0;
  private state = FIELD_START;
  private afterCr = false;
  private atFileStart = true;
  private headerDone = false;
  /**
   * DuckDB leaves one line-ending byte after the header's line ending, and
   * after a record with a quoting error, out of the next reject's text; a
   * header's CRLF counts as one ending.
   */
  private dropNewline = false;
  private dropCrlfLf = false;
  /**
   * DuckDB counts a record's size from the line ending before its text,
   * except right after the header or a quoting error.
   */
  private uncountedStart = false;
  /** Line endings seen outside quotes. */
  private lineEnds = 0;
  // The current field.
  private fieldStart = 0;
  private quoteEnd = 0;
  private escaped = false;
  // Fields of the current record: start, end and flags (1 quoted, 2 escaped quotes), flat.
  private spans: number[] = [];
  private invalidField = -1;
  /** Set when the current record passed the maximum line size; its bytes are no longer kept. */
  private overlongText: string | null = null;
  private readonly delimiter: number;
  private readonly quote: number;
  private readonly columnCount: number;
  private readonly rejectNul: boolean;

  constructor(
    options: CsvScanOptions,
    private readonly sink: CsvSink,
  ) {
    this.delimiter = options.delimiter;
    this.quote = options.quote;
    this.columnCount = options.columnCount;
    this.rejectNul = options.rejectNul ?? false;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.compact(chunk);
    if (this.atFileStart) {
      if (this.buf.length < 3 && this.buf[0] === 0xef) return; // wait for a whole byte-order mark
      this.atFileStart = false;
      if (this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) {
        this.textStart = this.contentStart = this.fieldStart = this.pos = 3;
      }
    }
    this.scan();
    if (this.overlongText === null && this.recordSize(this.buf.length) > MAX_LINE_BYTES) this.startOverlong();
  }

  end(): void {
    if (this.atFileStart) {
      this.atFileStart = false;
      this.scan();
    }
    const length = this.buf.length;
    if (this.overlongText !== null) {
      this.finishOverlong();
    } else if (this.state === QUOTED) {
      // A quote still open at the end of the file: the rest of the file is one malformed record.
      // Only the fields before the open quote are checked for encoding.
      if (this.headerDone && !this.rejectEncoding(length)) {
        const column = this.invalidField >= 0 ? this.invalidField + 1 : this.fieldCount() + 1;
        this.rejectRecord("UNQUOTED VALUE", column, this.textStart, length);
      }
    } else if (length > this.contentStart || this.spans.length > 0) {
      this.endRecord(length);
    }
    this.buf = EMPTY;
  }

  /** The size DuckDB compares with its maximum line size, for the record in progress up to `end`. */
  private recordSize(end: number): number {
    return end - this.textStart + (this.uncountedStart ? 0 : 1);
  }

  private fieldCount(): number {
    return this.spans.length / 3;
  }

  /** Keep only the bytes from the current record's text on, then append `chunk`. */
  private compact(chunk: Buffer): void {
    const keep = this.overlongText !== null ? this.pos : this.textStart;
    if (keep >= this.buf.length) {
      this.rebase(this.buf.length);
      this.buf = chunk;
      return;
    }
    const rest = this.buf.subarray(keep);
    this.rebase(keep);
    this.buf = Buffer.concat([rest, chunk]);
  }

  private rebase(by: number): void {
    if (by === 0) return;
    this.textStart = Math.max(0, this.textStart - by);
    this.contentStart = Math.max(0, this.contentStart - by);
    this.pos -= by;
    this.fieldStart = Math.max(0, this.fieldStart - by);
    this.quoteEnd = Math.max(0, this.quoteEnd - by);
    const spans = this.spans;
    for (let i = 0; i < spans.length; i += 3) {
      spans[i] = Math.max(0, (spans[i] as number) - by);
      spans[i + 1] = Math.max(0, (spans[i + 1] as number) - by);
    }
  }

  private startOverlong(): void {
    const end = Math.min(this.buf.length, this.textStart + OVERLONG_TEXT_CHARS * 4);
    this.overlongText = [...decodeLikeDuckDb(this.buf.subarray(this.textStart, end))]
      .slice(0, OVERLONG_TEXT_CHARS)
      .join("");
  }

  private finishOverlong(): void {
    if (this.headerDone) {
      this.sink.reject({
        line: this.lineEnds + 1,
        column: null,
        kind: "LINE SIZE OVER MAXIMUM",
        text: this.overlongText ?? "",
      });
    }
    this.headerDone = true;
    this.overlongText = null;
  }

  private scan(): void {
    const buf = this.buf;
    const length = buf.length;
    const delimiter = this.delimiter;
    const quote = this.quote;
    let state = this.state;
    let pos = this.pos;
    for (; pos < length; pos++) {
      const b = buf[pos] as number;
      if (this.afterCr) {
        this.afterCr = false;
        if (b === LF) {
          // The LF of a CRLF: not a line of its own, and not part of the next record's content.
          this.contentStart = this.fieldStart = pos + 1;
          if (this.dropCrlfLf || this.dropNewline) {
            this.textStart = pos + 1;
            if (this.dropCrlfLf) {
              this.dropCrlfLf = false;
            } else {
              this.dropNewline = false;
              this.uncountedStart = false;
            }
          }
          continue;
        }
      }
      switch (state) {
        case FIELD_START:
          if (b === quote) {
            state = QUOTED;
            this.fieldStart = pos + 1;
            this.escaped = false;
          } else if (b === delimiter) {
            this.spans.push(pos, pos, 0);
            this.fieldStart = pos + 1;
          } else if (b === LF || b === CR) {
            state = this.newline(state, pos, b);
          } else if (b === SPACE && delimiter !== SPACE) {
            state = ONE_SPACE;
            this.fieldStart = pos;
          } else {
            state = UNQUOTED;
            this.fieldStart = pos;
          }
          break;
        case ONE_SPACE:
          if (b === quote) {
            state = QUOTED;
            this.fieldStart = pos + 1;
            this.escaped = false;
          } else if (b === delimiter) {
            this.spans.push(this.fieldStart, pos, 0);
            this.fieldStart = pos + 1;
            state = FIELD_START;
          } else if (b === LF || b === CR) {
            state = this.newline(state, pos, b);
          } else {
            state = UNQUOTED;
          }
          break;
        case UNQUOTED: {
          // Fast path: jump to the next delimiter or line end.
          let p = pos;
          let c = b;
          while (c !== delimiter && c !== LF && c !== CR) {
            p++;
            if (p >= length) break;
            c = buf[p] as number;
          }
          if (p >= length) {
            pos = length - 1;
            break;
          }
          pos = p;
          if (c === delimiter) {
            this.spans.push(this.fieldStart, p, 0);
            this.fieldStart = p + 1;
            state = FIELD_START;
          } else {
            this.state = state;
            this.pos = p;
            this.lineEnd(p, c);
            state = this.state;
          }
          break;
        }
        case QUOTED: {
          const next = buf.indexOf(quote, pos);
          if (next < 0) {
            pos = length - 1;
          } else {
            pos = next;
            this.quoteEnd = next;
            state = AFTER_QUOTE;
          }
          break;
        }
        case AFTER_QUOTE:
          if (b === quote) {
            this.escaped = true;
            state = QUOTED;
          } else if (b === delimiter) {
            this.pushQuoted();
            this.fieldStart = pos + 1;
            state = FIELD_START;
          } else if (b === LF || b === CR) {
            state = this.newline(state, pos, b);
          } else if (b === SPACE) {
            state = AFTER_QUOTE_SPACE;
          } else {
            if (this.invalidField < 0) this.invalidField = this.fieldCount();
            state = UNQUOTED;
          }
          break;
        case AFTER_QUOTE_SPACE:
          if (b === delimiter) {
            this.pushQuoted();
            this.fieldStart = pos + 1;
            state = FIELD_START;
          } else if (b === LF || b === CR) {
            state = this.newline(state, pos, b);
          } else if (b === quote) {
            // DuckDB reads `"a" "b"` as one quoted value (its unescaping then drops the lone quotes).
            this.escaped = true;
            state = QUOTED;
          } else if (b !== SPACE) {
            if (this.invalidField < 0) this.invalidField = this.fieldCount();
            state = UNQUOTED;
          }
          break;
      }
    }
    this.state = state;
    this.pos = pos;
  }

  /** A line ending outside quotes at `at` (byte `b`). */
  /** A line break while in `state` at `pos`: end the line; returns the state the scan continues in. */
  private newline(state: number, pos: number, b: number): number {
    this.state = state;
    this.pos = pos;
    this.lineEnd(pos, b);
    return this.state;
  }

  /** The current field was quoted: record its span, flagged quoted (1) or with escaped quotes (3). */
  private pushQuoted(): void {
    this.spans.push(this.fieldStart, this.quoteEnd, this.escaped ? 3 : 1);
  }

  private lineEnd(at: number, b: number): void {
    this.dropCrlfLf = false;
    const emptyLine = this.state === FIELD_START && this.spans.length === 0 && at === this.contentStart;
    if (emptyLine && this.overlongText === null) {
      // Skipped (a NULL row in a one-column file), but counted; its line ending stays in the next reject's text.
      if (this.headerDone && this.columnCount === 1) this.sink.row([null]);
      this.contentStart = this.fieldStart = at + 1;
      if (this.dropNewline) {
        this.textStart = at + 1;
        this.uncountedStart = false;
      }
      this.dropNewline = false;
    } else {
      this.endRecord(at);
      this.textStart = this.contentStart = this.fieldStart = at + 1;
    }
    this.lineEnds++;
    this.afterCr = b === CR;
    this.state = FIELD_START;
  }

  /** The record in progress ends at `end` (exclusive). */
  private endRecord(end: number): void {
    if (this.overlongText !== null) {
      this.finishOverlong();
      this.dropNewline = this.uncountedStart = false;
      this.resetRecord();
      return;
    }
    switch (this.state) {
      case FIELD_START:
        this.spans.push(end, end, 0);
        break;
      case ONE_SPACE:
      case UNQUOTED:
        this.spans.push(this.fieldStart, end, 0);
        break;
      case AFTER_QUOTE:
      case AFTER_QUOTE_SPACE:
        this.pushQuoted();
        break;
    }
    if (!this.headerDone) {
      this.headerDone = true;
      this.dropNewline = true;
      this.dropCrlfLf = this.buf[end] === CR;
      this.uncountedStart = true;
      this.resetRecord();
      return;
    }
    this.dropNewline = false;
    const oversize = this.recordSize(end) > MAX_LINE_BYTES;
    this.uncountedStart = false;
    if (oversize) {
      this.overlongText = "";
      this.startOverlong();
      this.finishOverlong();
    } else {
      this.record(end);
      if (this.invalidField >= 0) this.dropNewline = this.uncountedStart = true;
    }
    this.resetRecord();
  }

  private resetRecord(): void {
    this.spans.length = 0;
    this.invalidField = -1;
    this.escaped = false;
  }

  private record(end: number): void {
    const buf = this.buf;
    const spans = this.spans;
    const count = this.fieldCount();
    if (this.rejectEncoding(end)) return;
    if (this.invalidField >= 0) {
      this.rejectRecord("UNQUOTED VALUE", this.invalidField + 1, this.textStart, end);
      return;
    }
    const n = this.columnCount;
    if (count < n) {
      this.rejectRecord("MISSING COLUMNS", count, this.textStart, end);
      return;
    }
    for (let i = n; i < count; i++) {
      if ((spans[i * 3 + 1] as number) > (spans[i * 3] as number)) {
        this.rejectRecord("TOO MANY COLUMNS", n + 1, this.textStart, end);
        return;
      }
    }
    const fields: (Buffer | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const start = spans[i * 3] as number;
      const stop = spans[i * 3 + 1] as number;
      const flags = spans[i * 3 + 2] as number;
      if (stop === start) fields[i] = null;
      else if (flags === 3) fields[i] = unquote(buf.subarray(start, stop), this.quote);
      else fields[i] = buf.subarray(start, stop);
    }
    this.sink.row(fields);
  }

  /** Reject the record when one of its first `columnCount` fields is not UTF-8 (extra fields are not checked). */
  private rejectEncoding(end: number): boolean {
    const spans = this.spans;
    const checked = Math.min(this.fieldCount(), this.columnCount);
    for (let i = 0; i < checked; i++) {
      const start = spans[i * 3] as number;
      let stop = spans[i * 3 + 1] as number;
      if (i === this.invalidField) {
        // DuckDB checks a malformed quoted field without trailing spaces and without its last
        // byte, as if that were the closing quote.
        while (stop > start && this.buf[stop - 1] === SPACE) stop--;
        stop--;
      }
      const bytes = this.buf.subarray(start, stop);
      if (stop > start && (!isUtf8(bytes) || (this.rejectNul && bytes.includes(0)))) {
        this.rejectRecord("INVALID ENCODING", i + 1, this.textStart, end);
        return true;
      }
    }
    return false;
  }

  private rejectRecord(kind: CsvRejectKind, column: number, from: number, to: number): void {
    this.sink.reject({
      line: this.lineEnds + 1,
      column,
      kind,
      text: decodeLikeDuckDb(this.buf.subarray(from, to)),
    });
  }
}
