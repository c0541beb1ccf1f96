import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { raw } from "../../../src/sql/fragment.js";
import { records } from "../../../src/sql/index.js";
import { memoryStore } from "../support.js";

/** Ingest `files` (name → CSV text) from a fresh folder; returns the result and the rejects file's text. */
async function ingest(engine: Engine, files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), "tw-credits-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const rejectsPath = join(dir, "rejects.csv");
  const result = await ingestDirectory(engine, { dir, rejectsPath });
  return { result, rejects: await readFile(rejectsPath, "utf8").catch(() => "") };
}

const CUSTOMERS = "customer_id,name\nC1,Ann\nC2,Bob\n";

describe("ingesting credit notes (both engines)", () => {
  let engine: Engine;
  beforeEach(async () => {
    engine = await memoryStore();
  });
  afterEach(async () => engine.close());

  const orders = async () =>
    (
      await engine.query(
        records(
          raw(
            "SELECT order_id, kind, CAST(amount AS VARCHAR) AS amount, refunds_order_id FROM orders ORDER BY order_id",
          ),
        ),
      )
    ).map((r) => [r["order_id"], r["kind"], Number(r["amount"]), r["refunds_order_id"] ?? null]);

  it("a negative amount is a credit; a credit written positive is stored negative; kind order stays NEGATIVE", async () => {
    const { result, rejects } = await ingest(engine, {
      "customers.csv": CUSTOMERS,
      "orders.csv": [
        "order_id,customer_id,ordered_at,amount,kind,refunds_order_id",
        "O1,C1,2025-03-01,100.00,,", // an order (kind empty, amount positive)
        "CR1,C1,2025-03-05,-40.00,,O1", // a partial refund of O1 in the same file (kind empty → credit)
        "CR2,C1,2025-03-06,25.00,credit,O1", // a credit written positive: stored −25
        "CR3,C2,2025-03-07,-10.00,CREDIT,", // a credit note without a reference
        "O2,C2,2025-03-08,-5.00,order,", // rejected: an order cannot be negative
        "CR4,C2,2025-03-09,-7.00,,NOPE", // rejected: refunds an unknown order
        "CR5,C2,2025-03-10,-1.00,,O2", // rejected: refunds an order rejected in this load
      ].join("\n"),
      "order_lines.csv": ["order_id,product_id,quantity,amount", "O1,P1,2,100.00", "CR1,P1,-1,-40.00"].join("\n"),
    });
    const table = result.tables.find((t) => t.table === "orders");
    expect(table).toMatchObject({ read: 7, inserted: 4, rejected: 3 });
    expect(await orders()).toEqual([
      ["CR1", "credit", -40, "O1"],
      ["CR2", "credit", -25, "O1"],
      ["CR3", "credit", -10, null],
      ["O1", "order", 100, null],
    ]);
    expect(rejects).toContain(
      "NEGATIVE,amount is negative on kind order: a refund needs kind credit (or an empty kind)",
    );
    expect(rejects.match(/UNKNOWN_REFERENCE,refunds_order_id .*orders\.order_id/g)).toHaveLength(2);
    const lines = await engine.query(
      records(raw("SELECT CAST(quantity AS VARCHAR) AS q FROM order_lines ORDER BY order_id")),
    );
    expect(lines.map((l) => Number(l["q"]))).toEqual([-1, 2]); // a return line is kept
  });

  it("a credit may refund an order of an earlier load", async () => {
    await ingest(engine, {
      "customers.csv": CUSTOMERS,
      "orders.csv": "order_id,customer_id,ordered_at,amount\nO1,C1,2025-03-01,100.00\n",
    });
    const { result } = await ingest(engine, {
      "customers.csv": CUSTOMERS,
      "orders.csv": "order_id,customer_id,ordered_at,amount,refunds_order_id\nCR1,C1,2025-04-01,-100.00,O1\n",
    });
    expect(result.tables.find((t) => t.table === "orders")).toMatchObject({ inserted: 1, rejected: 0 });
    expect(await orders()).toEqual([
      ["CR1", "credit", -100, "O1"],
      ["O1", "order", 100, null],
    ]);
  });
});
