import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { loadPolicy, PRESETS_DIR, presetNames } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { runCli } from "../../support/cli.js";
import { AS_OF, assignments, type FixtureRow, memoryStore, policyFile, seed, tiers } from "../support.js";
import { cliStore, reopen } from "./cli-store.js";

/**
 * `--currency GBP --scale 0.1` on a preset grades exactly like a copy of the
 * preset with those two keys edited, and every output names GBP.
 * value-grades at scale 0.1: VIP >= 10,000; Gold >= 5,000; Silver >= 2,000; Regular > 0.
 */
const order = (id: string, customer: string, amount: number): FixtureRow => ({
  order_id: id,
  customer_id: customer,
  ordered_at: "2025-06-01 12:00:00",
  amount,
  status: "completed",
});

const EDGES = {
  customers: ["vip-exact", "gold-cent-under", "gold-exact", "silver-cent-under", "silver-exact", "regular", "none"].map(
    (customer_id) => ({ customer_id, created_at: "2024-01-01 00:00:00" }),
  ),
  orders: [
    order("o1", "vip-exact", 10000), // exactly 100,000 × 0.1 → VIP
    order("o2", "gold-cent-under", 9999.99), // → Gold
    order("o3", "gold-exact", 5000), // → Gold
    order("o4", "silver-cent-under", 4999.99), // → Silver
    order("o5", "silver-exact", 2000), // → Silver
    order("o6", "regular", 1999.99), // → Regular
  ],
};

const HAND_CHECKED = {
  "vip-exact": "VIP",
  "gold-cent-under": "Gold",
  "gold-exact": "Gold",
  "silver-cent-under": "Silver",
  "silver-exact": "Silver",
  regular: "Regular",
  none: "Potential",
};

/** A preset's YAML with its `currency` and `scale` edited by hand, as an analyst would copy it. */
async function editedCopy(preset: string): Promise<string> {
  const text = await readFile(`${PRESETS_DIR}${preset}.yaml`, "utf8");
  const edited = text.replace(/^currency: EUR/m, "currency: GBP").replace(/^scale: 1\b/m, "scale: 0.1");
  expect(edited).toContain("currency: GBP");
  expect(edited).toContain("scale: 0.1");
  return policyFile(edited, `${preset}-gbp.yaml`);
}

async function gradesOf(engine: Engine, runId: number) {
  const all = await assignments(engine, runId);
  return Object.fromEntries([...all].map(([scheme, grades]) => [scheme, tiers(grades)]));
}

describe("--currency and --scale instead of a copied preset", () => {
  it("run --preset value-grades --currency GBP --scale 0.1 grades like the edited copy, and says GBP", async () => {
    const { engine, args } = await cliStore();
    await seed(engine, EDGES);
    await engine.close();
    const flags = ["--as-of", AS_OF, ...args];
    const byFlags = await runCli(["run", "--preset", "value-grades", "--currency", "GBP", "--scale", "0.1", ...flags]);
    expect(byFlags.stderr).toBe("");
    expect(byFlags.code).toBe(0);
    expect(byFlags.stdout).toContain("revenue (GBP)");
    const byCopy = await runCli(["run", "--policy", await editedCopy("value-grades"), ...flags]);
    expect(byCopy.code).toBe(0);

    const store = await reopen(args);
    try {
      const [flagged, copied] = [await gradesOf(store, 1), await gradesOf(store, 2)];
      expect(flagged["value-grades"]).toEqual(HAND_CHECKED);
      expect(flagged).toEqual(copied);
    } finally {
      await store.close();
    }

    // the run recorded the effective policy: later readers of run 1 name GBP
    const text = await runCli(["report", "--run", "1", ...args]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("amounts in GBP");
    const json = await runCli(["report", "--run", "1", "--format", "json", ...args]);
    expect(JSON.parse(json.stdout).currency).toBe("GBP");
    const runs = JSON.parse((await runCli(["runs", "--json", ...args])).stdout) as { currency: string }[];
    expect(runs.map((r) => r.currency)).toEqual(["GBP", "GBP"]);
  });

  it("every preset run with { currency: GBP, scale: 0.1 } grades like its edited copy", async () => {
    const engine = await memoryStore();
    try {
      await seed(engine, EDGES);
      for (const preset of presetNames()) {
        const flagged = await loadPolicy({ presets: [preset] }, { currency: "GBP", scale: 0.1 });
        const copied = await loadPolicy({ file: await editedCopy(preset) });
        expect(flagged.plan).toEqual(copied.plan);
        const a = await run(engine, flagged, { asOf: AS_OF });
        const b = await run(engine, copied, { asOf: AS_OF });
        expect(a.currency).toBe("GBP");
        expect(await gradesOf(engine, a.runId)).toEqual(await gradesOf(engine, b.runId));
      }
    } finally {
      await engine.close();
    }
  });
});
