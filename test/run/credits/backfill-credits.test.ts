import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { generateDataset } from "../../../src/generate/index.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { backfill } from "../../../src/run/backfill.js";
import { run } from "../../../src/run/run.js";
import { removeDir, tempDir } from "../../generate/dataset.js";
import { assignments, memoryStore } from "../support.js";
import { addCreditNotes } from "./support.js";

/**
 * A backfill rolls facts from one date to the next; with credit notes
 * (dated at their own day, some voided by a returned order) every rolled
 * date must equal a separate run at that date.
 */
describe("backfill with credit notes", () => {
  let dir = "";
  let engine: Engine;
  beforeAll(async () => {
    dir = await tempDir("credits-backfill");
    const data = join(dir, "data");
    await generateDataset({ outDir: data, customers: 150, seed: 9, format: "csv", asOf: "2026-01-01", threads: 1 });
    await addCreditNotes(data, "2026-01-01");
    engine = await memoryStore();
    await ingestDirectory(engine, { dir: data, rejectsPath: join(dir, "rejects.csv") });
  });
  afterAll(async () => {
    await engine?.close();
    if (dir) await removeDir(dir);
  });

  it("every rolled date equals a separate run", async () => {
    const policy = await loadPolicy({ presets: ["value-grades", "rfm", "abc", "three-tier"] });
    const result = await backfill(engine, policy, { from: "2025-03-31", to: "2025-12-31", every: "quarter" });
    expect(result.runs.length).toBe(4);
    for (const r of result.runs) {
      const separate = await run(engine, policy, { asOf: r.asOf });
      expect(await assignments(engine, r.runId)).toEqual(await assignments(engine, separate.runId));
      expect(r.schemes).toEqual(separate.schemes);
    }
  });
});
