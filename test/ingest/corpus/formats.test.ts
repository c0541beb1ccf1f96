import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { raw, sql } from "../../../src/sql/index.js";
import {
  brief,
  CUSTOMERS,
  csv,
  errorsOf,
  keys,
  ONE_ORDER,
  ORDERS_HEADER,
  problems,
  rej,
  useStores,
} from "../support/corpus.js";

const ORDERS =
  "SELECT order_id, customer_id, CAST(ordered_at AS VARCHAR) AS t, CAST(amount AS VARCHAR) AS a, status FROM orders ORDER BY 1";

/** Write a parquet file with DuckDB's COPY (the path is a bound parameter) and return its bytes. */
async function parquet(engine: Engine, select: string): Promise<Buffer> {
  const path = join(await mkdtemp(join(tmpdir(), "tierwise-parquet-")), "out.parquet");
  await engine.exec(sql`COPY (${raw(select)}) TO ${path} (FORMAT parquet)`);
  return readFile(path);
}

/** Every input format Tierwise reads, each with good and bad rows. */
describe("corpus: input formats", () => {
  const stores = useStores();

  const ordersWithProblems = csv(
    ORDERS_HEADER,
    "O1,C1,2024-01-01,1",
    "O2,C9,2024-01-01,2",
    "O3,C1,2024-02-30,3",
    'O4,007,2024-01-01T10:00:00+02:00,"1,234.5"',
    "O5,C2,2024-01-01,4,extra",
  );

  it("gzip-compressed CSV gives exactly the result of the plain file", async () => {
    const plain = await stores.load({ "customers.csv": CUSTOMERS, "orders.csv": ordersWithProblems });
    const zipped = await stores.load({
      "customers.csv.gz": gzipSync(CUSTOMERS),
      "orders.csv.gz": gzipSync(ordersWithProblems),
    });
    const counts = (t: { table: string; read: number; inserted: number; rejected: number; decimalMark: string }) => [
      t.table,
      t.read,
      t.inserted,
      t.rejected,
      t.decimalMark,
    ];
    expect(zipped.result.tables.map(counts)).toEqual(plain.result.tables.map(counts));
    expect(zipped.result.tables.map((t) => [t.file, t.format])).toEqual([
      ["customers.csv.gz", "csv"],
      ["orders.csv.gz", "csv"],
    ]);
    expect(brief(zipped.rejects)).toEqual(brief(plain.rejects));
    expect(brief(zipped.rejects)).toEqual([
      rej(3, 2, 2, "customer_id", "UNKNOWN_REFERENCE"),
      rej(4, 3, 3, "ordered_at", "IMPOSSIBLE_DATE"),
      rej(6, null, 5, null, "TOO_MANY_FIELDS"),
    ]);
    expect(zipped.rejects.map((r) => r.file)).toEqual(["orders.csv.gz", "orders.csv.gz", "orders.csv.gz"]);
    expect(await zipped.rows(ORDERS)).toEqual(await plain.rows(ORDERS));
    expect(await zipped.rows(ORDERS)).toEqual([
      { order_id: "O1", customer_id: "C1", t: "2024-01-01 00:00:00", a: "1.0000", status: "completed" },
      { order_id: "O4", customer_id: "007", t: "2024-01-01 08:00:00", a: "1234.5000", status: "completed" },
    ]);
  });

  it("an empty file gzipped is EMPTY_FILE, like the plain empty file", async () => {
    const errors = await errorsOf(stores.load({ "customers.csv": CUSTOMERS, "orders.csv.gz": gzipSync("") }));
    expect(problems(errors)).toEqual([{ code: "EMPTY_FILE", message: "orders.csv.gz is empty (no header line)" }]);
  });

  it("parquet: typed columns are read as text; rejects have a record but no line", async () => {
    const engine = await stores.store();
    const file = await parquet(
      engine,
      `SELECT * FROM (VALUES
        ('O1', 'C1', TIMESTAMPTZ '2024-01-01 10:00:00+02', 12.5::DECIMAL(10,2), 'Returned'),
        ('O2', 'C9', TIMESTAMPTZ '2024-01-01 10:00:00+00', 3.0::DECIMAL(10,2), NULL),
        ('O3', '007', TIMESTAMPTZ '2024-01-01 10:00:00+00', -1.0::DECIMAL(10,2), NULL),
        ('O4', 'C1', NULL, 1::DECIMAL(10,2), 'lost'),
        ('O5', '007', TIMESTAMPTZ '2024-03-01 00:00:00+00', 0::DECIMAL(10,2), NULL)
      ) v(order_id, customer_id, ordered_at, amount, status)`,
    );
    const l = await stores.load({ "customers.csv": CUSTOMERS, "orders.parquet": file });
    // O3's negative amount makes it a credit note (kind empty), stored as such.
    expect(l.table("orders")).toMatchObject({ format: "parquet", read: 5, inserted: 3, rejected: 2 });
    expect(brief(l.rejects)).toEqual([
      rej(null, 2, 2, "customer_id", "UNKNOWN_REFERENCE"),
      rej(null, 4, 3, "ordered_at", "MISSING_VALUE"),
      rej(null, 4, 5, "status", "UNKNOWN_VALUE"),
    ]);
    expect(l.rejects[0]?.source_record).toBe(
      '{"order_id":"O2","customer_id":"C9","ordered_at":"2024-01-01 10:00:00+00","amount":"3.00","status":null}',
    );
    expect(await l.rows(ORDERS)).toEqual([
      { order_id: "O1", customer_id: "C1", t: "2024-01-01 08:00:00", a: "12.5000", status: "returned" },
      { order_id: "O3", customer_id: "007", t: "2024-01-01 10:00:00", a: "-1.0000", status: "completed" },
      { order_id: "O5", customer_id: "007", t: "2024-03-01 00:00:00", a: "0.0000", status: "completed" },
    ]);
  });

  it("parquet: a TIMESTAMP without zone is read in the ingest's time zone; extra columns are ignored", async () => {
    const engine = await stores.store();
    const file = await parquet(
      engine,
      `SELECT 'O1' AS order_id, 'C1' AS customer_id, TIMESTAMP '2024-07-01 10:00:00' AS ordered_at,
              12.5::DOUBLE AS amount, 7::INTEGER AS pieces, DATE '2024-05-06' AS shipped`,
    );
    const l = await stores.load(
      { "customers.csv": CUSTOMERS, "orders.parquet": file },
      { timeZone: "Europe/Budapest" },
    );
    expect(l.rejects).toEqual([]);
    expect(l.table("orders").ignoredColumns).toEqual(["pieces", "shipped"]);
    expect(await l.rows(ORDERS)).toEqual([
      { order_id: "O1", customer_id: "C1", t: "2024-07-01 08:00:00", a: "12.5000", status: "completed" },
    ]);
  });

  const ndjson = [
    '{"order_id":"O1","customer_id":"C1","ordered_at":"2024-01-01","amount":"1.5"}',
    '{"order_id":"O2","customer_id":"C1","ordered_at":"2024-02-30","amount":2}',
    '{"order_id":"O3","customer_id":"007","ordered_at":"2024-01-01T10:00:00+02:00","amount":1234.5,"gift":true}',
    '{"order_id":"O4","customer_id":"C9","ordered_at":"2024-01-01","amount":"-3x"}',
    '{"order_id":"O5","customer_id":"C2","ordered_at":"2024-01-01","amount":null,"status":"CANCELLED"}',
  ].join("\n");

  it("NDJSON: line is the record number; JSON numbers and strings both load", async () => {
    const l = await stores.load({ "customers.csv": CUSTOMERS, "orders.ndjson": `${ndjson}\n` });
    expect(l.table("orders")).toMatchObject({
      format: "ndjson",
      read: 5,
      inserted: 2,
      rejected: 3,
      ignoredColumns: ["gift"],
    });
    expect(brief(l.rejects)).toEqual([
      rej(2, 2, 3, "ordered_at", "IMPOSSIBLE_DATE"),
      rej(4, 4, 4, "amount", "NOT_A_NUMBER"),
      rej(5, 5, 4, "amount", "MISSING_VALUE"),
    ]);
    expect(await l.rows(ORDERS)).toEqual([
      { order_id: "O1", customer_id: "C1", t: "2024-01-01 00:00:00", a: "1.5000", status: "completed" },
      { order_id: "O3", customer_id: "007", t: "2024-01-01 08:00:00", a: "1234.5000", status: "completed" },
    ]);
  });

  it(".jsonl and a .json file holding one record per line are NDJSON too", async () => {
    for (const name of ["orders.jsonl", "orders.json"]) {
      const l = await stores.load({ "customers.csv": CUSTOMERS, [name]: ndjson });
      expect([l.table("orders").file, l.table("orders").format]).toEqual([name, "ndjson"]);
      expect(brief(l.rejects).map((r) => [r.line, r.record, r.code])).toEqual([
        [2, 2, "IMPOSSIBLE_DATE"],
        [4, 4, "NOT_A_NUMBER"],
        [5, 5, "MISSING_VALUE"],
      ]);
      expect(await keys(l.engine, "orders")).toEqual(["O1", "O3"]);
    }
  });

  it("JSON array: rejects have a record but no line; a numeric id becomes text", async () => {
    const records = [
      { order_id: "O1", customer_id: "C1", ordered_at: "2024-01-01", amount: 1.5 },
      { order_id: "O2", customer_id: "C1", ordered_at: "2024-02-30", amount: 2 },
      { order_id: 7, customer_id: "007", ordered_at: "2024-01-01", amount: null, status: "returned" },
      { order_id: 8, customer_id: "007", ordered_at: "2024-01-01", amount: "0.25", status: "returned" },
    ];
    const l = await stores.load({ "customers.csv": CUSTOMERS, "orders.json": JSON.stringify(records, null, 2) });
    expect(l.table("orders")).toMatchObject({ format: "json", read: 4, inserted: 2, rejected: 2 });
    expect(brief(l.rejects)).toEqual([
      rej(null, 2, 3, "ordered_at", "IMPOSSIBLE_DATE"),
      rej(null, 3, 4, "amount", "MISSING_VALUE"),
    ]);
    expect(await l.rows(ORDERS)).toEqual([
      { order_id: "8", customer_id: "007", t: "2024-01-01 00:00:00", a: "0.2500", status: "returned" },
      { order_id: "O1", customer_id: "C1", t: "2024-01-01 00:00:00", a: "1.5000", status: "completed" },
    ]);
  });

  it("NDJSON: a nested attributes object is stored as JSON; an array is INVALID_JSON", async () => {
    const l = await stores.load({
      "customers.ndjson": [
        '{"customer_id":"C1","attributes":{"segment":"retail","n":1}}',
        '{"customer_id":"C2","attributes":[1]}',
        '{"customer_id":"C3","attributes":"{\\"a\\":1}"}',
        '{"customer_id":"C4"}',
      ].join("\n"),
      "orders.csv": ONE_ORDER,
    });
    expect(brief(l.rejects)).toEqual([rej(2, 2, 2, "attributes", "INVALID_JSON")]);
    expect(await l.rows("SELECT customer_id, CAST(attributes AS VARCHAR) AS a FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", a: '{"segment":"retail","n":1}' },
      { customer_id: "C3", a: '{"a":1}' },
      { customer_id: "C4", a: null },
    ]);
  });

  it("TSV: .tsv files are tab-separated; commas inside values are plain text", async () => {
    const tsv = (...lines: string[][]) => lines.map((l) => l.join("\t")).join("\n") + "\n";
    const l = await stores.load({
      "customers.tsv": tsv(["customer_id", "name", "kind"], ["C1", "Smith, Ann", "b2c"], ["C2", "Bob", "b2b"]),
      "orders.tsv": tsv(
        ["order_id", "customer_id", "ordered_at", "amount"],
        ["O1", "C1", "2024-01-01", "1,234.50"],
        ["O2", "C2", "2024-01-01", "-1x"],
        ["O3", "C2", "2024-01-01", "7", "extra"],
      ),
    });
    expect(l.result.tables.map((t) => [t.file, t.format])).toEqual([
      ["customers.tsv", "csv"],
      ["orders.tsv", "csv"],
    ]);
    expect(brief(l.rejects)).toEqual([
      rej(3, 2, 4, "amount", "NOT_A_NUMBER"),
      rej(4, null, 5, null, "TOO_MANY_FIELDS"),
    ]);
    expect(await l.rows("SELECT customer_id, name FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", name: "Smith, Ann" },
      { customer_id: "C2", name: "Bob" },
    ]);
    expect(await l.rows(ORDERS)).toEqual([
      { order_id: "O1", customer_id: "C1", t: "2024-01-01 00:00:00", a: "1234.5000", status: "completed" },
    ]);
  });
});
