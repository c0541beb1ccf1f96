import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingestDirectory } from "../../src/ingest/ingest.js";
import type { IngestProgress } from "../../src/ingest/result.js";
import { memoryStore, writeInput } from "../support/ingest-fixture.js";

describe("ingest progress", () => {
  it("reports every step of every table in order, rising to the total", async () => {
    const customers = ["customer_id", ...Array.from({ length: 2000 }, (_, i) => `C${i}`)].join("\n");
    const orders = [
      "order_id,customer_id,ordered_at,amount",
      ...Array.from({ length: 5000 }, (_, i) => `O${i},C${i % 2000},2025-01-01,${i}`),
    ].join("\n");
    const dir = await writeInput({ "customers.csv": `${customers}\n`, "orders.csv": `${orders}\n` });
    const events: IngestProgress[] = [];
    const engine = await memoryStore();
    try {
      await ingestDirectory(engine, { dir, rejectsPath: join(dir, "r.csv"), onProgress: (p) => events.push(p) });
    } finally {
      await engine.close();
    }
    const steps = events.filter((e, i) => i === 0 || e.step !== events[i - 1]?.step).map((e) => e.step);
    expect(steps).toEqual([
      "reading customers.csv",
      "checking customers.csv",
      "reading orders.csv",
      "checking orders.csv",
      "writing customers",
      "writing orders",
    ]);
    const done = events.map((e) => e.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(events.every((e) => e.total === 100)).toBe(true);
    // The last step starts after every other step's share (orders.csv is the larger file).
    expect(done[done.length - 1]).toBeGreaterThan(60);
    expect(done[done.length - 1]).toBeLessThan(100);
  });
});
