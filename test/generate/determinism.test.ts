import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GenerateSummary, generateDataset } from "../../src/generate/index.js";
import { TABLE_NAMES } from "../../src/model/index.js";
import { AS_OF, removeDir, tempDir } from "./dataset.js";

async function bytesOf(summary: GenerateSummary): Promise<Buffer[]> {
  return Promise.all(summary.files.map((f) => readFile(f)));
}

describe("generation is deterministic", () => {
  const dirs: string[] = [];
  const dir = async (label: string) => {
    const d = await tempDir(label);
    dirs.push(d);
    return d;
  };

  afterAll(async () => {
    for (const d of dirs) await removeDir(d);
  });

  for (const format of ["csv", "parquet"] as const) {
    describe(format, () => {
      let first: GenerateSummary;
      let again: GenerateSummary;
      let otherSeed: GenerateSummary;

      beforeAll(async () => {
        const base = { customers: 2500, asOf: AS_OF, format } as const;
        first = await generateDataset({ ...base, seed: 42, outDir: await dir(`${format}-a`) });
        again = await generateDataset({ ...base, seed: 42, outDir: await dir(`${format}-b`) });
        otherSeed = await generateDataset({ ...base, seed: 43, outDir: await dir(`${format}-d`) });
      });

      it("writes one file per table with the format's extension", () => {
        expect(first.files.map((f) => f.split("/").pop())).toEqual(TABLE_NAMES.map((t) => `${t}.${format}`));
      });

      it("gives byte-identical files for the same seed and asOf", async () => {
        const [a, b] = await Promise.all([bytesOf(first), bytesOf(again)]);
        for (const [i, bytes] of a.entries()) expect(bytes.equals(b[i] as Buffer), first.files[i]).toBe(true);
        expect(again.rows).toEqual(first.rows);
      });

      it("gives different data for a different seed", async () => {
        const [a, d] = await Promise.all([bytesOf(first), bytesOf(otherSeed)]);
        for (const table of ["customers", "orders", "order_lines", "interactions", "leads"]) {
          const i = TABLE_NAMES.indexOf(table as (typeof TABLE_NAMES)[number]);
          expect((a[i] as Buffer).equals(d[i] as Buffer), table).toBe(false);
        }
        expect(otherSeed.rows.orders).not.toBe(first.rows.orders);
      });
    });
  }

  // Large enough (about 200k orders) that DuckDB splits the work across threads.
  it("does not depend on the number of threads", async () => {
    const base = { customers: 20_000, seed: 5, asOf: AS_OF } as const;
    const one = await generateDataset({ ...base, threads: 1, outDir: await dir("threads-1") });
    const two = await generateDataset({ ...base, threads: 2, outDir: await dir("threads-2") });
    const [a, b] = await Promise.all([bytesOf(one), bytesOf(two)]);
    for (const [i, bytes] of a.entries()) expect(bytes.equals(b[i] as Buffer), one.files[i]).toBe(true);
  });
});
