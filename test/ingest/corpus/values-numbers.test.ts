import { describe, expect, it } from "vitest";
import { brief, CUSTOMERS, csv, keys, ORDERS_HEADER, rej, useStores } from "../support/corpus.js";

const AMOUNTS = "SELECT order_id, CAST(amount AS VARCHAR) AS amount FROM orders ORDER BY order_id";

/** Amounts, numbers and integers: what is accepted, what it is stored as, and why the rest is rejected. */
describe("corpus: numeric values", () => {
  const stores = useStores();

  it("thousands separators, scientific notation and extra decimals are stored exactly (4 decimals)", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(
        ORDERS_HEADER,
        'A01,C1,2024-01-01,"1,234.50"',
        'A02,C1,2024-01-01,"1,234,567.891"',
        "A03,C1,2024-01-01,1 234.5",
        "A04,C1,2024-01-01,1.5e3",
        "A05,C1,2024-01-01,1E-2",
        "A06,C1,2024-01-01,2.5E+2",
        "A07,C1,2024-01-01,12.34565",
        "A08,C1,2024-01-01,+7",
        "A09,C1,2024-01-01,.5",
        "A10,C1,2024-01-01,00012.5",
        "A11,C1,2024-01-01,99999999999999.9999",
        "A12,C1,2024-01-01,  42  ",
      ),
    });
    expect(l.rejects).toEqual([]);
    expect(l.table("orders")).toMatchObject({ read: 12, inserted: 12, decimalMark: "." });
    expect(await l.rows(AMOUNTS)).toEqual([
      { order_id: "A01", amount: "1234.5000" },
      { order_id: "A02", amount: "1234567.8910" },
      { order_id: "A03", amount: "1234.5000" },
      { order_id: "A04", amount: "1500.0000" },
      { order_id: "A05", amount: "0.0100" },
      { order_id: "A06", amount: "250.0000" },
      { order_id: "A07", amount: "12.3457" },
      { order_id: "A08", amount: "7.0000" },
      { order_id: "A09", amount: "0.5000" },
      { order_id: "A10", amount: "12.5000" },
      { order_id: "A11", amount: "99999999999999.9999" },
      { order_id: "A12", amount: "42.0000" },
    ]);
  });

  it("scientific notation below the 4th decimal rounds like the plain number (7e-6 is 0.0000)", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(ORDERS_HEADER, "O1,C1,2024-01-01,0.000007", "O2,C1,2024-01-01,7e-6", "O3,C1,2024-01-01,6.9e-6"),
    });
    expect(await l.rows(AMOUNTS)).toEqual([
      { order_id: "O1", amount: "0.0000" },
      { order_id: "O2", amount: "0.0000" },
      { order_id: "O3", amount: "0.0000" },
    ]);
  });

  it("NaN and Infinity in any spelling are NOT_FINITE", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(
        ORDERS_HEADER,
        "O1,C1,2024-01-01,NaN",
        "O2,C1,2024-01-01,Infinity",
        "O3,C1,2024-01-01,-inf",
        "O4,C1,2024-01-01, INF ",
        "O5,C1,2024-01-01,1",
        "O6,C1,2024-01-01,-NaN",
      ),
    });
    expect(brief(l.rejects)).toEqual([
      rej(2, 1, 4, "amount", "NOT_FINITE"),
      rej(3, 2, 4, "amount", "NOT_FINITE"),
      rej(4, 3, 4, "amount", "NOT_FINITE"),
      rej(5, 4, 4, "amount", "NOT_FINITE"),
      rej(7, 6, 4, "amount", "NOT_FINITE"),
    ]);
    expect(l.rejects[0]?.reason).toBe("amount is NaN or infinite, not an amount");
    expect(await keys(l.engine, "orders")).toEqual(["O5"]);
  });

  it("negative money is NEGATIVE (an order's amount, optional columns); non-numbers are NOT_A_NUMBER", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(
        "order_id,customer_id,ordered_at,amount,cost,discount,kind",
        "O1,C1,2024-01-01,-0.01,,,order",
        "O2,C1,2024-01-01,abc,,,",
        "O3,C1,2024-01-01,$5,,,",
        "O4,C1,2024-01-01,12.3.4,,,",
        "O5,C1,2024-01-01,0,-2,,",
        "O6,C1,2024-01-01,10,1,2,",
        "O7,C1,2024-01-01,10,,five,",
        "O8,C1,2024-01-01,0x10,,,",
      ),
    });
    expect(l.table("orders")).toMatchObject({ read: 8, inserted: 1, rejected: 7 });
    expect(brief(l.rejects)).toEqual([
      rej(2, 1, 4, "amount", "NEGATIVE"),
      rej(3, 2, 4, "amount", "NOT_A_NUMBER"),
      rej(4, 3, 4, "amount", "NOT_A_NUMBER"),
      rej(5, 4, 4, "amount", "NOT_A_NUMBER"),
      rej(6, 5, 5, "cost", "NEGATIVE"),
      rej(8, 7, 6, "discount", "NOT_A_NUMBER"),
      rej(9, 8, 4, "amount", "NOT_A_NUMBER"),
    ]);
    expect(l.rejects.map((r) => r.reason).slice(0, 2)).toEqual([
      "amount is negative on kind order: a refund needs kind credit (or an empty kind)",
      "amount is not a number",
    ]);
    expect(
      await l.rows(
        "SELECT order_id, CAST(amount AS VARCHAR) a, CAST(cost AS VARCHAR) c, CAST(discount AS VARCHAR) d FROM orders",
      ),
    ).toEqual([{ order_id: "O6", a: "10.0000", c: "1.0000", d: "2.0000" }]);
  });

  it("a number too large for DECIMAL(18,4) is OUT_OF_RANGE, not NOT_A_NUMBER", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(
        ORDERS_HEADER,
        "O1,C1,2024-01-01,1e30",
        "O2,C1,2024-01-01,100000000000000",
        "O3,C1,2024-01-01,1e13",
      ),
    });
    expect(brief(l.rejects)).toEqual([rej(2, 1, 4, "amount", "OUT_OF_RANGE"), rej(3, 2, 4, "amount", "OUT_OF_RANGE")]);
    expect(l.rejects[0]?.reason).toBe("amount is outside the allowed range of ±99,999,999,999,999");
    expect(await l.rows(AMOUNTS)).toEqual([{ order_id: "O3", amount: "10000000000000.0000" }]);
  });

  it("a decimal-comma file is detected from its values (1.234,50 and 12,5 and 1,5e2)", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(
        "order_id;customer_id;ordered_at;amount;cost",
        "O1;C1;2024-01-01;1.234,50;10,5",
        "O2;C1;2024-01-01;12,5;0,25",
        "O3;C1;2024-01-01;7;1,5e2",
        "O4;C1;2024-01-01;1 234 567,8;",
        "O5;C1;2024-01-01;-1,5;",
      ),
    });
    expect(l.table("orders").decimalMark).toBe(",");
    expect(brief(l.rejects)).toEqual([]);
    expect(
      await l.rows(
        "SELECT order_id, CAST(amount AS VARCHAR) AS amount, CAST(cost AS VARCHAR) AS cost FROM orders ORDER BY 1",
      ),
    ).toEqual([
      { order_id: "O1", amount: "1234.5000", cost: "10.5000" },
      { order_id: "O2", amount: "12.5000", cost: "0.2500" },
      { order_id: "O3", amount: "7.0000", cost: "150.0000" },
      { order_id: "O4", amount: "1234567.8000", cost: null },
      { order_id: "O5", amount: "-1.5000", cost: null }, // a credit note
    ]);
  });

  it("decimal: ',' in the mapping reads 1,234 as 1.234 where detection would read 1234", async () => {
    const files = {
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(ORDERS_HEADER, 'O1,C1,2024-01-01,"1,234"', 'O2,C1,2024-01-01,"1.234,5"', "O3,C1,2024-01-01,3"),
    };
    const forced = await stores.load(files, { mapping: { tables: { orders: { decimal: "," } } } });
    expect(forced.table("orders").decimalMark).toBe(",");
    expect(forced.rejects).toEqual([]);
    expect(await forced.rows(AMOUNTS)).toEqual([
      { order_id: "O1", amount: "1.2340" },
      { order_id: "O2", amount: "1234.5000" },
      { order_id: "O3", amount: "3.0000" },
    ]);
    // Detected: 1,234 is a grouped integer and votes for neither mark, so the file is dot-decimal.
    const detected = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(ORDERS_HEADER, 'O1,C1,2024-01-01,"1,234"', "O3,C1,2024-01-01,3"),
    });
    expect(detected.table("orders").decimalMark).toBe(".");
    expect(detected.rejects).toEqual([]);
    expect(await detected.rows(AMOUNTS)).toEqual([
      { order_id: "O1", amount: "1234.0000" },
      { order_id: "O3", amount: "3.0000" },
    ]);
  });

  it("detection is a vote: with as many comma as dot decimals the file stays dot-decimal", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(ORDERS_HEADER, 'O1,C1,2024-01-01,"12,50"', "O2,C1,2024-01-01,3.5"),
    });
    expect(l.table("orders").decimalMark).toBe(".");
    expect(brief(l.rejects)).toEqual([rej(2, 1, 4, "amount", "NOT_A_NUMBER")]);
    expect(await l.rows(AMOUNTS)).toEqual([{ order_id: "O2", amount: "3.5000" }]);
  });

  it("integers: 4.5 is NOT_AN_INTEGER, 9 and 0 are OUT_OF_RANGE 1..5, 4.0 is 4", async () => {
    const l = await stores.load({
      "customers.csv": csv(
        "customer_id,prospects_rating",
        "C1,4.5",
        "C2,9",
        "C3,0",
        "C4,4.0",
        "C5,five",
        "C6,",
        "C7,5",
      ),
      "orders.csv": csv(ORDERS_HEADER, "O1,C4,2024-01-01,1"),
    });
    expect(brief(l.rejects)).toEqual([
      rej(2, 1, 2, "prospects_rating", "NOT_AN_INTEGER"),
      rej(3, 2, 2, "prospects_rating", "OUT_OF_RANGE"),
      rej(4, 3, 2, "prospects_rating", "OUT_OF_RANGE"),
      rej(6, 5, 2, "prospects_rating", "NOT_A_NUMBER"),
    ]);
    expect(l.rejects.map((r) => r.reason)).toEqual([
      "prospects_rating must be a whole number",
      "prospects_rating is outside the allowed range 1..5",
      "prospects_rating is outside the allowed range 1..5",
      "prospects_rating is not a number",
    ]);
    expect(await l.rows("SELECT customer_id, prospects_rating FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C4", prospects_rating: "4" },
      { customer_id: "C6", prospects_rating: null },
      { customer_id: "C7", prospects_rating: "5" },
    ]);
  });

  it("a row with two bad fields gets two rejects lines but counts as one rejected row", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(
        ORDERS_HEADER,
        "O1,C1,2024-01-01,1",
        "O2,C1,2024-02-30,x",
        "O3,,2024-01-01,-inf",
        "O4,C2,2024-01-01,2",
      ),
    });
    expect(l.table("orders")).toMatchObject({ read: 4, inserted: 2, unchanged: 0, updated: 0, rejected: 2 });
    expect(brief(l.rejects)).toEqual([
      rej(3, 2, 3, "ordered_at", "IMPOSSIBLE_DATE"),
      rej(3, 2, 4, "amount", "NOT_A_NUMBER"),
      rej(4, 3, 2, "customer_id", "MISSING_VALUE"),
      rej(4, 3, 4, "amount", "NOT_FINITE"),
    ]);
    // Both lines of a row carry the same source record.
    expect(l.rejects[0]?.source_record).toBe(l.rejects[1]?.source_record);
    expect(l.rejects[0]?.source_record).toBe(
      '{"order_id":"O2","customer_id":"C1","ordered_at":"2024-02-30","amount":"x"}',
    );
    expect(l.table("orders").reasons).toEqual([
      {
        code: "IMPOSSIBLE_DATE",
        field: "ordered_at",
        reason: "ordered_at is not a real calendar date or time (e.g. 30 February)",
        count: 1,
      },
      { code: "MISSING_VALUE", field: "customer_id", reason: "customer_id is empty but required", count: 1 },
      { code: "NOT_A_NUMBER", field: "amount", reason: "amount is not a number", count: 1 },
      { code: "NOT_FINITE", field: "amount", reason: "amount is NaN or infinite, not an amount", count: 1 },
    ]);
    expect(await keys(l.engine, "orders")).toEqual(["O1", "O4"]);
  });
});
