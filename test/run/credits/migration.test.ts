import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { raw } from "../../../src/sql/fragment.js";
import { records } from "../../../src/sql/index.js";
import { STORE_SCHEMA_VERSION } from "../../../src/sql/store/schema.js";
import { ensureStoreSchema } from "../../../src/store/schema.js";
import { insertRows, memoryStore } from "../support.js";

/** A store written before credit notes (schema version 1: orders without kind and refunds_order_id) is migrated on open. */
describe("store migration to credit notes", () => {
  let engine: Engine;
  beforeEach(async () => {
    engine = await memoryStore();
  });
  afterEach(async () => engine.close());

  it("adds kind and refunds_order_id; old orders become orders, negative ones credits", async () => {
    await insertRows(engine, "customers", [{ customer_id: "C1" }]);
    await insertRows(engine, "orders", [
      { order_id: "O1", customer_id: "C1", ordered_at: "2025-01-01", amount: 10, status: "completed" },
      { order_id: "O2", customer_id: "C1", ordered_at: "2025-01-02", amount: -4, status: "completed" },
    ]);
    await engine.exec(raw("ALTER TABLE orders DROP COLUMN refunds_order_id"));
    await engine.exec(raw("ALTER TABLE orders DROP COLUMN kind"));
    await engine.exec(raw("UPDATE tw_meta SET value = '1' WHERE key = 'schema_version'"));

    await ensureStoreSchema(engine);
    const rows = await engine.query(
      records(raw("SELECT order_id, kind, refunds_order_id FROM orders ORDER BY order_id")),
    );
    expect(rows.map((r) => [r["order_id"], r["kind"], r["refunds_order_id"] ?? null])).toEqual([
      ["O1", "order", null],
      ["O2", "credit", null],
    ]);
    const version = await engine.query(records(raw("SELECT value FROM tw_meta WHERE key = 'schema_version'")));
    expect(version[0]?.["value"]).toBe(String(STORE_SCHEMA_VERSION));
  });
});
