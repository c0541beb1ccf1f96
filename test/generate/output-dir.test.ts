import { existsSync } from "node:fs";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDataset } from "../../src/generate/index.js";
import { ingestDirectory } from "../../src/ingest/ingest.js";
import { memoryStore } from "../support/ingest-fixture.js";

describe("generate output folder", () => {
  it("replaces table files of another format from an earlier run, so the folder stays ingestible", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-gen-out-"));
    await generateDataset({ outDir: dir, customers: 200, seed: 3, format: "csv", asOf: "2026-01-01" });
    expect(existsSync(join(dir, "orders.csv"))).toBe(true);
    await generateDataset({ outDir: dir, customers: 200, seed: 3, format: "parquet", asOf: "2026-01-01" });
    const files = (await readdir(dir)).sort();
    expect(files.filter((f) => f.endsWith(".csv"))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".parquet"))).toHaveLength(8);

    const engine = await memoryStore();
    try {
      const result = await ingestDirectory(engine, { dir, rejectsPath: join(dir, "r.csv") });
      expect(result.tables.map((t) => t.format)).toEqual(Array(8).fill("parquet"));
      expect(result.tables.every((t) => t.rejected === 0)).toBe(true);
    } finally {
      await engine.close();
    }
  });
});
