import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { raw, records } from "../../src/sql/index.js";
import { openStore } from "../../src/store/index.js";
import { runCli } from "../support/cli.js";

/**
 * The worked example of docs/ingest.md ("Raw line-item exports"): its
 * mapping, taken from the page, ingests a small export of exactly that shape
 * through the CLI. Every count and value below is worked out by hand from
 * test/fixtures/shop-export/online_retail.csv (26 rows, 6 without a
 * customer, 3 credit notes, one line with Quantity "six").
 */

const DOC = new URL("../../docs/ingest.md", import.meta.url);
const EXPORT = new URL("../fixtures/shop-export/online_retail.csv", import.meta.url);

/** The YAML block after the worked-example marker of docs/ingest.md. */
async function docMapping(): Promise<string> {
  const text = await readFile(DOC, "utf8");
  const after = text.split("<!-- worked-example-mapping -->")[1] ?? "";
  const block = /```yaml\n([\s\S]*?)```/.exec(after)?.[1];
  if (!block) throw new Error("no worked-example mapping in docs/ingest.md");
  return block;
}

interface Counts {
  readonly read: number;
  readonly inserted: number;
  readonly rejected: number;
  readonly skipped: number;
}

describe("docs/ingest.md worked example: a raw line-item export", () => {
  it("ingests with the page's mapping alone; every table's counts and values are as worked out by hand", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-export-"));
    const input = join(dir, "export");
    await mkdir(input);
    await copyFile(EXPORT, join(input, "online_retail.csv"));
    const mapping = await docMapping();
    await writeFile(join(dir, "mapping.yaml"), mapping);
    const db = join(dir, "shop.duckdb");
    const run = await runCli(["ingest", input, "--mapping", join(dir, "mapping.yaml"), "--db", db, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      tables: Array<Counts & { table: string; unchanged: number; updated: number; skips: unknown; groups?: number }>;
    };
    const t = (name: string) => result.tables.find((x) => x.table === name);
    for (const x of result.tables)
      expect(x.read, x.table).toBe(x.inserted + x.unchanged + x.updated + x.rejected + x.skipped);

    // C536379, C536383, C542240 are credit notes: stored with a negative amount, not rejected.
    // 14 invoices with a customer + 6 anonymous rows; 550013 has Quantity "six".
    expect(t("orders")).toMatchObject({
      read: 20,
      groups: 14,
      inserted: 13,
      rejected: 1,
      skipped: 6,
    });
    expect(t("order_lines")).toMatchObject({ read: 26, inserted: 19, rejected: 1, skipped: 6 });
    expect(t("customers")).toMatchObject({ read: 13, groups: 7, inserted: 7, rejected: 0, skipped: 6 });
    expect(t("products")).toMatchObject({ read: 17, groups: 17, inserted: 17, rejected: 0, skipped: 0 });
    expect(t("orders")?.skips).toEqual([{ name: "no_customer", count: 6 }]);

    const engine = await openStore(db);
    try {
      const q = (text: string) => engine.query(records(raw(text)));
      expect(
        await q(
          "SELECT order_id, customer_id, CAST(ordered_at AS VARCHAR) AS at, CAST(amount AS VARCHAR) AS amount FROM orders WHERE order_id IN ('536365', '536370', '537626', '545220', '550012', 'C542240') ORDER BY 1",
        ),
      ).toEqual([
        { order_id: "536365", customer_id: "17850", at: "2010-12-01 08:26:00", amount: "35.6400" }, // 6 × 2.55 + 6 × 3.39
        { order_id: "536370", customer_id: "12583", at: "2010-12-01 08:45:00", amount: "234.0000" }, // 90 + 90 + 54
        { order_id: "537626", customer_id: "12347", at: "2010-12-07 14:57:00", amount: "45.0000" },
        { order_id: "545220", customer_id: "12662", at: "2011-02-28 14:16:00", amount: "60.9000" }, // 35.40 + 25.50
        { order_id: "550012", customer_id: "12662", at: "2011-04-14 09:02:00", amount: "25.5000" }, // London summer time
        { order_id: "C542240", customer_id: "12347", at: "2011-01-26 15:01:00", amount: "-10.2000" },
      ]);
      expect(await q("SELECT CAST(count(*) AS INTEGER) AS n FROM orders WHERE kind = 'credit'")).toEqual([{ n: 3 }]);
      expect(
        await q("SELECT customer_id, CAST(created_at AS VARCHAR) AS at, region FROM customers ORDER BY 1"),
      ).toEqual([
        { customer_id: "12347", at: "2010-12-07 14:57:00", region: "Iceland" }, // first invoice, not 1/26/2011
        { customer_id: "12583", at: "2010-12-01 08:45:00", region: "France" },
        { customer_id: "12662", at: "2010-12-01 13:04:00", region: "Germany" }, // Germany 2, Belgium 2: first in file
        { customer_id: "13047", at: "2010-12-01 08:34:00", region: "United Kingdom" },
        { customer_id: "14527", at: "2010-12-01 09:41:00", region: "United Kingdom" }, // only a credit note
        { customer_id: "15311", at: "2010-12-01 09:41:00", region: "United Kingdom" },
        { customer_id: "17850", at: "2010-12-01 08:26:00", region: "United Kingdom" },
      ]);
      expect(
        await q("SELECT product_id, name FROM products WHERE product_id IN ('22139', '22727', 'POST') ORDER BY 1"),
      ).toEqual([
        { product_id: "22139", name: "RETROSPOT TEA SET CERAMIC 11 PC" }, // the anonymous row has no description
        { product_id: "22727", name: "ALARM CLOCK BAKELIKE RED" }, // a trailing space is trimmed
        { product_id: "POST", name: "POSTAGE" },
      ]);
      expect(
        await q(
          "SELECT order_id, CAST(line_no AS VARCHAR) AS line_no, product_id, CAST(quantity AS VARCHAR) AS q, CAST(amount AS VARCHAR) AS amount FROM order_lines WHERE order_id = '536365' ORDER BY line_no",
        ),
      ).toEqual([
        { order_id: "536365", line_no: "1", product_id: "85123A", q: "6.0000", amount: "15.3000" },
        { order_id: "536365", line_no: "2", product_id: "71053", q: "6.0000", amount: "20.3400" },
      ]);
    } finally {
      await engine.close();
    }
    // The line with Quantity "six" is rejected in orders and order_lines at its line (27) and column (4);
    // in order_lines both fields that read it say so (one rejected row).
    const rejects = await readFile(join(dir, "shop.rejects.csv"), "utf8");
    const six = rejects.split("\n").filter((l) => l.includes(",NOT_A_NUMBER,"));
    expect(six.map((l) => l.split(",").slice(0, 6).join(","))).toEqual([
      "orders,online_retail.csv,27,26,4,amount",
      "order_lines,online_retail.csv,27,26,4,amount",
      "order_lines,online_retail.csv,27,26,4,quantity",
    ]);
  });
});
