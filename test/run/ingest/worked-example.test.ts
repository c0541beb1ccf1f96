import { copyFile, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { parseMapping } from "../../../src/ingest/mapping.js";
import { raw, records } from "../../../src/sql/index.js";
import { memoryStore } from "../support.js";

/**
 * The worked example of docs/ingest.md on whichever engine the project runs
 * (test/ingest/worked-example.test.ts runs it through the CLI on DuckDB):
 * the same counts and values on PostgreSQL.
 */

async function docMapping(): Promise<string> {
  const text = await readFile(new URL("../../../docs/ingest.md", import.meta.url), "utf8");
  const block = /```yaml\n([\s\S]*?)```/.exec(text.split("<!-- worked-example-mapping -->")[1] ?? "")?.[1] ?? "";
  return block;
}

describe("docs/ingest.md worked example on every engine", () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
  });

  it("gives the hand-worked counts and values", async () => {
    const engine = await memoryStore();
    engines.push(engine);
    const dir = await mkdtemp(join(tmpdir(), "tw-export-"));
    await copyFile(
      new URL("../../fixtures/shop-export/online_retail.csv", import.meta.url),
      join(dir, "online_retail.csv"),
    );
    const mapping = parseMapping(await docMapping(), "mapping.yaml");
    const result = await ingestDirectory(engine, { dir, mapping, rejectsPath: join(dir, "rejects.csv") });
    const counts = Object.fromEntries(result.tables.map((t) => [t.table, [t.read, t.inserted, t.rejected, t.skipped]]));
    expect(counts).toEqual({
      products: [17, 17, 0, 0],
      customers: [13, 7, 0, 6],
      orders: [20, 13, 1, 6],
      order_lines: [26, 19, 1, 6],
    });
    const q = (text: string) => engine.query(records(raw(text)));
    expect(
      await q(
        "SELECT order_id, CAST(ordered_at AS VARCHAR) AS at, CAST(amount AS VARCHAR) AS amount FROM orders WHERE order_id IN ('536370', '550012') ORDER BY 1",
      ),
    ).toEqual([
      { order_id: "536370", at: "2010-12-01 08:45:00", amount: "234.0000" },
      { order_id: "550012", at: "2011-04-14 09:02:00", amount: "25.5000" },
    ]);
    expect(
      await q(
        "SELECT customer_id, CAST(created_at AS VARCHAR) AS at, region FROM customers WHERE customer_id IN ('12347', '12662') ORDER BY 1",
      ),
    ).toEqual([
      { customer_id: "12347", at: "2010-12-07 14:57:00", region: "Iceland" },
      { customer_id: "12662", at: "2010-12-01 13:04:00", region: "Germany" },
    ]);
    expect(await q("SELECT name FROM products WHERE product_id = '22139'")).toEqual([
      { name: "RETROSPOT TEA SET CERAMIC 11 PC" },
    ]);
  });
});
