import { describe, expect, it } from "vitest";
import { csv, ORDERS_HEADER } from "../../ingest/support/corpus.js";
import { CUSTOMERS_CSV } from "../../support/ingest-fixture.js";
import { ingested } from "./input-support.js";

/** [ordered_at as written, stored UTC time or the reject code], checked by hand. */
const CASES: ReadonlyArray<readonly [string, string]> = [
  ["2024-01-05T10:00:00+18:00", "2024-01-04 16:00:00"],
  ["2024-01-05T10:00:00-18:00", "2024-01-06 04:00:00"],
  ["2024-01-05T10:00:00+1800", "2024-01-04 16:00:00"],
  ["2024-01-05T10:00:00+18", "2024-01-04 16:00:00"],
  ["2024-01-05T10:00:00+16:00", "2024-01-04 18:00:00"],
  ["2024-01-05T10:00:00-17:30", "2024-01-06 03:30:00"],
  ["2024-01-05T10:00:00+15:59", "2024-01-04 18:01:00"],
  ["2024-01-05T10:00:00Z", "2024-01-05 10:00:00"],
  ["2024-01-05T10:00:00+00:00", "2024-01-05 10:00:00"],
  ["2024-01-05T10:00:00-00:00", "2024-01-05 10:00:00"],
  ["2024-01-05 10:00:00.25+0530", "2024-01-05 04:30:00.25"],
  ["2024-01-05T10:00:00+18:01", "IMPOSSIBLE_DATE"],
  ["2024-01-05T10:00:00-18:01", "IMPOSSIBLE_DATE"],
  ["2024-01-05T10:00:00+99:00", "IMPOSSIBLE_DATE"],
  ["2024-01-05T10:00:00+19", "IMPOSSIBLE_DATE"],
  ["2024-01-05T10:00:00.5+2400", "IMPOSSIBLE_DATE"],
  ["2024-01-05T10:00:00+05:60", "IMPOSSIBLE_DATE"],
  ["2024-01-05T10:00:00+05:30:15", "INVALID_DATE"],
  ["2024-01-05T10:00:00+02:00:00", "INVALID_DATE"],
];

describe("hostile input: UTC offsets outside ±18:00 are rejected alike on both engines", () => {
  it("input-offset-boundaries: ±18:00 is the last offset read; +18:01, +99:00, minutes ≥ 60 and offset seconds are rejects", async () => {
    const rows = CASES.map(([at], i) => `O${String(i + 1).padStart(2, "0")},C1,${at},1`);
    await ingested({ "customers.csv": CUSTOMERS_CSV, "orders.csv": csv(ORDERS_HEADER, ...rows) }, async (l) => {
      const stored = await l.rows("SELECT order_id, CAST(ordered_at AS VARCHAR) AS t FROM orders ORDER BY order_id");
      const outcome = new Map<string, string>(stored.map((r) => [String(r["order_id"]), String(r["t"])]));
      for (const r of l.rejects) outcome.set(`O${String(r.record ?? 0).padStart(2, "0")}`, `${r.code} ${r.field}`);
      const expected = CASES.map(([at, want], i) => [
        at,
        `O${String(i + 1).padStart(2, "0")}`,
        /^[A-Z_]+$/.test(want) ? `${want} ordered_at` : want,
      ]);
      expect(
        CASES.map(([at], i) => [
          at,
          `O${String(i + 1).padStart(2, "0")}`,
          outcome.get(`O${String(i + 1).padStart(2, "0")}`),
        ]),
      ).toEqual(expected);
    });
  });

  it("input-offset-format-z: with a mapping format using %z, +99:00 and +18:01 are rejected too; +18:00 is read", async () => {
    const rows = [
      "O1,C1,2024-01-05 10:00:00+18:00,1",
      "O2,C1,2024-01-05 10:00:00+99:00,1",
      "O3,C1,2024-01-05 10:00:00+1801,1",
    ];
    const mapping = "version: 1\ndate_format: '%Y-%m-%d %H:%M:%S%z'\n";
    await ingested(
      { "customers.csv": CUSTOMERS_CSV, "orders.csv": csv(ORDERS_HEADER, ...rows) },
      async (l) => {
        expect(await l.rows("SELECT order_id, CAST(ordered_at AS VARCHAR) AS t FROM orders")).toEqual([
          { order_id: "O1", t: "2024-01-04 16:00:00" },
        ]);
        expect(l.rejects.map((r) => [r.record, r.field, r.code])).toEqual([
          [2, "ordered_at", "INVALID_DATE"],
          [3, "ordered_at", "INVALID_DATE"],
        ]);
      },
      mapping,
    );
  });
});
