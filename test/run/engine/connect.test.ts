import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { col, select, sql } from "../../../src/sql/index.js";
import { memoryStore } from "../support.js";

/**
 * `engine.connect()`: a second connection to the same store, as the server
 * uses for background jobs. It sees committed work of the first, keeps its
 * own temporary tables and transactions, and closing it leaves the first open.
 */
let first: Engine;

beforeAll(async () => {
  first = await memoryStore();
  await first.exec(sql`CREATE TABLE shared_t (n INTEGER)`);
  await first.exec(sql`INSERT INTO shared_t VALUES (1), (2)`);
});

afterAll(async () => {
  await first.close();
});

const total = select({ n: col.integer }, sql`SELECT CAST(COUNT(*) AS BIGINT) AS n FROM shared_t`);

describe("a second connection to the same store", () => {
  it("sees the same tables, not the other connection's open transaction, and its own temporary tables", async () => {
    const second = await first.connect();
    try {
      expect((await second.query(total))[0]?.n).toBe(2);
      await second.exec(sql`CREATE TEMPORARY TABLE only_here AS SELECT 1 AS n`);
      await expect(first.exec(sql`SELECT * FROM only_here`)).rejects.toThrow();
      await second.transaction(async () => {
        await second.exec(sql`INSERT INTO shared_t VALUES (3)`);
        expect((await first.query(total))[0]?.n).toBe(2);
      });
      expect((await first.query(total))[0]?.n).toBe(3);
    } finally {
      await second.close();
    }
    expect((await first.query(total))[0]?.n).toBe(3);
  });
});
