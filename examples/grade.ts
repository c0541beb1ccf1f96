/**
 * The library API end to end: generate a small business, ingest it, run two
 * presets, explain one customer, set an override and export the grades.
 *
 *   npx tsx examples/grade.ts [work-dir]
 *
 * In your own project import from "tierwise" instead of "../src/index.js".
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  explain,
  exportAssignments,
  generateDataset,
  ingestDirectory,
  loadPolicy,
  openStore,
  run,
  setOverride,
} from "../src/index.js";

const dir = process.argv[2] ?? (await mkdtemp(join(tmpdir(), "tierwise-example-")));
await generateDataset({ outDir: join(dir, "data"), customers: 500, seed: 7, asOf: "2026-01-01" });

const store = await openStore(join(dir, "shop.duckdb"));
try {
  await ingestDirectory(store, { dir: join(dir, "data"), rejectsPath: join(dir, "rejects.csv") });

  const policy = await loadPolicy({ presets: ["value-grades", "rfm"] });
  const result = await run(store, policy, { asOf: "2026-01-01" });
  for (const scheme of result.schemes) {
    const tiers = scheme.tiers.map((t) => `${t.tier} ${t.entities}`).join(", ");
    console.log(`${scheme.scheme}: ${tiers}`);
  }

  const why = await explain(store, "C0000001", { scheme: "value-grades" });
  console.log(`C0000001 is ${why.schemes[0]?.tier}: ${why.schemes[0]?.reason}`);

  await setOverride(store, {
    entityId: "C0000001",
    scheme: "value-grades",
    tier: "Gold",
    mode: "floor",
    reason: "strategic account",
    by: "example",
  });
  const again = await run(store, policy, { asOf: "2026-01-01" });
  const exported = await exportAssignments(store, { out: join(dir, "grades.csv"), schemes: ["value-grades"] });
  console.log(`run ${again.runId}: exported ${exported.rows} grades to ${exported.path}`);
} finally {
  await store.close();
}
