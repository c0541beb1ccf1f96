/**
 * The oracle of the hostile CSV tests: how many records a CSV file holds
 * after its header, counted one byte at a time from RFC 4180 and the reader
 * rules Tierwise documents (docs/ingest.md, "What the CSV reader accepts"),
 * independently of DuckDB, of the pre-pass (src/engine/csv-scanner.ts) and of
 * the engine's own count (src/engine/csv-record-count.ts):
 *
 * - a UTF-8 byte-order mark at the very start is not part of the file;
 * - a record ends at `\n`, `\r` or `\r\n` outside quotes;
 * - a quote opens a quoted field only as the first byte of a field, or after
 *   exactly one space there; inside, a doubled quote is a quote and a single
 *   one closes the field; right after the closing quote (and any spaces)
 *   another quote reopens it, a delimiter or line ending ends the field, and
 *   anything else makes the rest of the field plain text (quotes included);
 * - a line with nothing on it is no record (in a file of one column it is a
 *   record with an empty value);
 * - the first record is the header;
 * - a quote still open at the end of the file makes the rest of the file one
 *   (malformed) record.
 *
 * Every record counted must come out of an ingest as accepted, updated,
 * rejected or skipped.
 */

export interface CsvDialect {
  readonly delimiter?: string;
  readonly quote?: string;
  /** Columns of the header; a one-column file counts its empty lines. */
  readonly columns: number;
}

type Where = "start" | "space" | "plain" | "quoted" | "closed" | "closedSpace";

export function physicalRecords(bytes: Uint8Array, dialect: CsvDialect): number {
  const delimiter = (dialect.delimiter ?? ",").charCodeAt(0);
  const quote = (dialect.quote ?? '"').charCodeAt(0);
  const CR = 13;
  const LF = 10;
  const SPACE = 32;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let where: Where = "start";
  let lineHasBytes = false;
  let nonEmpty = 0;
  let emptyAfterHeader = 0;
  const endLine = () => {
    if (lineHasBytes) nonEmpty++;
    else if (nonEmpty > 0) emptyAfterHeader++;
    lineHasBytes = false;
    where = "start";
  };
  while (i < bytes.length) {
    const b = bytes[i] as number;
    i++;
    if (where === "quoted") {
      if (b === quote) where = "closed";
      continue;
    }
    if (b === CR || b === LF) {
      endLine();
      if (b === CR && bytes[i] === LF) i++;
      continue;
    }
    lineHasBytes = true;
    switch (where) {
      case "start":
        if (b === quote) where = "quoted";
        else if (b === SPACE && delimiter !== SPACE) where = "space";
        else if (b !== delimiter) where = "plain";
        break;
      case "space":
        if (b === quote) where = "quoted";
        else where = b === delimiter ? "start" : "plain";
        break;
      case "plain":
        if (b === delimiter) where = "start";
        break;
      case "closed":
      case "closedSpace":
        if (b === quote) where = "quoted";
        else if (b === delimiter) where = "start";
        else if (b === SPACE) where = "closedSpace";
        else where = "plain";
        break;
    }
  }
  if (where === "quoted") {
    if (nonEmpty > 0 || lineHasBytes) nonEmpty++;
  } else if (lineHasBytes) {
    nonEmpty++;
  }
  if (nonEmpty === 0) return 0;
  return nonEmpty - 1 + (dialect.columns === 1 ? emptyAfterHeader : 0);
}
