import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { parseMapping } from "../../../src/ingest/mapping.js";
import { raw, records } from "../../../src/sql/index.js";
import { writeInput } from "../../support/ingest-fixture.js";
import { memoryStore } from "../support.js";

/**
 * `compute:` and `skip:` on whichever engine the project runs (DuckDB, or
 * PostgreSQL in the `postgres` project): the same counts per filter, the
 * same rejects and the same stored rows, all worked out by hand.
 */

const CUSTOMERS = "customer_id,name\nC1,Ann\nC2,Bob\n";
const ORDERS = [
  "Invoice No,Customer,Date,Qty,Unit Price",
  "A1,C1,12/1/2010 8:26,2,3.5", // 7.00, completed
  "A2,C1,12/1/2010 9:00,x,3.5", // reject: Qty is not a number
  "C3,C2,12/2/2010 10:00,-1,2", // skipped: cancelled
  "A4,,12/3/2010 11:00,1,2", // skipped: no_customer
  "A5,C2,12/4/2010 12:00,3,0.335", // 1.005 → 1.0050
  "A_6,C2,12/5/2010 13:00,1,10", // returned: like 'A\_%' matches the underscore only
  "A76,C2,12/5/2010 14:00,1,10", // completed: a bare _ would have matched it
  "",
].join("\n");

const MAPPING = parseMapping(
  [
    "date_format: '%m/%d/%Y %H:%M'",
    "tables:",
    "  orders:",
    "    skip:",
    "      no_customer: Customer is null",
    `      cancelled: "starts_with(\\"Invoice No\\", 'C')"`,
    "    columns: { order_id: Invoice No, customer_id: Customer, ordered_at: Date }",
    "    compute:",
    '      amount: Qty * "Unit Price"',
    `      status: "case when \\"Invoice No\\" like 'A\\\\_%' then 'returned' else 'completed' end"`,
  ].join("\n"),
  "mapping.yaml",
);

describe("mapping compute and skip on every engine", () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
  });

  it("gives the same counts per filter, rejects and rows", async () => {
    const engine = await memoryStore();
    engines.push(engine);
    const dir = await writeInput({ "customers.csv": CUSTOMERS, "orders.csv": ORDERS });
    const result = await ingestDirectory(engine, { dir, mapping: MAPPING, rejectsPath: join(dir, "rejects.csv") });
    const orders = result.tables.find((t) => t.table === "orders");
    expect(orders).toMatchObject({ read: 7, inserted: 4, updated: 0, rejected: 1, skipped: 2 });
    expect(orders?.skips).toEqual([
      { name: "no_customer", count: 1 },
      { name: "cancelled", count: 1 },
    ]);
    expect(orders?.reasons).toEqual([
      { code: "NOT_A_NUMBER", field: "amount", reason: "Qty (read for amount) is not a number", count: 1 },
    ]);
    const rows = await engine.query(
      records(
        raw(
          "SELECT order_id, CAST(amount AS VARCHAR) AS amount, status, CAST(ordered_at AS VARCHAR) AS at FROM orders ORDER BY order_id",
        ),
      ),
    );
    expect(rows).toEqual([
      { order_id: "A1", amount: "7.0000", status: "completed", at: "2010-12-01 08:26:00" },
      { order_id: "A5", amount: "1.0050", status: "completed", at: "2010-12-04 12:00:00" },
      { order_id: "A76", amount: "10.0000", status: "completed", at: "2010-12-05 14:00:00" },
      { order_id: "A_6", amount: "10.0000", status: "returned", at: "2010-12-05 13:00:00" },
    ]);
  });
});
