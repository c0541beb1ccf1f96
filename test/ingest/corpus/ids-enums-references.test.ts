import { describe, expect, it } from "vitest";
import {
  brief,
  CUSTOMERS,
  csv,
  keys,
  ONE_ORDER,
  ORDERS_HEADER,
  rej,
  storeCounts,
  useStores,
} from "../support/corpus.js";

/** Identifiers, enumerations, references between tables, keys and re-ingest. */
describe("corpus: ids, enums and references", () => {
  const stores = useStores();

  it("ids are text: 007, 7 and 07 are different ids and leading zeros survive", async () => {
    const l = await stores.load({
      "customers.csv": csv("customer_id,name", "007,Lea", "7,Seven", " C8 ,Eight"),
      "orders.csv": csv(
        ORDERS_HEADER,
        "O1,007,2024-01-01,1",
        "O2,7,2024-01-01,1",
        "O3,07,2024-01-01,1",
        "O4,C8,2024-01-01,1",
        "0005,007,2024-01-01,1",
      ),
    });
    expect(brief(l.rejects)).toEqual([rej(4, 3, 2, "customer_id", "UNKNOWN_REFERENCE")]);
    expect(await keys(l.engine, "customers")).toEqual(["007", "7", "C8"]);
    expect(await l.rows("SELECT order_id, customer_id FROM orders ORDER BY 1")).toEqual([
      { order_id: "0005", customer_id: "007" },
      { order_id: "O1", customer_id: "007" },
      { order_id: "O2", customer_id: "7" },
      { order_id: "O4", customer_id: "C8" },
    ]);
  });

  it("a repeated key is DUPLICATE_KEY naming the first record, which is kept; keys are case-sensitive", async () => {
    const l = await stores.load({
      "customers.csv": csv(
        "customer_id,name,kind",
        "C1,Ann,b2c",
        "C2,Bob,b2b",
        "C1,Other Ann,b2b",
        "c1,lower,b2c",
        "C2,Bob again,b2b",
      ),
      "orders.csv": ONE_ORDER,
    });
    expect(l.table("customers")).toMatchObject({ read: 5, inserted: 3, rejected: 2 });
    expect(brief(l.rejects)).toEqual([
      rej(4, 3, 1, "customer_id", "DUPLICATE_KEY"),
      rej(6, 5, 1, "customer_id", "DUPLICATE_KEY"),
    ]);
    expect(l.rejects.map((r) => r.reason)).toEqual([
      "customer_id repeats a key already seen at record 1 of this file; the first occurrence was kept",
      "customer_id repeats a key already seen at record 2 of this file; the first occurrence was kept",
    ]);
    expect(await l.rows("SELECT customer_id, name FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", name: "Ann" },
      { customer_id: "C2", name: "Bob" },
      { customer_id: "c1", name: "lower" },
    ]);
  });

  it("a key repeated after a rejected row is kept: only earlier good rows count", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(
        ORDERS_HEADER,
        "O1,C1,2024-01-01,-1x", // rejected: NOT_A_NUMBER
        "O1,C1,2024-01-01,2", // first good O1: kept
        "O1,C2,2024-01-01,3", // DUPLICATE_KEY of record 2
        "O1,C2,2024-01-01,x", // NOT_A_NUMBER (its own problem comes first)
      ),
    });
    expect(brief(l.rejects)).toEqual([
      rej(2, 1, 4, "amount", "NOT_A_NUMBER"),
      rej(4, 3, 1, "order_id", "DUPLICATE_KEY"),
      rej(5, 4, 4, "amount", "NOT_A_NUMBER"),
    ]);
    expect(l.rejects[1]?.reason).toContain("at record 2 of this file");
    expect(await l.rows("SELECT order_id, customer_id, CAST(amount AS VARCHAR) AS a FROM orders")).toEqual([
      { order_id: "O1", customer_id: "C1", a: "2.0000" },
    ]);
  });

  it("a key repeated after an orphan row is kept (the orphan is not a good row)", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(ORDERS_HEADER, "O1,C9,2024-01-01,1", "O1,C1,2024-01-01,2"),
    });
    expect(brief(l.rejects)).toEqual([rej(2, 1, 2, "customer_id", "UNKNOWN_REFERENCE")]);
    expect(await keys(l.engine, "orders")).toEqual(["O1"]);
  });

  it("orders of unknown customers (or of customers rejected in this load) are UNKNOWN_REFERENCE", async () => {
    const l = await stores.load({
      "customers.csv": csv("customer_id,name,kind", "C1,Ann,b2c", "C5,Bad Kind,zzz"),
      "orders.csv": csv(
        ORDERS_HEADER,
        "O1,C1,2024-01-01,1",
        "O2,C9,2024-01-01,1",
        "O3,C5,2024-01-01,1",
        "O4,c1,2024-01-01,1",
      ),
    });
    expect(brief(l.rejects, "customers")).toEqual([rej(3, 2, 3, "kind", "UNKNOWN_VALUE")]);
    expect(brief(l.rejects, "orders")).toEqual([
      rej(3, 2, 2, "customer_id", "UNKNOWN_REFERENCE"),
      rej(4, 3, 2, "customer_id", "UNKNOWN_REFERENCE"),
      rej(5, 4, 2, "customer_id", "UNKNOWN_REFERENCE"),
    ]);
    expect(l.rejects[1]?.reason).toBe("customer_id matches no customers.customer_id in this load or the store");
    expect(await keys(l.engine, "orders")).toEqual(["O1"]);
  });

  it("enums match case-insensitively after trimming; unknown values are UNKNOWN_VALUE; empty status is completed", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(
        "order_id,customer_id,ordered_at,amount,status",
        "O1,C1,2024-01-01,1,RETURNED",
        "O2,C1,2024-01-01,1, Cancelled ",
        "O3,C1,2024-01-01,1,shipped",
        "O4,C1,2024-01-01,1,",
        'O5,C1,2024-01-01,1,""',
        "O6,C1,2024-01-01,1,   ",
        "O7,C1,2024-01-01,1,complete",
      ),
    });
    expect(brief(l.rejects)).toEqual([
      rej(4, 3, 5, "status", "UNKNOWN_VALUE"),
      rej(8, 7, 5, "status", "UNKNOWN_VALUE"),
    ]);
    expect(l.rejects[0]?.reason).toBe("status is not one of completed, returned, cancelled");
    expect(await l.rows("SELECT order_id, status FROM orders ORDER BY 1")).toEqual([
      { order_id: "O1", status: "returned" },
      { order_id: "O2", status: "cancelled" },
      { order_id: "O4", status: "completed" },
      { order_id: "O5", status: "completed" },
      { order_id: "O6", status: "completed" },
    ]);
  });

  it("leads: empty status is open, need is a required enum, the customer is optional", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": ONE_ORDER,
      "leads.csv": csv(
        "lead_id,customer_id,created_at,need,status",
        "L1,,2024-01-01,clear,",
        "L2,C9,2024-01-01,latent,won",
        "L3,C1,2024-01-01,NONE,Lost",
        "L4,C1,2024-01-01,,open",
        "L5,C1,2024-01-01,urgent,open",
      ),
    });
    expect(brief(l.rejects)).toEqual([
      rej(3, 2, 2, "customer_id", "UNKNOWN_REFERENCE"),
      rej(5, 4, 4, "need", "MISSING_VALUE"),
      rej(6, 5, 4, "need", "UNKNOWN_VALUE"),
    ]);
    expect(await l.rows("SELECT lead_id, customer_id, need, status FROM leads ORDER BY 1")).toEqual([
      { lead_id: "L1", customer_id: null, need: "clear", status: "open" },
      { lead_id: "L3", customer_id: "C1", need: "none", status: "lost" },
    ]);
  });

  it("order lines: empty quantity is 1, empty line_no is the position among the order's lines", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(ORDERS_HEADER, "O1,C1,2024-01-01,1", "O2,C1,2024-01-01,1"),
      "order_lines.csv": csv(
        "order_id,line_no,product_id,quantity,amount",
        "O1,,P1,,5",
        "O2,,P2,2,5",
        "O1,,P3,0.5,5",
        "O1,7,P4,1,5",
        "O9,,P5,1,1",
        "O2,,P6,-1x,1",
        "O2,0,P7,1,1",
      ),
    });
    expect(brief(l.rejects)).toEqual([
      rej(6, 5, 1, "order_id", "UNKNOWN_REFERENCE"),
      rej(7, 6, 4, "quantity", "NOT_A_NUMBER"),
      rej(8, 7, 2, "line_no", "OUT_OF_RANGE"),
    ]);
    expect(
      await l.rows(
        "SELECT order_id, line_no, product_id, CAST(quantity AS VARCHAR) AS q FROM order_lines ORDER BY 1, 2",
      ),
    ).toEqual([
      { order_id: "O1", line_no: "1", product_id: "P1", q: "1.0000" },
      { order_id: "O1", line_no: "2", product_id: "P3", q: "0.5000" },
      { order_id: "O1", line_no: "7", product_id: "P4", q: "1.0000" },
      { order_id: "O2", line_no: "1", product_id: "P2", q: "2.0000" },
    ]);
  });

  it("ids over 200 characters or with control characters are INVALID_ID; 200 characters are fine", async () => {
    const l = await stores.load({
      "customers.csv": csv(
        "customer_id,name",
        '"C\u00011",ctrl',
        "C\t2,tab",
        `${"L".repeat(201)},long`,
        `${"M".repeat(200)},max`,
        '"C\n3",newline', // lines 6-7
        "C4,ok",
        "C\u007f5,del",
      ),
      "orders.csv": csv(ORDERS_HEADER, "O1,C4,2024-01-01,1"),
    });
    expect(brief(l.rejects)).toEqual([
      rej(2, 1, 1, "customer_id", "INVALID_ID"),
      rej(3, 2, 1, "customer_id", "INVALID_ID"),
      rej(4, 3, 1, "customer_id", "INVALID_ID"),
      rej(6, 5, 1, "customer_id", "INVALID_ID"),
      rej(9, 7, 1, "customer_id", "INVALID_ID"),
    ]);
    expect(l.rejects.map((r) => r.reason)).toEqual([
      "customer_id contains the invisible or control character U+0001",
      "customer_id contains the invisible or control character U+0009",
      "customer_id is longer than 200 characters",
      "customer_id contains the invisible or control character U+000A",
      "customer_id contains the invisible or control character U+007F",
    ]);
    expect(await keys(l.engine, "customers")).toEqual(["C4", "M".repeat(200)]);
  });

  it("SQL-looking text is stored verbatim and every table stays intact", async () => {
    const l = await stores.load({
      "customers.csv": csv(
        "customer_id,name,email,region",
        `C1,"Robert'); DROP TABLE orders;--",x@y.z,north`,
        `C2,"""; DELETE FROM customers; --",' OR '1'='1,"'; UPDATE customers SET kind = 'b2b'; --"`,
        `"C3'; DROP TABLE customers; --",Mallory,,`,
      ),
      "orders.csv": csv(
        "order_id,customer_id,ordered_at,amount,channel",
        "O1,C1,2024-01-01,1,web",
        `"O2"";--",C3'; DROP TABLE customers; --,2024-01-01,2,"); DROP TABLE tw_ingests; --"`,
      ),
    });
    expect(l.rejects).toEqual([]);
    expect(await l.rows("SELECT customer_id, name, email, region, kind FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", name: "Robert'); DROP TABLE orders;--", email: "x@y.z", region: "north", kind: null },
      {
        customer_id: "C2",
        name: '"; DELETE FROM customers; --',
        email: "' OR '1'='1",
        region: "'; UPDATE customers SET kind = 'b2b'; --",
        kind: null,
      },
      { customer_id: "C3'; DROP TABLE customers; --", name: "Mallory", email: null, region: null, kind: null },
    ]);
    expect(await l.rows("SELECT order_id, customer_id, channel FROM orders ORDER BY 1")).toEqual([
      { order_id: "O1", customer_id: "C1", channel: "web" },
      { order_id: 'O2";--', customer_id: "C3'; DROP TABLE customers; --", channel: "); DROP TABLE tw_ingests; --" },
    ]);
    expect(await storeCounts(l.engine)).toEqual({
      reps: 0,
      products: 0,
      customers: 3,
      orders: 2,
      order_lines: 0,
      invoices: 0,
      interactions: 0,
      leads: 0,
      tw_ingests: 2,
    });
  });

  it('empty, blank and "" are missing: NULL in optional columns, MISSING_VALUE in required ones', async () => {
    const l = await stores.load({
      "customers.csv": csv(
        "customer_id,name,email,kind,created_at",
        'C1,"",,b2c,',
        'C2,  ,"  ",,""',
        '"",Nobody,x@y,b2c,',
        "   ,Blank,x@y,b2c,",
        ",Empty,,b2c,",
      ),
      "orders.csv": csv(ORDERS_HEADER, 'O1,C1,"",1', "O2,C1,2024-01-01,  ", "O3,C2,2024-01-01,0"),
    });
    expect(brief(l.rejects)).toEqual([
      rej(4, 3, 1, "customer_id", "MISSING_VALUE"),
      rej(5, 4, 1, "customer_id", "MISSING_VALUE"),
      rej(6, 5, 1, "customer_id", "MISSING_VALUE"),
      rej(2, 1, 3, "ordered_at", "MISSING_VALUE"),
      rej(3, 2, 4, "amount", "MISSING_VALUE"),
    ]);
    expect(l.rejects[0]?.reason).toBe("customer_id is empty but required");
    expect(await l.rows("SELECT customer_id, name, email, kind, created_at FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", name: null, email: null, kind: "b2c", created_at: null },
      { customer_id: "C2", name: null, email: null, kind: null, created_at: null },
    ]);
    expect(await keys(l.engine, "orders")).toEqual(["O3"]);
  });

  it("attributes must be a JSON object: arrays, numbers and strings are INVALID_JSON", async () => {
    const l = await stores.load({
      "customers.csv": csv(
        "customer_id,attributes",
        'C1,"{""segment"":""retail"",""tags"":[1,2]}"',
        'C2,"[1,2]"',
        "C3,42",
        'C4,"""text"""',
        "C5,",
        "C6,{}",
      ),
      "orders.csv": ONE_ORDER,
    });
    expect(brief(l.rejects, "customers")).toEqual([
      rej(3, 2, 2, "attributes", "INVALID_JSON"),
      rej(4, 3, 2, "attributes", "INVALID_JSON"),
      rej(5, 4, 2, "attributes", "INVALID_JSON"),
    ]);
    expect(l.rejects[0]?.reason).toBe("attributes is not a JSON object");
    expect(await l.rows("SELECT customer_id, CAST(attributes AS VARCHAR) AS a FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", a: '{"segment":"retail","tags":[1,2]}' },
      { customer_id: "C5", a: null },
      { customer_id: "C6", a: "{}" },
    ]);
  });

  it("malformed JSON in attributes is INVALID_JSON for that row, not a failed ingest", async () => {
    const l = await stores.load({
      "customers.csv": csv("customer_id,attributes", "C1,{bad", 'C2,"{""ok"":true}"'),
      "orders.csv": ONE_ORDER,
    });
    // The order of the rejected customer C1 then has no customer: rejects cascade, nothing is lost.
    expect(brief(l.rejects)).toEqual([
      rej(2, 1, 2, "attributes", "INVALID_JSON"),
      rej(2, 1, 2, "customer_id", "UNKNOWN_REFERENCE"),
    ]);
    expect(l.rejects.map((r) => r.table)).toEqual(["customers", "orders"]);
    expect(await keys(l.engine, "customers")).toEqual(["C2"]);
  });

  it("a survey needs a score (SCORE_REQUIRED); 6 and 0 are OUT_OF_RANGE; other kinds need none", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": ONE_ORDER,
      "interactions.csv": csv(
        "interaction_id,customer_id,at,kind,score,outcome",
        "I1,C1,2024-01-01,survey,,",
        "I2,C1,2024-01-01,survey,6,",
        "I3,C1,2024-01-01,survey,4,",
        "I4,C1,2024-01-01,complaint,,Founded",
        "I5,C1,2024-01-01,Survey,0,",
        "I6,C1,2024-01-01,SURVEY,4.5,",
        "I7,C1,2024-01-01,complaint,,maybe",
        "I8,C1,2024-01-01,call,,",
      ),
    });
    expect(l.table("interactions")).toMatchObject({ read: 8, inserted: 2, rejected: 6 });
    expect(brief(l.rejects)).toEqual([
      rej(2, 1, 5, "score", "SCORE_REQUIRED"),
      rej(3, 2, 5, "score", "OUT_OF_RANGE"),
      rej(6, 5, 5, "score", "OUT_OF_RANGE"),
      rej(7, 6, 5, "score", "NOT_AN_INTEGER"),
      rej(8, 7, 6, "outcome", "UNKNOWN_VALUE"),
      rej(9, 8, 4, "kind", "UNKNOWN_VALUE"),
    ]);
    expect(l.rejects.map((r) => r.reason).slice(0, 2)).toEqual([
      "a survey needs a score from 1 to 5",
      "score is outside the allowed range 1..5",
    ]);
    expect(await l.rows("SELECT interaction_id, kind, score, outcome FROM interactions ORDER BY 1")).toEqual([
      { interaction_id: "I3", kind: "survey", score: "4", outcome: null },
      { interaction_id: "I4", kind: "complaint", score: null, outcome: "founded" },
    ]);
  });

  it("an optional reference (owner_rep_id → reps) is only checked once reps has rows", async () => {
    const files = {
      "customers.csv": csv("customer_id,owner_rep_id", "C1,R1", "C2,", "C3,R9"),
      "orders.csv": ONE_ORDER,
    };
    const unchecked = await stores.load(files);
    expect(unchecked.rejects).toEqual([]);
    expect(await unchecked.rows("SELECT customer_id, owner_rep_id FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", owner_rep_id: "R1" },
      { customer_id: "C2", owner_rep_id: null },
      { customer_id: "C3", owner_rep_id: "R9" },
    ]);
    const checked = await stores.load({ ...files, "reps.csv": csv("rep_id,level", "R1,senior") });
    expect(brief(checked.rejects)).toEqual([rej(4, 3, 2, "owner_rep_id", "UNKNOWN_REFERENCE")]);
    expect(checked.rejects[0]?.reason).toBe("owner_rep_id matches no reps.rep_id in this load or the store");
    expect(await keys(checked.engine, "customers")).toEqual(["C1", "C2"]);
  });

  it("re-ingest: identical rows are unchanged, a changed row with a known key is updated", async () => {
    const first = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(ORDERS_HEADER, "O1,C1,2024-01-01,1", "O2,C9,2024-01-01,2"),
    });
    const again = await stores.load(
      { "customers.csv": CUSTOMERS, "orders.csv": csv(ORDERS_HEADER, "O1,C1,2024-01-01,1", "O2,C9,2024-01-01,2") },
      { engine: first.engine },
    );
    expect(again.result.tables.map((t) => [t.table, t.read, t.inserted, t.unchanged, t.updated, t.rejected])).toEqual([
      ["customers", 3, 0, 3, 0, 0],
      ["orders", 2, 0, 1, 0, 1],
    ]);
    const changed = await stores.load(
      {
        "customers.csv": csv("customer_id,name,kind", "C1,Ann Smith,b2c", "C2,Bob,b2b", "C3,Cy,b2b"),
        // 1.00 is the same amount as 1; a new status is a change.
        "orders.csv": csv(
          "order_id,customer_id,ordered_at,amount,status",
          "O1,C1,2024-01-01,1.00,returned",
          "O3,C3,2024-01-02,3,",
        ),
      },
      { engine: first.engine },
    );
    expect(changed.result.tables.map((t) => [t.table, t.read, t.inserted, t.unchanged, t.updated, t.rejected])).toEqual(
      [
        ["customers", 3, 1, 1, 1, 0],
        ["orders", 2, 1, 0, 1, 0],
      ],
    );
    expect(await first.rows("SELECT customer_id, name FROM customers ORDER BY 1")).toEqual([
      { customer_id: "007", name: "Lea" },
      { customer_id: "C1", name: "Ann Smith" },
      { customer_id: "C2", name: "Bob" },
      { customer_id: "C3", name: "Cy" },
    ]);
    expect(await first.rows("SELECT order_id, status, CAST(amount AS VARCHAR) AS a FROM orders ORDER BY 1")).toEqual([
      { order_id: "O1", status: "returned", a: "1.0000" },
      { order_id: "O3", status: "completed", a: "3.0000" },
    ]);
  });
});
