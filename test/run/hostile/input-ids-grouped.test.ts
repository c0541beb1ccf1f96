import { describe, expect, it } from "vitest";
import { ingested } from "./input-support.js";

/**
 * Grouped mapping tables (`group_by:`, `from: orders`) group by the id as it
 * is stored: an invoice or customer id with a zero-width space or a no-break
 * space at its end is the same group as the plain id, as it is the same
 * row in an ungrouped file (docs/ingest.md, ids).
 */
const LINES = [
  "Invoice,Customer,When,Amount",
  "1001,K1,2024-01-05,10",
  "1001\u200b,K1,2024-01-05,5", // the same invoice: one order of 15
  "1002,K1\u00a0,2024-02-05,7", // the same customer
  "1003,\u2060K1,2024-03-05,3",
  "1004,K2,2024-03-06,4",
  "",
].join("\n");

const MAPPING = [
  "tables:",
  "  orders:",
  "    file: lines.csv",
  "    group_by: Invoice",
  "    columns: { order_id: Invoice, customer_id: Customer }",
  "    compute:",
  '      ordered_at: min("When")',
  "      amount: sum(Amount)",
  "  customers:",
  "    from: orders",
].join("\n");

describe("hostile input: lookalike ids in grouped mapping tables", () => {
  it("input-ids-grouped: an invoice and a customer with invisible characters at their ends are one order and one customer", async () => {
    await ingested(
      { "lines.csv": LINES },
      async (l) => {
        expect(l.table("orders")).toMatchObject({ groups: 4, inserted: 4, rejected: 0 });
        expect(l.table("customers")).toMatchObject({ groups: 2, inserted: 2, rejected: 0 });
        expect(
          await l.rows("SELECT order_id, customer_id, CAST(amount AS VARCHAR) AS amount FROM orders ORDER BY order_id"),
        ).toEqual([
          { order_id: "1001", customer_id: "K1", amount: expect.stringMatching(/^15(\.0+)?$/) },
          { order_id: "1002", customer_id: "K1", amount: expect.stringMatching(/^7(\.0+)?$/) },
          { order_id: "1003", customer_id: "K1", amount: expect.stringMatching(/^3(\.0+)?$/) },
          { order_id: "1004", customer_id: "K2", amount: expect.stringMatching(/^4(\.0+)?$/) },
        ]);
        expect(await l.rows("SELECT customer_id FROM customers ORDER BY customer_id")).toEqual([
          { customer_id: "K1" },
          { customer_id: "K2" },
        ]);
      },
      MAPPING,
    );
  });
});
