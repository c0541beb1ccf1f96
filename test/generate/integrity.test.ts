import { describe, expect, it } from "vitest";
import { TABLES, type TableName, tableDef } from "../../src/model/index.js";
import { ident, join, sql } from "../../src/sql/index.js";
import { AS_OF_TEXT, fileColumns, useGeneratedDataset } from "./dataset.js";

/** Columns the generator must always write, even though the model marks them optional. */
const KEPT = {
  customers: ["kind", "created_at", "owner_rep_id", "prospects_rating"],
  orders: ["cost", "discount", "status", "channel"],
} as const;

const TIMESTAMP = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$";
const MONEY = "^\\d+\\.\\d{2}$";

describe("generated files: shape and referential integrity", () => {
  const dataset = useGeneratedDataset("integrity", { customers: 3000, seed: 11 });

  it("writes one file per model table and reports the rows it wrote", async () => {
    expect(dataset.current.summary.files.map((f) => f.split("/").pop())).toEqual(TABLES.map((t) => `${t.name}.csv`));
    for (const table of TABLES) {
      const n = await dataset.current.scalar(sql`SELECT count(*) FROM ${ident(table.name)}`);
      expect(n, table.name).toBe(dataset.current.summary.rows[table.name]);
      expect(n, table.name).toBeGreaterThan(0);
    }
    expect(dataset.current.summary.rows.customers).toBe(3000);
  });

  it("writes model columns in model order and keeps the columns tiering needs", async () => {
    for (const table of TABLES) {
      const columns = await fileColumns(dataset.current, table.name);
      const model = table.columns.map((c) => c.name);
      expect(
        columns.every((c) => model.includes(c)),
        table.name,
      ).toBe(true);
      expect(columns, table.name).toEqual(model.filter((c) => columns.includes(c)));
      for (const c of table.columns.filter((c) => c.required)) expect(columns, table.name).toContain(c.name);
    }
    for (const [table, kept] of Object.entries(KEPT)) {
      const columns = await fileColumns(dataset.current, table as keyof typeof KEPT);
      for (const c of kept) expect(columns, table).toContain(c);
    }
  });

  it("keys are unique and customer ids are zero-padded text", async () => {
    for (const table of TABLES) {
      const keyExpr = join(
        table.key.map((k) => ident(k)),
        " || '|' || ",
      );
      const dupes = await dataset.current.scalar(
        sql`SELECT count(*) - count(DISTINCT ${keyExpr}) FROM ${ident(table.name)}`,
      );
      expect(dupes, table.name).toBe(0);
    }
    const [ids] = await dataset.current.rows<{ first: string; bad: number }>(
      sql`SELECT min(customer_id) AS first, count(*) FILTER (WHERE NOT regexp_full_match(customer_id, 'C\\d{7}')) AS bad FROM customers`,
    );
    expect(ids?.first).toBe("C0000001");
    expect(ids?.bad).toBe(0);
  });

  it("every foreign key resolves", async () => {
    const orphans = {
      orders: sql`SELECT count(*) FROM orders WHERE customer_id NOT IN (SELECT customer_id FROM customers)`,
      lineOrders: sql`SELECT count(*) FROM order_lines WHERE order_id NOT IN (SELECT order_id FROM orders)`,
      lineProducts: sql`SELECT count(*) FROM order_lines WHERE product_id NOT IN (SELECT product_id FROM products)`,
      owners: sql`SELECT count(*) FROM customers WHERE owner_rep_id IS NOT NULL AND owner_rep_id NOT IN (SELECT rep_id FROM reps)`,
      invoices: sql`SELECT count(*) FROM invoices WHERE customer_id NOT IN (SELECT customer_id FROM customers)`,
      interactions: sql`SELECT count(*) FROM interactions WHERE customer_id NOT IN (SELECT customer_id FROM customers)`,
      leads: sql`SELECT count(*) FROM leads WHERE customer_id IS NOT NULL AND customer_id NOT IN (SELECT customer_id FROM customers)`,
    };
    for (const [name, query] of Object.entries(orphans)) expect(await dataset.current.scalar(query), name).toBe(0);
    expect(await dataset.current.scalar(sql`SELECT count(*) FROM leads WHERE customer_id IS NULL`)).toBeGreaterThan(0);
    expect(await dataset.current.scalar(sql`SELECT count(*) FROM leads WHERE customer_id IS NOT NULL`)).toBeGreaterThan(
      0,
    );
  });

  it("enumerated columns only hold values the model allows", async () => {
    const checks: [TableName, string][] = [
      ["reps", "level"],
      ["reps", "grade"],
      ["customers", "kind"],
      ["orders", "status"],
      ["interactions", "kind"],
      ["interactions", "outcome"],
      ["leads", "need"],
      ["leads", "status"],
    ];
    for (const [table, column] of checks) {
      const allowed = tableDef(table as TableName).columns.find((c) => c.name === column)?.enumValues ?? [];
      const values = await dataset.current.rows<{ v: string }>(
        sql`SELECT DISTINCT ${ident(column)} AS v FROM ${ident(table)} WHERE ${ident(column)} IS NOT NULL`,
      );
      for (const { v } of values) expect(allowed, `${table}.${column}`).toContain(v);
    }
  });

  it("writes instants as ISO 8601 UTC text and money with two decimals", async () => {
    const instants: [string, string][] = [
      ["customers", "created_at"],
      ["orders", "ordered_at"],
      ["products", "launched_at"],
      ["invoices", "issued_at"],
      ["invoices", "due_at"],
      ["invoices", "paid_at"],
      ["interactions", "at"],
      ["leads", "created_at"],
      ["leads", "expected_close_at"],
    ];
    for (const [table, column] of instants) {
      const bad = await dataset.current.scalar(
        sql`SELECT count(*) FROM ${ident(table)} WHERE NOT regexp_full_match(${ident(column)}, ${TIMESTAMP})`,
      );
      expect(bad, `${table}.${column}`).toBe(0);
    }
    const money: [string, string][] = [
      ["orders", "amount"],
      ["orders", "cost"],
      ["orders", "discount"],
      ["order_lines", "amount"],
      ["invoices", "amount"],
      ["interactions", "value"],
      ["leads", "amount"],
    ];
    for (const [table, column] of money) {
      const bad = await dataset.current.scalar(
        sql`SELECT count(*) FROM ${ident(table)} WHERE NOT regexp_full_match(${ident(column)}, ${MONEY})`,
      );
      expect(bad, `${table}.${column}`).toBe(0);
    }
  });

  it("dates nothing that happened on or after asOf", async () => {
    const events: [string, string][] = [
      ["customers", "created_at"],
      ["orders", "ordered_at"],
      ["products", "launched_at"],
      ["invoices", "issued_at"],
      ["invoices", "paid_at"],
      ["interactions", "at"],
      ["leads", "created_at"],
    ];
    for (const [table, column] of events) {
      const late = await dataset.current.scalar(
        sql`SELECT count(*) FROM ${ident(table)} WHERE ${ident(column)} >= ${AS_OF_TEXT}`,
      );
      expect(late, `${table}.${column}`).toBe(0);
    }
    // Planned dates may lie ahead: invoices fall due, leads are expected to close.
    expect(
      await dataset.current.scalar(sql`SELECT count(*) FROM leads WHERE expected_close_at >= ${AS_OF_TEXT}`),
    ).toBeGreaterThan(0);
  });

  it("keeps orders, lines, products and invoices consistent with each other", async () => {
    const checks = {
      lineSum: sql`SELECT count(*) FROM orders AS o JOIN (
          SELECT order_id, sum(CAST(amount AS DECIMAL(18,2))) AS total FROM order_lines GROUP BY order_id) AS l USING (order_id)
        WHERE l.total <> CAST(o.amount AS DECIMAL(18,2))`,
      orderWithoutLines: sql`SELECT count(*) FROM orders WHERE order_id NOT IN (SELECT order_id FROM order_lines)`,
      tooManyLines: sql`SELECT count(*) FROM (SELECT order_id, count(*) AS n FROM order_lines GROUP BY order_id) WHERE n > 3`,
      unlaunched: sql`SELECT count(*) FROM order_lines AS l JOIN orders AS o USING (order_id) JOIN products AS p USING (product_id)
        WHERE p.launched_at >= o.ordered_at`,
      wrongCategory: sql`SELECT count(*) FROM order_lines AS l JOIN products AS p USING (product_id) WHERE l.category <> p.category`,
      costRange: sql`SELECT count(*) FROM orders WHERE CAST(cost AS DOUBLE) > 0.8 * CAST(amount AS DOUBLE) + 0.01
        OR CAST(cost AS DOUBLE) < 0.5 * CAST(amount AS DOUBLE) - 0.01`,
      dueAfter30: sql`SELECT count(*) FROM invoices
        WHERE CAST(due_at AS TIMESTAMP) - CAST(issued_at AS TIMESTAMP) <> INTERVAL 30 DAY`,
      b2cInvoices: sql`SELECT count(*) FROM invoices JOIN customers USING (customer_id) WHERE kind <> 'b2b'`,
      ordersBeforeSignup: sql`SELECT count(*) FROM orders JOIN customers AS c USING (customer_id) WHERE ordered_at < c.created_at`,
    };
    for (const [name, query] of Object.entries(checks)) expect(await dataset.current.scalar(query), name).toBe(0);
  });
});
