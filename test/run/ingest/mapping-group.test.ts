import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { parseMapping } from "../../../src/ingest/mapping.js";
import { raw, records } from "../../../src/sql/index.js";
import { writeInput } from "../../support/ingest-fixture.js";
import { memoryStore } from "../support.js";

/**
 * `group_by:` and `from: orders` on whichever engine the project runs: one
 * line file gives orders, customers and products, with every value below
 * worked out by hand.
 */

const LINES = [
  "Invoice,Item,Name,Qty,When,Price,Customer,Country",
  "1001,P1,Mug,2,12/9/2010 10:00,1.50,K1,France", // line 2
  "1001,P2,Plate,1,12/9/2010 10:00,4,K1,France", // line 3: 1001 = 2 × 1.50 + 4 = 7
  "1002,P1,Mug ,1,12/10/2010 9:00,1.50,K1,Spain", // line 4: K1 first order 12/9 (not 12/10, which sorts first as text)
  "1003,P1,Cup,3,12/11/2010 9:00,1.25,K2,Spain", // line 5
  "1003,P3,,x,12/11/2010 9:00,2,K2,Spain", // line 6: Qty is not a number: order 1003 is rejected at this line
  "1004,P3,Bowl,1,12/12/2010 9:00,2,,Spain", // line 7: skipped (no customer)
  "1005,P3,Bowl,1,12/12/2010 9:00,2,K3,Italy", // line 8
  "1005,P2,Plate,1,not a date,4,K3,Italy", // line 9: order 1005 is rejected: its date cannot be read
  "1006,P2,Plate,2,12/13/2010 9:00,4,K1,Spain", // line 10: K1 region: France 2, Spain 2 → France (first in file)
  "",
].join("\n");

const MAPPING = parseMapping(
  [
    "date_format: '%m/%d/%Y %H:%M'",
    "tables:",
    "  orders:",
    "    file: lines.csv",
    "    group_by: Invoice",
    "    skip: { no_customer: Customer is null }",
    "    columns: { order_id: Invoice, customer_id: Customer }",
    "    compute:",
    '      ordered_at: min("When")', // a keyword as a column name is quoted
    "      amount: sum(Qty * Price)",
    "      channel: last(Item)",
    "  customers:",
    "    from: orders",
    "    compute: { region: most_frequent(Country) }",
    "  products:",
    "    file: lines.csv",
    "    group_by: Item",
    "    columns: { product_id: Item }",
    "    compute: { name: most_frequent(Name), category: first(Country) }",
  ].join("\n"),
  "mapping.yaml",
);

describe("mapping group_by and from: orders on every engine", () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
  });

  it("builds orders, customers and products from one line file", async () => {
    const engine = await memoryStore();
    engines.push(engine);
    const dir = await writeInput({ "lines.csv": LINES });
    const rejectsPath = join(dir, "rejects.csv");
    const result = await ingestDirectory(engine, { dir, mapping: MAPPING, rejectsPath });
    const table = (name: string) => result.tables.find((t) => t.table === name);
    // Orders: 5 groups (1001, 1002, 1003, 1005, 1006) + 1 skipped row = read 6.
    expect(table("orders")).toMatchObject({ read: 6, groups: 5, sourceRows: 9, inserted: 3, rejected: 2, skipped: 1 });
    // K3's rows include the unreadable date of line 9: its first order is unknown, so K3 is rejected too.
    expect(table("customers")).toMatchObject({ read: 4, groups: 3, inserted: 2, rejected: 1, skipped: 1 });
    expect(table("products")).toMatchObject({ read: 3, groups: 3, inserted: 3, rejected: 0, skipped: 0 });
    for (const t of result.tables) {
      expect(t.read, t.table).toBe(t.inserted + t.unchanged + t.updated + t.rejected + t.skipped);
    }
    const q = (text: string) => engine.query(records(raw(text)));
    expect(
      await q(
        "SELECT order_id, customer_id, CAST(ordered_at AS VARCHAR) AS at, CAST(amount AS VARCHAR) AS amount, channel FROM orders ORDER BY 1",
      ),
    ).toEqual([
      { order_id: "1001", customer_id: "K1", at: "2010-12-09 10:00:00", amount: "7.0000", channel: "P2" },
      { order_id: "1002", customer_id: "K1", at: "2010-12-10 09:00:00", amount: "1.5000", channel: "P1" },
      { order_id: "1006", customer_id: "K1", at: "2010-12-13 09:00:00", amount: "8.0000", channel: "P2" },
    ]);
    expect(await q("SELECT customer_id, CAST(created_at AS VARCHAR) AS at, region FROM customers ORDER BY 1")).toEqual([
      { customer_id: "K1", at: "2010-12-09 10:00:00", region: "France" },
      { customer_id: "K2", at: "2010-12-11 09:00:00", region: "Spain" },
    ]);
    expect(await q("SELECT product_id, name, category FROM products ORDER BY 1")).toEqual([
      { product_id: "P1", name: "Mug", category: "France" },
      { product_id: "P2", name: "Plate", category: "France" },
      { product_id: "P3", name: "Bowl", category: "Spain" },
    ]);
    // Each rejected group names the line that broke it, the table and the column.
    const rejects = (await readFile(rejectsPath, "utf8")).split("\n").filter((l) => /^(orders|customers),/.test(l));
    expect(rejects.map((l) => l.split(",").slice(0, 7).join(","))).toEqual([
      "customers,lines.csv,9,8,5,created_at,INVALID_DATE",
      "orders,lines.csv,6,5,4,amount,NOT_A_NUMBER",
      "orders,lines.csv,9,8,5,ordered_at,INVALID_DATE",
    ]);
    // Ingesting the same file again changes nothing.
    const again = await ingestDirectory(engine, { dir, mapping: MAPPING, rejectsPath });
    for (const t of again.tables) {
      const before = table(t.table);
      expect([t.table, t.inserted, t.updated, t.unchanged]).toEqual([t.table, 0, 0, before?.inserted]);
    }
  });

  it("updates a derived customer only where a derived value differs, and never to a later created_at", async () => {
    const engine = await memoryStore();
    engines.push(engine);
    const first = await writeInput({ "lines.csv": LINES });
    await ingestDirectory(engine, { dir: first, mapping: MAPPING, rejectsPath: join(first, "r.csv") });
    await engine.exec(raw("UPDATE customers SET name = 'Kay' WHERE customer_id = 'K1'"));
    const later = [
      "Invoice,Item,Name,Qty,When,Price,Customer,Country",
      "2001,P1,Mug,1,1/5/2011 9:00,1.50,K1,Spain",
      "2002,P1,Mug,1,1/6/2011 9:00,1.50,K1,Spain",
      "2003,P1,Mug,1,1/6/2011 9:00,1.50,K2,Spain",
      "",
    ].join("\n");
    const second = await writeInput({ "lines.csv": later });
    const result = await ingestDirectory(engine, { dir: second, mapping: MAPPING, rejectsPath: join(second, "r.csv") });
    // K1's region changes to Spain (updated); K2 derives the same region and keeps its earlier created_at (unchanged).
    expect(result.tables.find((t) => t.table === "customers")).toMatchObject({ read: 2, updated: 1, unchanged: 1 });
    expect(
      await engine.query(
        records(raw("SELECT customer_id, name, CAST(created_at AS VARCHAR) AS at, region FROM customers ORDER BY 1")),
      ),
    ).toEqual([
      { customer_id: "K1", name: "Kay", at: "2010-12-09 10:00:00", region: "Spain" },
      { customer_id: "K2", name: null, at: "2010-12-11 09:00:00", region: "Spain" },
    ]);
  });
});
