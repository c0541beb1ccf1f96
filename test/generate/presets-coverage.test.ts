/**
 * The sample business shows every grade: the demo's 10,000 customers (seed 1,
 * as `tierwise demo` generates them), ingested and graded by every preset at
 * their default thresholds, leave no tier of any preset empty, and the value
 * grades form a pyramid (few VIP, more Gold, more Silver, many Regular).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import { generateDataset } from "../../src/generate/index.js";
import { ingestDirectory } from "../../src/ingest/ingest.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { type RunResult, run, type SchemeResult } from "../../src/run/run.js";
import { openStore } from "../../src/store/index.js";
import { AS_OF, removeDir, tempDir } from "./dataset.js";

/** The demo's defaults (src/cli/commands/demo.ts). */
const DEMO = { customers: 10_000, seed: 1 } as const;

describe("the demo business at the presets' default thresholds", () => {
  let dir = "";
  let engine: Engine | undefined;
  let result: RunResult | undefined;

  beforeAll(async () => {
    dir = await tempDir("presets");
    const data = join(dir, "data");
    await generateDataset({ ...DEMO, outDir: data, format: "csv", asOf: AS_OF });
    engine = await openStore(":memory:");
    await ingestDirectory(engine, { dir: data, rejectsPath: join(dir, "rejects.csv") });
    result = await run(engine, await loadPolicy({ presets: ["all"] }), { asOf: AS_OF });
  });

  afterAll(async () => {
    await engine?.close();
    if (dir) await removeDir(dir);
  });

  function scheme(name: string): SchemeResult {
    const found = result?.schemes.find((s) => s.scheme === name);
    if (!found) throw new Error(`no scheme ${name} in the run`);
    return found;
  }

  /** Tier name → how many it holds, in the scheme's order. */
  function counts(name: string): Record<string, number> {
    return Object.fromEntries(scheme(name).tiers.map((t) => [t.tier, t.entities]));
  }

  it("runs all eight presets", () => {
    expect(result?.schemes.map((s) => s.scheme).sort()).toEqual([
      "abc",
      "b2b-scorecard",
      "lead-grades",
      "relationship-ladder",
      "rfm",
      "satisfaction",
      "three-tier",
      "value-grades",
    ]);
  });

  it("leaves no tier of any preset empty", () => {
    const empty = (result?.schemes ?? []).flatMap((s) =>
      s.tiers.filter((t) => t.entities === 0).map((t) => `${s.scheme}: ${t.tier}`),
    );
    expect(empty).toEqual([]);
  });

  it("grades value as a pyramid: few VIP, more Gold, more Silver, many Regular, some Potential", () => {
    const v = counts("value-grades");
    const [vip, gold, silver, regular, potential] = [
      v["VIP"],
      v["Gold"],
      v["Silver"],
      v["Regular"],
      v["Potential"],
    ].map(Number) as [number, number, number, number, number];
    expect(vip).toBeGreaterThanOrEqual(10);
    expect(gold).toBeGreaterThan(vip);
    expect(silver).toBeGreaterThan(gold);
    expect(regular).toBeGreaterThan(silver);
    expect(regular).toBeGreaterThan(potential);
    expect(potential).toBeGreaterThan(0.1 * DEMO.customers);
    // VIP is a small elite, and the top grades hold a large share of the revenue.
    expect(vip / DEMO.customers).toBeLessThan(0.01);
    const share = Object.fromEntries(scheme("value-grades").tiers.map((t) => [t.tier, t.revenueShare]));
    expect((share["VIP"] ?? 0) + (share["Gold"] ?? 0)).toBeGreaterThan(0.2);
  });

  it("has a small Tier 3, a large Tier 2 and Tier 1 of profitability", () => {
    const t = counts("three-tier");
    const lifetime = t["Tier 3 – lifetime"] ?? 0;
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime / DEMO.customers).toBeLessThan(0.05);
    expect(t["Tier 2 – loyal"]).toBeGreaterThan(5 * lifetime);
    expect(t["Tier 1 – low value"]).toBeGreaterThan(5 * lifetime);
  });

  it("puts customers on every step of the relationship ladder and leads in every grade", () => {
    expect(Object.keys(counts("relationship-ladder"))).toEqual([
      "Advocate",
      "Supporter",
      "Customer",
      "Purchaser",
      "Prospect",
      "Aware",
    ]);
    expect(Object.keys(counts("lead-grades"))).toEqual(["A", "B", "C", "D", "E"]);
    expect(scheme("lead-grades").entity).toBe("leads");
  });
});
