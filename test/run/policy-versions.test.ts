import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { TierwiseError, UsageError } from "../../src/errors/index.js";
import { loadPolicy, PRESETS_DIR } from "../../src/policy/load-policy.js";
import { loadRecordedPolicy, policyHistory } from "../../src/run/policy-versions.js";
import { run } from "../../src/run/run.js";
import { insertRunSql } from "../../src/sql/run/snapshot.js";
import { assignments, completedOrders, memoryStore, policyFile, seed } from "./support.js";

const FIXTURE = {
  customers: [
    { customer_id: "C1", name: "Ana", kind: "b2c" },
    { customer_id: "C2", name: "Bea", kind: "b2b" },
  ],
  orders: [...completedOrders("C1", [["2025-06-01", 120000]]), ...completedOrders("C2", [["2025-06-01", 300]])],
};

describe("policy versions", () => {
  it("lists the distinct policies recorded with runs and re-runs an earlier one", async () => {
    const engine = await memoryStore();
    try {
      await seed(engine, FIXTURE);
      const presets = await loadPolicy({ presets: ["value-grades"] });
      // The same scheme with its VIP threshold edited: a second policy version.
      const text = await readFile(`${PRESETS_DIR}value-grades.yaml`, "utf8");
      const own = await loadPolicy({ file: await policyFile(text.replace("min: 100000", "min: 150000")) });
      const first = await run(engine, presets, { asOf: "2025-12-01" });
      await run(engine, own, { asOf: "2026-01-01" });
      await run(engine, presets, { asOf: "2026-01-01" });

      const versions = await policyHistory(engine);
      expect(versions.map((v) => v.policyHash)).toEqual([presets.hash, own.hash]);
      expect(versions[0]?.runs).toEqual([
        { runId: 1, asOf: "2025-12-01" },
        { runId: 3, asOf: "2026-01-01" },
      ]);
      expect(versions[0]?.schemes).toEqual([{ name: "value-grades", kind: "thresholds", tiers: 5 }]);
      expect(versions[1]?.runs).toEqual([{ runId: 2, asOf: "2026-01-01" }]);
      expect(versions[1]?.schemes).toEqual([{ name: "value-grades", kind: "thresholds", tiers: 5 }]);
      expect((versions[0]?.firstUsed ?? "") <= (versions[0]?.lastUsed ?? "")).toBe(true);

      const recorded = await loadRecordedPolicy(engine, presets.hash.slice(0, 8).toUpperCase());
      expect(recorded.hash).toBe(presets.hash);
      const again = await run(engine, recorded, { asOf: "2025-12-01" });
      expect(again.policyHash).toBe(presets.hash);
      expect(await assignments(engine, again.runId)).toEqual(await assignments(engine, first.runId));
      expect((await policyHistory(engine))[0]?.runs).toHaveLength(3);
    } finally {
      await engine.close();
    }
  });

  it("reports unknown, ambiguous and too short hashes with their codes", async () => {
    const engine = await memoryStore();
    try {
      const text = (await loadPolicy({ presets: ["abc"] })).text;
      for (const [runId, hash] of [
        [1, `abcdef01${"1".repeat(56)}`],
        [2, `abcdef01${"2".repeat(56)}`],
      ] as const) {
        await engine.exec(
          insertRunSql({
            runId,
            asOf: "2026-01-01",
            startedAt: "2026-01-01 10:00:00",
            durationMs: 1,
            policyHash: hash,
            policyText: text,
            fingerprint: "",
            engine: "duckdb",
            summary: "{}",
          }),
        );
      }
      const code = async (prefix: string) =>
        loadRecordedPolicy(engine, prefix).then(
          () => "ok",
          (e: unknown) => (e instanceof TierwiseError ? e.code : e instanceof UsageError ? "usage" : String(e)),
        );
      expect(await code("abcdef01")).toBe("POLICY_VERSION_AMBIGUOUS");
      expect(await code("abcdef012")).toBe("ok");
      expect(await code("0123456789")).toBe("POLICY_VERSION_NOT_FOUND");
      expect(await code("abcdef0")).toBe("usage");
      expect(await code("abcdef01%")).toBe("usage");
    } finally {
      await engine.close();
    }
  });
});
