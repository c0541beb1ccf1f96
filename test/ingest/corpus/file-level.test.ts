import { describe, expect, it } from "vitest";
import { TierwiseErrors } from "../../../src/errors/index.js";
import {
  CUSTOMERS,
  csv,
  EMPTY_STORE,
  errorOf,
  errorsOf,
  keys,
  ONE_ORDER,
  ORDERS_HEADER,
  problems,
  storeCounts,
  useStores,
} from "../support/corpus.js";

/** Whole files that cannot be used: nothing is written, every problem is reported at once. */
describe("corpus: file-level problems", () => {
  const stores = useStores();

  it("an empty (0-byte) file is EMPTY_FILE and the store stays empty", async () => {
    const engine = await stores.store();
    const errors = await errorsOf(stores.load({ "customers.csv": "", "orders.csv": ONE_ORDER }, { engine }));
    expect(problems(errors)).toEqual([{ code: "EMPTY_FILE", message: "customers.csv is empty (no header line)" }]);
    expect(await storeCounts(engine)).toEqual(EMPTY_STORE);
  });

  it("a file holding only a byte-order mark or blank lines is EMPTY_FILE too", async () => {
    const errors = await errorsOf(
      stores.load({ "customers.csv": "\uFEFF", "orders.csv": "\n  \n\n", "reps.csv": Buffer.alloc(0) }),
    );
    expect(problems(errors)).toEqual([
      { code: "EMPTY_FILE", message: "reps.csv is empty (no header line)" },
      { code: "EMPTY_FILE", message: "customers.csv is empty (no header line)" },
      { code: "EMPTY_FILE", message: "orders.csv is empty (no header line)" },
    ]);
  });

  it("a header-only file loads zero rows and rejects nothing", async () => {
    const l = await stores.load({ "customers.csv": CUSTOMERS, "orders.csv": `${ORDERS_HEADER}\n` });
    expect(l.table("orders")).toMatchObject({ read: 0, inserted: 0, unchanged: 0, updated: 0, rejected: 0 });
    expect(l.rejects).toEqual([]);
    expect(await keys(l.engine, "customers")).toEqual(["007", "C1", "C2"]);
    expect(await keys(l.engine, "orders")).toEqual([]);
  });

  it("a missing required column is MISSING_REQUIRED_COLUMN naming the file and the column", async () => {
    const engine = await stores.store();
    const errors = await errorsOf(
      stores.load(
        {
          "customers.csv": CUSTOMERS,
          "orders.csv": csv("order_id,customer_id,ordered_at,total", "O1,C1,2024-01-01,5"),
        },
        { engine },
      ),
    );
    expect(problems(errors)).toEqual([
      { code: "MISSING_REQUIRED_COLUMN", message: "orders.csv has no column amount (required for orders)" },
    ]);
    expect(errors.errors[0]?.params).toMatchObject({ file: "orders.csv", column: "amount", table: "orders" });
    expect(await storeCounts(engine)).toEqual(EMPTY_STORE);
  });

  it("extra columns are ignored and listed; header matching ignores case and separators", async () => {
    const l = await stores.load({
      "customers.csv": csv("Customer ID,NAME,Kind,Favourite Colour", "C1,Ann,b2c,red"),
      "orders.csv": csv("Order ID,customer-id,Ordered.At,AMOUNT,internal note,Notes", "O1,C1,2024-01-01,5,x,y"),
    });
    expect(l.table("customers").ignoredColumns).toEqual(["Favourite Colour"]);
    expect(l.table("orders").ignoredColumns).toEqual(["internal note", "Notes"]);
    expect(l.rejects).toEqual([]);
    expect(await l.rows("SELECT customer_id, name, kind FROM customers")).toEqual([
      { customer_id: "C1", name: "Ann", kind: "b2c" },
    ]);
    expect(await l.rows("SELECT order_id, customer_id, CAST(amount AS VARCHAR) AS amount FROM orders")).toEqual([
      { order_id: "O1", customer_id: "C1", amount: "5.0000" },
    ]);
  });

  it("a ';' file read with delimiter ',' from the mapping: MISSING_REQUIRED_COLUMN with a delimiter hint", async () => {
    const engine = await stores.store();
    const hint = `; the header is one column containing ';': set delimiter: ";" in the mapping`;
    const errors = await errorsOf(
      stores.load(
        {
          "customers.csv": CUSTOMERS,
          "orders.csv": csv("order_id;customer_id;ordered_at;amount", "O1;C1;2024-01-01;5"),
        },
        { engine, mapping: { tables: { orders: { delimiter: "," } } } },
      ),
    );
    expect(problems(errors)).toEqual(
      ["order_id", "customer_id", "ordered_at", "amount"].map((column) => ({
        code: "MISSING_REQUIRED_COLUMN",
        message: `orders.csv has no column ${column} (required for orders)${hint}`,
      })),
    );
    expect(await storeCounts(engine)).toEqual(EMPTY_STORE);
  });

  it("a tab-separated .csv read with delimiter ',' gets a hint naming tab", async () => {
    const errors = await errorsOf(
      stores.load(
        { "customers.csv": csv("customer_id\tname", "C1\tAnn"), "orders.csv": ONE_ORDER },
        { mapping: { delimiter: "," } },
      ),
    );
    expect(problems(errors)).toEqual([
      {
        code: "MISSING_REQUIRED_COLUMN",
        message: `customers.csv has no column customer_id (required for customers); the header is one column containing tab: set delimiter: "\\t" in the mapping`,
      },
    ]);
  });

  it("without a mapping the ';' file's delimiter (and decimal comma) is detected and it loads", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv("order_id;customer_id;ordered_at;amount", "O1;C1;2024-01-01;10,5", "O2;C2;2024-01-02;3,25"),
    });
    expect(l.table("orders")).toMatchObject({ read: 2, inserted: 2, rejected: 0, decimalMark: "," });
    expect(
      await l.rows("SELECT order_id, customer_id, CAST(amount AS VARCHAR) AS amount FROM orders ORDER BY 1"),
    ).toEqual([
      { order_id: "O1", customer_id: "C1", amount: "10.5000" },
      { order_id: "O2", customer_id: "C2", amount: "3.2500" },
    ]);
  });

  it("a directory without any table file is NO_INPUT", async () => {
    const error = await errorOf(stores.load({ "notes.txt": "customer_id\nC1\n", "orders.xlsx": "binary" }));
    expect(error.code).toBe("NO_INPUT");
  });

  it("two files for one table is AMBIGUOUS_INPUT naming both", async () => {
    const engine = await stores.store();
    const { errors } = await errorsOf(
      stores.load(
        { "customers.csv": CUSTOMERS, "orders.csv": ONE_ORDER, "orders.ndjson": '{"order_id":"O2"}\n' },
        { engine },
      ),
    );
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ["AMBIGUOUS_INPUT", "orders has more than one input file: orders.csv, orders.ndjson"],
    ]);
    expect(await storeCounts(engine)).toEqual(EMPTY_STORE);
  });

  it("orders without customers in an empty store is MISSING_REQUIRED_TABLE", async () => {
    const engine = await stores.store();
    const errors = await errorsOf(stores.load({ "orders.csv": ONE_ORDER }, { engine }));
    expect(problems(errors)).toEqual([
      {
        code: "MISSING_REQUIRED_TABLE",
        message: "customers is required but neither the input nor the store has any",
      },
    ]);
    expect(await storeCounts(engine)).toEqual(EMPTY_STORE);
  });

  it("orders alone are fine once the store has customers; they may reference stored customers", async () => {
    const first = await stores.load({ "customers.csv": CUSTOMERS, "orders.csv": ONE_ORDER });
    const second = await stores.load(
      { "orders.csv": csv(ORDERS_HEADER, "O2,007,2024-01-02,1", "O3,C7,2024-01-02,1") },
      { engine: first.engine },
    );
    expect(second.result.tables.map((t) => t.table)).toEqual(["orders"]);
    expect(second.table("orders")).toMatchObject({ read: 2, inserted: 1, rejected: 1 });
    expect(second.rejects.map((r) => [r.line, r.record, r.field, r.code])).toEqual([
      [3, 2, "customer_id", "UNKNOWN_REFERENCE"],
    ]);
    expect(await keys(first.engine, "orders")).toEqual(["O1", "O2"]);
  });

  it("unreadable parquet and JSON are UNREADABLE_FILE", async () => {
    const errors = await errorsOf(
      stores.load({
        "customers.csv": CUSTOMERS,
        "orders.parquet": "this is not a parquet file, just text",
        "reps.json": '[{"rep_id": "R1"},,]',
      }),
    );
    expect(errors.errors.map((e) => [e.code, e.params["file"], e.params["format"]])).toEqual([
      ["UNREADABLE_FILE", "reps.json", "json"],
      ["UNREADABLE_FILE", "orders.parquet", "parquet"],
    ]);
  });

  it("problems of all files are reported together and a populated store is left untouched", async () => {
    const first = await stores.load({ "customers.csv": CUSTOMERS, "orders.csv": ONE_ORDER });
    const before = await storeCounts(first.engine);
    expect(before).toMatchObject({ customers: 3, orders: 1, tw_ingests: 2 });
    const errors = await errorsOf(
      stores.load(
        {
          "reps.parquet": "garbage",
          "customers.csv": csv("customer_id,name", "C9,New"),
          "orders.csv": csv("order_id,customer_id,ordered_at", "O9,C9,2024-01-01"),
          "invoices.csv": "",
          "leads.csv": csv("lead_id;created_at;need", "L1;2024-01-01;clear"),
        },
        { engine: first.engine, mapping: { delimiter: "," } },
      ),
    );
    expect(errors).toBeInstanceOf(TierwiseErrors);
    expect(errors.errors.map((e) => [e.code, e.params["file"], e.params["column"] ?? null])).toEqual([
      ["UNREADABLE_FILE", "reps.parquet", null],
      ["MISSING_REQUIRED_COLUMN", "orders.csv", "amount"],
      ["EMPTY_FILE", "invoices.csv", null],
      ["MISSING_REQUIRED_COLUMN", "leads.csv", "lead_id"],
      ["MISSING_REQUIRED_COLUMN", "leads.csv", "created_at"],
      ["MISSING_REQUIRED_COLUMN", "leads.csv", "need"],
    ]);
    expect(await storeCounts(first.engine)).toEqual(before);
    expect(await keys(first.engine, "customers")).toEqual(["007", "C1", "C2"]);
  });

  it("AMBIGUOUS_INPUT is reported together with the other files' problems", async () => {
    const errors = await errorsOf(
      stores.load({ "customers.csv": "", "orders.csv": ONE_ORDER, "orders.ndjson": '{"order_id":"O2"}\n' }),
    );
    expect(errors.errors.map((e) => e.code).sort()).toEqual(["AMBIGUOUS_INPUT", "EMPTY_FILE"]);
  });

  it("MISSING_REQUIRED_TABLE is reported together with the other files' problems", async () => {
    const errors = await errorsOf(
      stores.load({ "orders.csv": csv("order_id,customer_id,ordered_at", "O1,C1,2024-01-01") }),
    );
    expect(errors.errors.map((e) => e.code)).toEqual(["MISSING_REQUIRED_COLUMN", "MISSING_REQUIRED_TABLE"]);
  });
});
