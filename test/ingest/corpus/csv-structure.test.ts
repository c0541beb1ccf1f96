import { describe, expect, it } from "vitest";
import { brief, CUSTOMERS, csv, keys, ONE_ORDER, ORDERS_HEADER, rej, useStores } from "../support/corpus.js";

/**
 * The physical shape of CSV files: quoting, line endings, encodings, rows the
 * reader itself cannot parse. Lines are physical lines (header = 1).
 */
describe("corpus: CSV structure", () => {
  const stores = useStores();

  it("a quoted newline stays in the value and later rows get their physical line", async () => {
    const l = await stores.load({
      "customers.csv": [
        "customer_id,name,kind", // 1
        'C1,"Ann\nSmith",b2c', // 2-3
        'C2,"Bob\n\nJr",b2x', // 4-6
        "C3,Cy,b2b", // 7
        "C4,Dee,zzz", // 8
      ].join("\n"),
      "orders.csv": ONE_ORDER,
    });
    expect(l.table("customers")).toMatchObject({ read: 4, inserted: 2, rejected: 2 });
    expect(brief(l.rejects)).toEqual([rej(4, 2, 3, "kind", "UNKNOWN_VALUE"), rej(8, 4, 3, "kind", "UNKNOWN_VALUE")]);
    expect(l.rejects[0]?.source_record).toBe('{"customer_id":"C2","name":"Bob\\n\\nJr","kind":"b2x"}');
    expect(await l.rows("SELECT customer_id, name FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", name: "Ann\nSmith" },
      { customer_id: "C3", name: "Cy" },
    ]);
  });

  it("a UTF-8 byte-order mark does not end up in the first column's name", async () => {
    const l = await stores.load({
      "customers.csv": `\uFEFF${CUSTOMERS}`,
      "orders.csv": `\uFEFF${csv(ORDERS_HEADER, "O1,C1,2024-01-01,1", "O2,C1,2024-01-01,-1x")}`,
    });
    expect(l.table("customers")).toMatchObject({ read: 3, inserted: 3, ignoredColumns: [] });
    expect(l.table("orders")).toMatchObject({ read: 2, inserted: 1, rejected: 1, ignoredColumns: [] });
    expect(brief(l.rejects)).toEqual([rej(3, 2, 4, "amount", "NOT_A_NUMBER")]);
    expect(l.rejects[0]?.source_record).toBe(
      '{"order_id":"O2","customer_id":"C1","ordered_at":"2024-01-01","amount":"-1x"}',
    );
    expect(await keys(l.engine, "customers")).toEqual(["007", "C1", "C2"]);
  });

  const invalidUtf8 = () =>
    Buffer.concat([
      Buffer.from(csv("customer_id,name,kind", "C1,Ann,b2c", "C2,Bob,b2b")),
      Buffer.from("C3,Ma"),
      Buffer.from([0xff, 0xfe]),
      Buffer.from("x,b2c\nC4,Dee,b2c\n"),
    ]);

  it("a row with invalid UTF-8 bytes is rejected by the reader; the other rows load", async () => {
    const l = await stores.load({ "customers.csv": invalidUtf8(), "orders.csv": ONE_ORDER });
    expect(l.table("customers")).toMatchObject({ read: 4, inserted: 3, rejected: 1 });
    expect(l.rejects.map((r) => [r.line, r.record, r.column, r.field, r.source_record])).toEqual([
      [4, null, 2, "name", "C3,Ma??x,b2c"],
    ]);
    expect(await keys(l.engine, "customers")).toEqual(["C1", "C2", "C4"]);
  });

  it("a row with invalid UTF-8 bytes is rejected as INVALID_ENCODING", async () => {
    const l = await stores.load({ "customers.csv": invalidUtf8(), "orders.csv": ONE_ORDER });
    expect(brief(l.rejects)).toEqual([rej(4, null, 2, "name", "INVALID_ENCODING")]);
    expect(l.rejects[0]?.reason).toBe(
      "the row is not valid UTF-8 (for a Latin-1 file set encoding: latin-1 in the mapping)",
    );
  });

  it("CRLF line endings leave no carriage return in any value, and lines still count right", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS.replaceAll("\n", "\r\n"),
      "orders.csv": csv(ORDERS_HEADER, "O1,C1,2024-01-01,1", "O2,C2,2024-01-01,abc", "O3,007,2024-01-02,2").replaceAll(
        "\n",
        "\r\n",
      ),
    });
    expect(brief(l.rejects)).toEqual([rej(3, 2, 4, "amount", "NOT_A_NUMBER")]);
    expect(l.rejects[0]?.source_record).toBe(
      '{"order_id":"O2","customer_id":"C2","ordered_at":"2024-01-01","amount":"abc"}',
    );
    expect(await l.rows("SELECT customer_id, name, kind FROM customers ORDER BY 1")).toEqual([
      { customer_id: "007", name: "Lea", kind: "b2c" },
      { customer_id: "C1", name: "Ann", kind: "b2c" },
      { customer_id: "C2", name: "Bob", kind: "b2b" },
    ]);
    expect(await l.rows("SELECT order_id, status FROM orders ORDER BY 1")).toEqual([
      { order_id: "O1", status: "completed" },
      { order_id: "O3", status: "completed" },
    ]);
    const cr = await l.rows("SELECT count(*) AS n FROM customers WHERE contains(customer_id || name || kind, chr(13))");
    expect(cr).toEqual([{ n: "0" }]);
  });

  it("a reader reject in a CRLF file carries its raw line without line-break characters", async () => {
    const l = await stores.load({
      "customers.csv": "customer_id,name,kind\r\nC1,Ann,b2c\r\nC2,Bob,b2b,extra\r\n",
      "orders.csv": ONE_ORDER,
    });
    expect(l.rejects.map((r) => [r.line, r.code, r.source_record])).toEqual([
      [3, "TOO_MANY_FIELDS", "C2,Bob,b2b,extra"],
    ]);
  });

  it("a truncated last line (no final newline) is MISSING_FIELDS at the first absent column", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": `${ORDERS_HEADER}\nO1,C1,2024-01-01,1\nO2,C2,2024-01-01,2\nO3,C1,2024`,
    });
    expect(l.table("orders")).toMatchObject({ read: 3, inserted: 2, unchanged: 0, updated: 0, rejected: 1 });
    expect(brief(l.rejects)).toEqual([rej(4, null, 3, "ordered_at", "MISSING_FIELDS")]);
    expect(l.rejects[0]).toMatchObject({
      reason: "the row has fewer fields than the header (truncated line?)",
      source_record: "O3,C1,2024",
    });
    expect(await keys(l.engine, "orders")).toEqual(["O1", "O2"]);
  });

  it("a row with too many fields is TOO_MANY_FIELDS; later rows keep record and line apart", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(
        ORDERS_HEADER, // 1
        "O1,C1,2024-01-01,1", // 2, record 1
        "O2,C2,2024-01-01,2,extra", // 3, reader reject
        "O3,C1,2024-01-01,-3x", // 4, record 2
        "O4,007,2024-01-01,4", // 5, record 3
      ),
    });
    expect(l.table("orders")).toMatchObject({ read: 4, inserted: 2, rejected: 2 });
    expect(brief(l.rejects)).toEqual([
      rej(3, null, 5, null, "TOO_MANY_FIELDS"),
      rej(4, 2, 4, "amount", "NOT_A_NUMBER"),
    ]);
    expect(l.rejects[0]).toMatchObject({
      reason: "the row has more fields than the header",
      source_record: "O2,C2,2024-01-01,2,extra",
    });
    expect(await keys(l.engine, "orders")).toEqual(["O1", "O4"]);
  });

  it("reader rejects after a multi-line quoted field get their physical lines", async () => {
    const l = await stores.load({
      "customers.csv": [
        "customer_id,name,kind", // 1
        'C1,"A\nB\nC",b2c', // 2-4
        "C2,x,b2c,extra", // 5: reader reject
        'C3,"D\nE",b2c', // 6-7
        "C4,y,bad", // 8: record 3
        "C5,z,b2c,more", // 9: reader reject
        "C6,w,worse", // 10: record 4
      ].join("\n"),
      "orders.csv": ONE_ORDER,
    });
    expect(brief(l.rejects)).toEqual([
      rej(5, null, 4, null, "TOO_MANY_FIELDS"),
      rej(8, 3, 3, "kind", "UNKNOWN_VALUE"),
      rej(9, null, 4, null, "TOO_MANY_FIELDS"),
      rej(10, 4, 3, "kind", "UNKNOWN_VALUE"),
    ]);
  });

  it("a 100 kB field is accepted intact", async () => {
    const big = "x".repeat(50_000) + "ÿ€".repeat(25_000);
    const l = await stores.load({
      "customers.csv": csv("customer_id,name,kind", `C1,"${big}",b2c`, "C2,small,b2b"),
      "orders.csv": ONE_ORDER,
    });
    expect(l.rejects).toEqual([]);
    const rows = await l.rows("SELECT customer_id, name, length(name) AS n FROM customers ORDER BY 1");
    expect(rows.map((r) => [r["customer_id"], r["n"]])).toEqual([
      ["C1", "100000"],
      ["C2", "5"],
    ]);
    expect(rows[0]?.["name"] === big).toBe(true);
  });

  it("a quote inside an unquoted field is kept literally when the file's quoting is otherwise sound", async () => {
    const l = await stores.load({
      "customers.csv": csv("customer_id,name,kind", 'C1,"Ann, Jr",b2c', 'C2,Bo"b,b2b', "C3,Dee,b2c"),
      "orders.csv": ONE_ORDER,
    });
    expect(l.rejects).toEqual([]);
    expect(await l.rows("SELECT customer_id, name FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", name: "Ann, Jr" },
      { customer_id: "C2", name: 'Bo"b' },
      { customer_id: "C3", name: "Dee" },
    ]);
  });

  it("one stray quote is MALFORMED_QUOTES for its row only; quoted fields elsewhere still parse", async () => {
    const l = await stores.load({
      "customers.csv": csv("customer_id,name,kind", 'C1,"Ann, Jr",b2c', 'C2,"Bob",b2b', 'C3,"Cy"x,b2b', "C4,Dee,b2c"),
      "orders.csv": ONE_ORDER,
    });
    expect(brief(l.rejects, "customers")).toEqual([rej(4, null, 2, "name", "MALFORMED_QUOTES")]);
    expect(await l.rows("SELECT customer_id, name FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", name: "Ann, Jr" },
      { customer_id: "C2", name: "Bob" },
      { customer_id: "C4", name: "Dee" },
    ]);
  });
});
