/**
 * The hostile CSV corpus: each case a customers file (built in the test, so
 * no binary is committed) with its hand-checked outcome, the same on DuckDB
 * and PostgreSQL. Run by csv-corpus.test.ts on each engine and compared
 * engine against engine by test/hostile/csv-corpus-postgres.test.ts.
 */

const HEADER = "customer_id,name";
export const ORDERS = "order_id,customer_id,ordered_at,amount\nO1,C1,2025-01-01,10\n";

export interface Expected {
  readonly read: number;
  readonly accepted: number;
  /** [line, code] of every rejected customers record, in file order. */
  readonly rejects: readonly (readonly [number, string])[];
}

export interface Case {
  readonly name: string;
  /** The customers file's bytes (the file is `customers.csv`, or `customers.csv.gz` when `gzip`). */
  readonly bytes: () => Buffer;
  readonly gzip?: boolean;
  /** Columns of the header, for the oracle (2 unless given). */
  readonly columns?: number;
  readonly expect: Expected;
}

const b = (text: string) => Buffer.from(text, "utf8");
const cat = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? b(p) : p)));

/** A record whose text, with the line ending before it, is `size` bytes (DuckDB's measure of a line). */
const sized = (id: string, size: number) => `${id},${"n".repeat(size - id.length - 2)}`;

export const CASES: readonly Case[] = [
  {
    name: "a CRLF header with LF rows",
    bytes: () => b(`${HEADER}\r\nC1,Ann\nC2,Bea\n`),
    expect: { read: 2, accepted: 2, rejects: [] },
  },
  {
    name: "an LF header with CRLF rows",
    bytes: () => b(`${HEADER}\nC1,Ann\r\nC2,Bea\r\n`),
    expect: { read: 2, accepted: 2, rejects: [] },
  },
  {
    name: "lone CR line endings",
    bytes: () => b(`${HEADER}\rC1,Ann\rC2,Bea\r`),
    expect: { read: 2, accepted: 2, rejects: [] },
  },
  {
    name: "every line ending mixed in one file, and a row that is rejected after them keeps its line",
    bytes: () => b(`${HEADER}\r\nC1,Ann\rC2,Bea\nC3,Cid\r\nC4,Dan,extra\rC5,Eve`),
    expect: { read: 5, accepted: 4, rejects: [[5, "TOO_MANY_FIELDS"]] },
  },
  {
    name: "CR, CRLF and empty lines in between",
    bytes: () => b(`${HEADER}\r\n\r\r\nC1,Ann\r\r\nC2,Bea\n\rC3\r\n`),
    expect: { read: 3, accepted: 2, rejects: [[8, "MISSING_FIELDS"]] },
  },
  {
    name: "a 40 MB unquoted field in the middle is one LINE_TOO_LONG reject, the other records load",
    bytes: () => cat(`${HEADER}\nC1,Ann\nC2,`, Buffer.alloc(40_000_000, "x"), "\nC3,Cid\n"),
    expect: { read: 3, accepted: 2, rejects: [[3, "LINE_TOO_LONG"]] },
  },
  {
    name: "a 3 MB quoted field is one LINE_TOO_LONG reject",
    bytes: () => cat(`${HEADER}\nC1,Ann\nC2,"`, Buffer.alloc(3_000_000, "y"), '"\nC3,Cid\n'),
    expect: { read: 3, accepted: 2, rejects: [[3, "LINE_TOO_LONG"]] },
  },
  {
    name: "a record of 2,000,000 bytes exactly loads, one of 2,000,001 bytes is rejected",
    bytes: () => b(`${HEADER}\nC1,Ann\n${sized("C2", 2_000_000)}\n${sized("C3", 2_000_001)}\nC4,Dan\n`),
    expect: { read: 4, accepted: 3, rejects: [[4, "LINE_TOO_LONG"]] },
  },
  {
    name: "a quote left open at the end makes the rest of the file one reject",
    bytes: () => b(`${HEADER}\nC1,Ann\nC2,"Bea\nC3,Cid\n`),
    expect: { read: 2, accepted: 1, rejects: [[3, "MALFORMED_QUOTES"]] },
  },
  {
    name: "a quote left open in the middle runs to the next quote; that record is one reject",
    bytes: () => b(`${HEADER}\nC1,Ann\nC2,"Bea\nC3,Cid\nC4,"Dan\nC5,Eve\n`),
    expect: { read: 3, accepted: 2, rejects: [[3, "MALFORMED_QUOTES"]] },
  },
  {
    name: "a quote in the middle of a field is a plain character",
    bytes: () => b(`${HEADER}\nC1,An"n\nC2,Bea"\n`),
    expect: { read: 2, accepted: 2, rejects: [] },
  },
  {
    name: "text after a closing quote is a MALFORMED_QUOTES reject",
    bytes: () => b(`${HEADER}\nC1,"Ann"x\nC2,Bea\n`),
    expect: { read: 2, accepted: 1, rejects: [[2, "MALFORMED_QUOTES"]] },
  },
  {
    name: "a NUL byte in a field is an INVALID_ENCODING reject on both engines",
    bytes: () => b(`${HEADER}\nC1,Ann\nC2,B\u0000ea\nC3,Cid\n`),
    expect: { read: 3, accepted: 2, rejects: [[3, "INVALID_ENCODING"]] },
  },
  {
    name: "invalid UTF-8 is an INVALID_ENCODING reject",
    bytes: () => cat(`${HEADER}\nC1,Ann\nC2,B`, Buffer.from([0xff, 0xfe]), "ea\nC3,Cid\n"),
    expect: { read: 3, accepted: 2, rejects: [[3, "INVALID_ENCODING"]] },
  },
  {
    name: "a byte-order mark",
    bytes: () => b(`\uFEFF${HEADER}\nC1,Ann\nC2,Bea\n`),
    expect: { read: 2, accepted: 2, rejects: [] },
  },
  {
    name: "a byte-order mark and a CRLF header with LF rows",
    bytes: () => b(`\uFEFF${HEADER}\r\nC1,Ann\nC2,Bea,x\n`),
    expect: { read: 2, accepted: 1, rejects: [[3, "TOO_MANY_FIELDS"]] },
  },
  {
    name: "only a header",
    bytes: () => b(`${HEADER}\n`),
    expect: { read: 0, accepted: 0, rejects: [] },
  },
  {
    name: "a header without a line ending",
    bytes: () => b(HEADER),
    expect: { read: 0, accepted: 0, rejects: [] },
  },
  {
    name: "a last line without a line ending",
    bytes: () => b(`${HEADER}\nC1,Ann\nC2,Bea`),
    expect: { read: 2, accepted: 2, rejects: [] },
  },
  {
    name: "blank lines between records count as lines, not records",
    bytes: () => b(`${HEADER}\nC1,Ann\n\n\nC2,Bea,x\n\nC3,Cid\n`),
    expect: { read: 3, accepted: 2, rejects: [[5, "TOO_MANY_FIELDS"]] },
  },
  {
    name: "a whitespace-only line is a record with too few fields",
    bytes: () => b(`${HEADER}\nC1,Ann\n   \nC2,Bea\n`),
    expect: { read: 3, accepted: 2, rejects: [[3, "MISSING_FIELDS"]] },
  },
  {
    name: "too many and too few fields",
    bytes: () => b(`${HEADER}\nC1,Ann,x\nC2\nC3,Cid\n`),
    expect: {
      read: 3,
      accepted: 1,
      rejects: [
        [2, "TOO_MANY_FIELDS"],
        [3, "MISSING_FIELDS"],
      ],
    },
  },
  {
    name: "a line holding only the delimiter is a record without an id",
    bytes: () => b(`${HEADER}\nC1,Ann\n,\nC2,Bea\n`),
    expect: { read: 3, accepted: 2, rejects: [[3, "MISSING_VALUE"]] },
  },
  {
    name: "an empty line in a one-column file is a record without an id",
    bytes: () => b("customer_id\nC1\n\nC2\n"),
    columns: 1,
    expect: { read: 3, accepted: 2, rejects: [[3, "MISSING_VALUE"]] },
  },
  {
    name: "a header of 500 columns (all but two ignored)",
    bytes: () => {
      const extra = Array.from({ length: 498 }, (_, i) => `x${i}`);
      const row = (id: string) => [id, "Name", ...extra.map(() => "v")].join(",");
      return b(`${[HEADER, ...extra].join(",")}\r\n${row("C1")}\n${row("C2")}\nC3,Cid\n`);
    },
    columns: 500,
    expect: { read: 3, accepted: 2, rejects: [[4, "MISSING_FIELDS"]] },
  },
  {
    name: "line breaks inside quotes do not end the record; later rejects keep their physical line",
    bytes: () => b(`${HEADER}\r\nC1,"Ann\r\nSmith"\nC2,"Bea\nB"\nC3,Cid,x\n`),
    expect: { read: 3, accepted: 2, rejects: [[6, "TOO_MANY_FIELDS"]] },
  },
  {
    name: "a flipped byte opens a quote at the start of a line",
    bytes: () => b(`${HEADER}\nC1,Ann\n"C2,Bea\nC3,Cid\n`),
    expect: { read: 2, accepted: 1, rejects: [[3, "MALFORMED_QUOTES"]] },
  },
  {
    name: "a gzip'd CSV with a CRLF header and LF rows",
    gzip: true,
    bytes: () => b(`${HEADER}\r\nC1,Ann\nC2,Bea\rC3,Cid,x\n`),
    expect: { read: 3, accepted: 2, rejects: [[4, "TOO_MANY_FIELDS"]] },
  },
];
