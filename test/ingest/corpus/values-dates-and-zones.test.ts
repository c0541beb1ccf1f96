import { describe, expect, it } from "vitest";
import {
  brief,
  CUSTOMERS,
  csv,
  EMPTY_STORE,
  errorOf,
  ONE_ORDER,
  ORDERS_HEADER,
  rej,
  storeCounts,
  useStores,
} from "../support/corpus.js";

const TIMES = "SELECT order_id, CAST(ordered_at AS VARCHAR) AS t FROM orders ORDER BY order_id";

/** Timestamps: formats, calendar validity, range, and conversion to UTC. */
describe("corpus: dates and time zones", () => {
  const stores = useStores();

  it("unreadable dates are INVALID_DATE, ISO-looking non-dates are IMPOSSIBLE_DATE", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(
        ORDERS_HEADER,
        "O01,C1,2023-02-30,1",
        "O02,C1,2023-13-01,1",
        "O03,C1,yesterday,1",
        "O04,C1,01/02/2024,1",
        "O05,C1,2024-01-01T25:00:00,1",
        "O06,C1,20240101,1",
        "O07,C1,2024-02-29,1",
        "O08,C1,2024-1-5,1",
        "O09,C1,2023-02-29,1",
        "O10,C1,2024-06-31T10:00:00+02:00,1",
      ),
    });
    expect(brief(l.rejects)).toEqual([
      rej(2, 1, 3, "ordered_at", "IMPOSSIBLE_DATE"),
      rej(3, 2, 3, "ordered_at", "IMPOSSIBLE_DATE"),
      rej(4, 3, 3, "ordered_at", "INVALID_DATE"),
      rej(5, 4, 3, "ordered_at", "INVALID_DATE"),
      rej(6, 5, 3, "ordered_at", "IMPOSSIBLE_DATE"),
      rej(7, 6, 3, "ordered_at", "INVALID_DATE"),
      rej(10, 9, 3, "ordered_at", "IMPOSSIBLE_DATE"),
      rej(11, 10, 3, "ordered_at", "IMPOSSIBLE_DATE"),
    ]);
    expect(l.rejects[0]?.reason).toBe("ordered_at is not a real calendar date or time (e.g. 30 February)");
    expect(l.rejects[2]?.reason).toBe(
      "ordered_at is not a date in an accepted format (ISO 8601, e.g. 2025-03-31 or 2025-03-31T14:05:00+01:00)",
    );
    expect(await l.rows(TIMES)).toEqual([
      { order_id: "O07", t: "2024-02-29 00:00:00" },
      { order_id: "O08", t: "2024-01-05 00:00:00" },
    ]);
  });

  it("dates before 1900 or from 2200 are DATE_OUT_OF_RANGE; the boundaries themselves load", async () => {
    const l = await stores.load({
      "customers.csv": csv(
        "customer_id,created_at",
        "C1,1899-12-31T23:59:59",
        "C2,1900-01-01",
        "C3,2199-12-31T23:59:59",
        "C4,2200-01-01",
        "C5,0001-01-01",
      ),
      "orders.csv": csv(ORDERS_HEADER, "O1,C2,2024-01-01,1"),
    });
    expect(brief(l.rejects)).toEqual([
      rej(2, 1, 2, "created_at", "DATE_OUT_OF_RANGE"),
      rej(5, 4, 2, "created_at", "DATE_OUT_OF_RANGE"),
      rej(6, 5, 2, "created_at", "DATE_OUT_OF_RANGE"),
    ]);
    expect(l.rejects[0]?.reason).toBe("created_at is before 1900 or after 2199");
    expect(await l.rows("SELECT customer_id, CAST(created_at AS VARCHAR) AS t FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C2", t: "1900-01-01 00:00:00" },
      { customer_id: "C3", t: "2199-12-31 23:59:59" },
    ]);
  });

  it("values with an offset are converted to UTC; values without one are UTC by default", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": csv(
        ORDERS_HEADER,
        "O1,C1,2024-01-15T10:00:00+02:00,1",
        "O2,C1,2024-01-15T10:00:00Z,1",
        "O3,C1,2024-01-15 10:00:00,1",
        "O4,C1,2024-07-15T10:00:00-05:30,1",
        "O5,C1,2024-01-15,1",
        "O6,C1,2024-12-31T23:30:00-01:00,1",
      ),
    });
    expect(l.result.timeZone).toBe("UTC");
    expect(l.rejects).toEqual([]);
    expect(await l.rows(TIMES)).toEqual([
      { order_id: "O1", t: "2024-01-15 08:00:00" },
      { order_id: "O2", t: "2024-01-15 10:00:00" },
      { order_id: "O3", t: "2024-01-15 10:00:00" },
      { order_id: "O4", t: "2024-07-15 15:30:00" },
      { order_id: "O5", t: "2024-01-15 00:00:00" },
      { order_id: "O6", t: "2025-01-01 00:30:00" },
    ]);
  });

  it("with timeZone Europe/Budapest, values without an offset are local time (winter +1, summer +2)", async () => {
    const l = await stores.load(
      {
        "customers.csv": CUSTOMERS,
        "orders.csv": csv(
          ORDERS_HEADER,
          "O1,C1,2024-01-15 10:00:00,1", // winter, CET
          "O2,C1,2024-07-15 10:00:00,1", // summer, CEST
          "O3,C1,2024-01-15,1", // local midnight
          "O4,C1,2024-07-15T10:00:00+02:00,1", // explicit offset wins
          "O5,C1,2024-07-15T10:00:00Z,1",
          "O6,C1,2024-10-27 03:30:00,1", // just after the switch back to CET
        ),
      },
      { timeZone: "Europe/Budapest" },
    );
    expect(l.result.timeZone).toBe("Europe/Budapest");
    expect(await l.rows(TIMES)).toEqual([
      { order_id: "O1", t: "2024-01-15 09:00:00" },
      { order_id: "O2", t: "2024-07-15 08:00:00" },
      { order_id: "O3", t: "2024-01-14 23:00:00" },
      { order_id: "O4", t: "2024-07-15 08:00:00" },
      { order_id: "O5", t: "2024-07-15 10:00:00" },
      { order_id: "O6", t: "2024-10-27 02:30:00" },
    ]);
    // The session zone does not leak: the store's timestamps read back as UTC afterwards.
    expect(await l.rows("SELECT current_setting('TimeZone') AS z")).toEqual([{ z: "UTC" }]);
  });

  it("the mapping's time_zone applies, and the timeZone option overrides it", async () => {
    const files = { "customers.csv": CUSTOMERS, "orders.csv": csv(ORDERS_HEADER, "O1,C1,2024-07-01 12:00,1") };
    const mapped = await stores.load(files, { mapping: { time_zone: "America/New_York" } });
    expect(mapped.result.timeZone).toBe("America/New_York");
    expect(await mapped.rows(TIMES)).toEqual([{ order_id: "O1", t: "2024-07-01 16:00:00" }]);
    const overridden = await stores.load(files, { mapping: { time_zone: "America/New_York" }, timeZone: "Asia/Tokyo" });
    expect(overridden.result.timeZone).toBe("Asia/Tokyo");
    expect(await overridden.rows(TIMES)).toEqual([{ order_id: "O1", t: "2024-07-01 03:00:00" }]);
  });

  it("an unknown time zone is UNKNOWN_TIME_ZONE with a suggestion, and nothing is written", async () => {
    const engine = await stores.store();
    const error = await errorOf(
      stores.load({ "customers.csv": CUSTOMERS, "orders.csv": ONE_ORDER }, { engine, timeZone: "Europe/Budapset" }),
    );
    expect([error.code, error.message, error.hint]).toEqual([
      "UNKNOWN_TIME_ZONE",
      "unknown time zone Europe/Budapset",
      "did you mean Europe/Budapest?",
    ]);
    const fromMapping = await errorOf(
      stores.load(
        { "customers.csv": CUSTOMERS, "orders.csv": ONE_ORDER },
        { engine, mapping: { time_zone: "Mars/Olympus_Mons" } },
      ),
    );
    expect([fromMapping.code, fromMapping.message, fromMapping.hint]).toEqual([
      "UNKNOWN_TIME_ZONE",
      "unknown time zone Mars/Olympus_Mons",
      "use an IANA name such as Europe/Budapest",
    ]);
    expect(await storeCounts(engine)).toEqual(EMPTY_STORE);
  });

  it("an invoice due before it was issued is DUE_BEFORE_ISSUED; the comparison is in UTC", async () => {
    const l = await stores.load({
      "customers.csv": CUSTOMERS,
      "orders.csv": ONE_ORDER,
      "invoices.csv": csv(
        "invoice_id,customer_id,issued_at,due_at,paid_at,amount",
        "V1,C1,2024-01-10,2024-01-09,,5",
        "V2,C1,2024-01-10,2024-01-10,,5",
        "V3,C2,2024-01-10,2024-02-10,2024-02-01,5",
        // 00:30 at +02:00 is 22:30 UTC the day before, so 23:00Z is after it.
        "V4,C2,2024-01-10T00:30:00+02:00,2024-01-09T23:00:00Z,,5",
        "V5,C2,2024-01-10T12:00:00Z,2024-01-10T13:00:00+02:00,,5",
        "V6,C2,2024-01-10,,,5",
      ),
    });
    expect(l.table("invoices")).toMatchObject({ read: 6, inserted: 3, rejected: 3 });
    expect(brief(l.rejects)).toEqual([
      rej(2, 1, 4, "due_at", "DUE_BEFORE_ISSUED"),
      rej(6, 5, 4, "due_at", "DUE_BEFORE_ISSUED"),
      rej(7, 6, 4, "due_at", "MISSING_VALUE"),
    ]);
    expect(l.rejects[0]?.reason).toBe("due_at is before issued_at");
    expect(
      await l.rows(
        "SELECT invoice_id, CAST(issued_at AS VARCHAR) AS i, CAST(due_at AS VARCHAR) AS d, CAST(paid_at AS VARCHAR) AS p FROM invoices ORDER BY 1",
      ),
    ).toEqual([
      { invoice_id: "V2", i: "2024-01-10 00:00:00", d: "2024-01-10 00:00:00", p: null },
      { invoice_id: "V3", i: "2024-01-10 00:00:00", d: "2024-02-10 00:00:00", p: "2024-02-01 00:00:00" },
      { invoice_id: "V4", i: "2024-01-09 22:30:00", d: "2024-01-09 23:00:00", p: null },
    ]);
  });
});
