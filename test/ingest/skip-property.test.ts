import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMapping } from "../../src/ingest/mapping.js";
import type { TableIngestResult } from "../../src/ingest/result.js";
import { memoryStore } from "../support/ingest-fixture.js";
import { CUSTOMERS } from "./support/corpus.js";
import { load } from "./support/ingest.js";

/**
 * Random order files through a mapping with two skip filters and a computed
 * amount: every row is skipped, rejected or accepted exactly once, and the
 * counts are those worked out from how each row was generated.
 */

interface RowSpec {
  readonly customer: boolean;
  readonly credit: boolean;
  readonly qty: "good" | "bad" | "empty";
  readonly dup: boolean;
  readonly pick: number;
  readonly n: number;
}

const rowSpec: fc.Arbitrary<RowSpec> = fc.record({
  customer: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
  credit: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
  qty: fc.constantFrom("good", "good", "good", "bad", "empty"),
  dup: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
  pick: fc.nat(),
  n: fc.integer({ min: -5, max: 50 }),
});

const MAPPING = parseMapping(
  [
    "tables:",
    "  orders:",
    "    skip:",
    "      no_customer: CustomerID is null",
    "      cancelled: InvoiceNo like 'C%'",
    "    columns: { order_id: InvoiceNo, customer_id: CustomerID, ordered_at: InvoiceDate }",
    "    compute: { amount: abs(Quantity) * UnitPrice }",
  ].join("\n"),
  "mapping.yaml",
);

interface Expected {
  readonly csv: string;
  readonly inserted: number;
  readonly rejected: number;
  readonly skips: { readonly no_customer: number; readonly cancelled: number };
  /** Record numbers (1-based) of the skipped rows. */
  readonly skippedRecords: readonly number[];
}

function build(rows: readonly RowSpec[]): Expected {
  const lines = ["InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice"];
  const ids: string[] = [];
  const good = new Set<string>();
  const skips = { no_customer: 0, cancelled: 0 };
  let rejected = 0;
  const skippedRecords: number[] = [];
  rows.forEach((r, i) => {
    let id = `${r.credit ? "C" : "A"}${i}`;
    if (r.dup && ids.length > 0) id = ids[r.pick % ids.length] ?? id;
    ids.push(id);
    const qty = r.qty === "good" ? String(r.n) : r.qty === "bad" ? "two" : "";
    lines.push([id, r.customer ? ["C1", "C2", "007"][r.pick % 3] : "", "2024-03-01", qty, "1.25"].join(","));
    if (!r.customer || id.startsWith("C")) skippedRecords.push(i + 1);
    if (!r.customer) skips.no_customer++;
    else if (id.startsWith("C")) skips.cancelled++;
    else if (r.qty !== "good" || good.has(id)) rejected++;
    else good.add(id);
  });
  return { csv: `${lines.join("\n")}\n`, inserted: good.size, rejected, skips, skippedRecords };
}

const balanced = (t: TableIngestResult) => t.read === t.inserted + t.unchanged + t.updated + t.rejected + t.skipped;

describe("property: skipped rows keep read = accepted + updated + rejected + skipped", () => {
  it("counts every row once, per filter, on a first and on a repeated ingest", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowSpec, { maxLength: 25 }), async (rows) => {
        const expected = build(rows);
        const engine = await memoryStore();
        try {
          const files = { "customers.csv": CUSTOMERS, "orders.csv": expected.csv };
          const first = await load(files, { engine, mapping: MAPPING });
          const orders = first.table("orders");
          expect(balanced(orders)).toBe(true);
          expect(orders).toMatchObject({
            read: rows.length,
            inserted: expected.inserted,
            rejected: expected.rejected,
            skipped: expected.skips.no_customer + expected.skips.cancelled,
          });
          expect(Object.fromEntries(orders.skips.map((s) => [s.name, s.count]))).toEqual(expected.skips);
          const rejectedRecords = first.rejects.filter((r) => r.table === "orders").map((r) => r.record);
          expect(rejectedRecords.filter((r) => expected.skippedRecords.includes(r ?? -1))).toEqual([]);
          const again = await load(files, { engine, mapping: MAPPING });
          const second = again.table("orders");
          expect(balanced(second)).toBe(true);
          expect([second.inserted, second.unchanged, second.skipped]).toEqual([0, orders.inserted, orders.skipped]);
        } finally {
          await engine.close();
        }
      }),
      // Sized by count, never by time.
      { numRuns: 20 },
    );
  });
});
