import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TableIngestResult } from "../../src/ingest/result.js";
import { sql } from "../../src/sql/index.js";
import { openStore } from "../../src/store/index.js";
import { runCli } from "../support/cli.js";
import { rawRows } from "../support/raw-rows.js";
import { AS_OF, removeDir, tempDir } from "./dataset.js";
import { type ExportLine, londonToUtcMs, readShopExport, totalsByCustomer } from "./shop-export-file.js";

/**
 * The worked example end to end: a generated raw export ingested with the
 * example mapping alone, checked customer by customer against totals this
 * test computes from the file itself. Needs the mapping extensions (skip,
 * group_by, compute, from) and credit notes (orders.kind).
 */
const MAPPING = fileURLToPath(new URL("../../examples/shop-export.mapping.yaml", import.meta.url));

type StoredCustomer = {
  customer_id: string;
  net_cents: string;
  orders: string;
  credit_notes: string;
  lines: string;
  line_cents: string;
  region: string;
  created_s: string;
  first_order_s: string;
};

describe("a shop export ingested with examples/shop-export.mapping.yaml", () => {
  let dir = "";
  let db = "";
  let lines: ExportLine[] = [];
  let tables: TableIngestResult[] = [];

  beforeAll(async () => {
    dir = await tempDir("shop-e2e");
    const data = join(dir, "export");
    db = join(dir, "shop.duckdb");
    const generated = await runCli([
      "generate",
      "--style",
      "shop-export",
      "--out",
      data,
      "--customers",
      "400",
      "--seed",
      "3",
      "--as-of",
      AS_OF,
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    ({ lines } = await readShopExport(join(data, "online_retail.csv")));
    // The command the generator prints is the one that reads the export.
    const printed = /^ {2}tierwise (ingest \S+ --mapping \S+)$/m.exec(generated.stdout)?.[1]?.split(" ") ?? [];
    expect(printed).toEqual(["ingest", data, "--mapping", MAPPING]);
    const ingested = await runCli([...printed, "--db", db, "--json"]);
    expect(ingested.code, ingested.stderr).toBe(0);
    ({ tables } = JSON.parse(ingested.stdout) as { tables: TableIngestResult[] });
  });

  afterAll(async () => {
    await removeDir(dir);
  });

  it("rejects nothing and counts the guest lines as skipped (read = accepted + updated + rejected + skipped)", () => {
    const byTable = new Map(tables.map((t) => [t.table, t]));
    for (const t of tables) expect(t.rejected, t.table).toBe(0);
    const orderLines = byTable.get("order_lines");
    expect(orderLines?.read).toBe(lines.length);
    const guests = lines.filter((l) => l.customerId === "").length;
    expect(guests).toBeGreaterThan(0);
    const t = orderLines as TableIngestResult;
    expect(t.read - t.inserted - t.unchanged - t.updated - t.rejected).toBe(guests);
    expect(JSON.stringify(t)).toContain("no_customer"); // counted under the filter's name
  });

  it("stores each customer's net spend, orders, credit notes and lines as computed from the file", async () => {
    const expected = totalsByCustomer(lines);
    const engine = await openStore(db);
    try {
      const stored = await engine.query(
        rawRows<StoredCustomer>(sql`WITH o AS (
  SELECT customer_id, CAST(round(sum(amount) * 100) AS BIGINT) AS net_cents, count(*) AS orders,
    count(*) FILTER (WHERE kind = 'credit') AS credit_notes, min(ordered_at) AS first_order
  FROM orders GROUP BY customer_id
), l AS (
  SELECT o.customer_id, count(*) AS lines, CAST(round(sum(ol.amount) * 100) AS BIGINT) AS line_cents
  FROM order_lines AS ol JOIN orders AS o ON o.order_id = ol.order_id GROUP BY o.customer_id
)
SELECT c.customer_id, o.net_cents, o.orders, o.credit_notes, l.lines, l.line_cents, c.region,
  CAST(epoch(c.created_at) AS BIGINT) AS created_s, CAST(epoch(o.first_order) AS BIGINT) AS first_order_s
FROM customers AS c JOIN o ON o.customer_id = c.customer_id JOIN l ON l.customer_id = c.customer_id
ORDER BY c.customer_id`),
      );
      expect(stored.map((s) => s.customer_id)).toEqual([...expected.keys()].sort());
      let withCredits = 0;
      for (const s of stored) {
        const e = expected.get(s.customer_id);
        if (!e) throw new Error(`customer ${s.customer_id} is not in the file`);
        expect(
          [Number(s.net_cents), Number(s.line_cents), Number(s.orders), Number(s.credit_notes), Number(s.lines)],
          s.customer_id,
        ).toEqual([e.netCents, e.netCents, e.invoices.size, e.creditNotes.size, e.lines]);
        expect(s.region, s.customer_id).toBe([...e.countries][0]);
        expect(s.created_s, s.customer_id).toBe(s.first_order_s);
        if (e.creditNotes.size > 0) withCredits += 1;
      }
      // the fixture exercises what it claims to
      expect(withCredits).toBeGreaterThan(20);
    } finally {
      await engine.close();
    }
  });

  it("reads InvoiceDate as Europe/London local time, one order per invoice", async () => {
    const firstLine = new Map<string, ExportLine>();
    for (const l of lines) if (l.customerId !== "" && !firstLine.has(l.invoiceNo)) firstLine.set(l.invoiceNo, l);
    const engine = await openStore(db);
    try {
      const stored = await engine.query(
        rawRows<{ order_id: string; s: string; kind: string }>(
          sql`SELECT order_id, CAST(epoch(ordered_at) AS BIGINT) AS s, kind FROM orders ORDER BY order_id`,
        ),
      );
      expect(stored.length).toBe(firstLine.size);
      let summer = 0;
      for (const o of stored) {
        const l = firstLine.get(o.order_id);
        if (!l) throw new Error(`order ${o.order_id} is not an invoice of a customer in the file`);
        const utc = londonToUtcMs(l.localMs);
        expect(Number(o.s) * 1000, o.order_id).toBe(utc);
        expect(o.kind, o.order_id).toBe(o.order_id.startsWith("C") ? "credit" : "order");
        if (utc !== l.localMs) summer += 1;
      }
      expect(summer).toBeGreaterThan(0); // British Summer Time is one hour ahead of UTC
    } finally {
      await engine.close();
    }
  });

  it("builds products from every line, named by their most frequent description", async () => {
    const byCode = new Map<string, Map<string, number>>();
    for (const l of lines) {
      const counts = byCode.get(l.stockCode) ?? new Map<string, number>();
      counts.set(l.description, (counts.get(l.description) ?? 0) + 1);
      byCode.set(l.stockCode, counts);
    }
    const engine = await openStore(db);
    try {
      const stored = await engine.query(
        rawRows<{ product_id: string; name: string }>(sql`SELECT product_id, name FROM products ORDER BY product_id`),
      );
      expect(stored.map((p) => p.product_id)).toEqual([...byCode.keys()].sort());
      for (const p of stored) {
        const counts = [...(byCode.get(p.product_id) ?? new Map<string, number>()).entries()].sort(
          (a, b) => b[1] - a[1],
        );
        const [top, second] = counts;
        if (top && (!second || second[1] < top[1])) expect(p.name, p.product_id).toBe(top[0]);
      }
    } finally {
      await engine.close();
    }
  });
});
