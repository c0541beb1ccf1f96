import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { StoreQueue } from "../../../src/serve/store-queue.js";
import { col, select, sql } from "../../../src/sql/index.js";
import { memoryStore } from "../support.js";

/** The server's connections: one main connection in turn, and read connections lent side by side. */
let engine: Engine;
beforeAll(async () => {
  engine = await memoryStore();
  await engine.exec(sql`CREATE TABLE q_t (n INTEGER)`);
});
afterAll(async () => {
  await engine.close();
});

const count = select({ n: col.integer }, sql`SELECT CAST(COUNT(*) AS BIGINT) AS n FROM q_t`);

describe("StoreQueue", () => {
  it("lends reads connections of their own, side by side: two reads wait for each other without deadlock", async () => {
    const queue = new StoreQueue(engine, 2);
    let release: () => void = () => undefined;
    const bothIn = new Promise<void>((resolve) => {
      let entered = 0;
      release = () => {
        if (++entered === 2) resolve();
      };
    });
    const seen: Engine[] = [];
    const read = () =>
      queue.read(async (e) => {
        seen.push(e);
        release();
        await bothIn; // only resolves when the other read is in too
        return (await e.query(count))[0]?.n;
      });
    expect(await Promise.all([read(), read()])).toEqual([0, 0]);
    expect(seen[0]).not.toBe(seen[1]);
    expect(seen).not.toContain(engine);
    await queue.drain();
  });

  it("a read sees what the main connection committed before it started; a third read waits for a free connection", async () => {
    const queue = new StoreQueue(engine, 1);
    await queue.run(() => engine.exec(sql`INSERT INTO q_t VALUES (1)`));
    const results = await Promise.all([1, 2, 3].map(() => queue.read(async (e) => (await e.query(count))[0]?.n)));
    expect(results).toEqual([1, 1, 1]);
    await queue.drain();
  });

  it("replaces a connection that stopped working, keeps one whose query merely failed", async () => {
    const queue = new StoreQueue(engine, 1);
    const first = await queue.read(async (e) => e);
    await expect(queue.read((e) => e.exec(sql`SELECT * FROM no_such_table`))).rejects.toThrow();
    expect(await queue.read(async (e) => e)).toBe(first);
    await expect(
      queue.read(async (e) => {
        await e.close();
        throw new Error("lost");
      }),
    ).rejects.toThrow("lost");
    const replacement = await queue.read(async (e) => e);
    expect(replacement).not.toBe(first);
    expect(await queue.read(async (e) => (await e.query(count))[0]?.n)).toBeGreaterThanOrEqual(0);
    await queue.drain();
  });

  it("without readers, reads take their turn on the main connection", async () => {
    const queue = new StoreQueue(engine, 0);
    expect(await queue.read(async (e) => e)).toBe(engine);
    await queue.drain();
  });
});
