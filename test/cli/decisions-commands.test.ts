import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SIX, valuePolicy } from "../run/decisions/support.js";
import { policyFile, seed } from "../run/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/** `tierwise diff`, `calibrate`, `actions` and `assign-reps` on the six customers of test/run/decisions/support.ts. */
describe("tierwise decision commands", () => {
  let db = "";
  let dir = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-decisions-cli-", (e) => seed(e, SIX));
    dir = await mkdtemp(join(tmpdir(), "tw-decisions-out-"));
  }, 60_000);

  it("diff: compares two policies side by side and exports the movers", async () => {
    const current = await policyFile(valuePolicy(100000));
    const proposed = await policyFile(valuePolicy(80000));
    const movers = join(dir, "movers.csv");
    const r = await runCli([
      "diff",
      "--policy",
      current,
      "--policy",
      proposed,
      "--as-of",
      "2026-01-01",
      "--movers",
      movers,
      "--db",
      db,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("what-if as of 2026-01-01 (no snapshot written)");
    expect(r.stdout).toMatch(/VIP\s+1\s+2\s+120,000\.00\s+210,000\.00\s+6,100\.00\s+10,700\.00/);
    expect(r.stdout).toContain("1 would change tier, 5 would not");
    expect(r.stdout).toContain(`1 movers written to ${movers}`);
    expect((await readFile(movers, "utf8")).split("\n")[1]).toMatch(/^value,C2,Gold,VIP,2,1,/);
    const preset = await runCli([
      "diff",
      "--policy",
      "value-grades",
      "--policy",
      proposed,
      "--as-of",
      "2026-01-01",
      "--json",
      "--db",
      db,
    ]);
    expect(preset.code).toBe(0);
    const w = JSON.parse(preset.stdout) as { schemes: { scheme: string }[] };
    expect(w.schemes.map((s) => s.scheme)).toEqual(["value-grades", "value"]);
    const once = await runCli(["diff", "--policy", current, "--db", db]);
    expect(once.code).toBe(2);
    expect(once.stderr).toContain("give --policy twice");
  });
});
