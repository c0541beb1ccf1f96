import { beforeAll, describe, expect, it } from "vitest";
import { seedHistory } from "../run/history/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/** `tierwise history` and `tierwise migrations` on the known history of test/run/history/support.ts. */
describe("tierwise history and migrations", () => {
  let db = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-history-cli-", seedHistory);
  });

  it("prints a customer's tier changes as a table and as JSON", async () => {
    const r = await runCli(["history", "A", "--db", db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2025-07-01\s+1\s+value-grades\s+\(out of scope\)\s+Silver\s+entered Silver/);
    expect(r.stdout).toMatch(/2025-10-01\s+2\s+value-grades\s+Silver\s+Gold\s+rule thresholds/);
    const json = await runCli(["history", "E", "--scheme", "value-grades", "--json", "--db", db]);
    const parsed = JSON.parse(json.stdout) as { changes: { runId: number; to: string | null; direction: string }[] };
    expect(parsed.changes.map((c) => [c.runId, c.to, c.direction])).toEqual([
      [1, "Potential", "entered"],
      [3, null, "left"],
    ]);
    const unknown = await runCli(["history", "A", "--scheme", "nope", "--db", db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("UNKNOWN_SCHEME");
  });

  it("prints the migration matrix, the summary line and the movers", async () => {
    const r = await runCli(["migrations", "--scheme", "value-grades", "--db", db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("value-grades: run 2 (as of 2025-10-01) → run 3 (as of 2026-01-01)");
    expect(r.stdout).toMatch(/Regular\s+0\s+0\s+1\s+1\s+0\s+0\s+30,000\.00/);
    expect(r.stdout).toContain("1 upgraded, 1 downgraded, 4 stayed, 1 entered, 1 left");
    expect(r.stdout).toContain("spend(12 months) rose from 10,000 to 25,000, over Silver's 20,000");
    const json = await runCli([
      "migrations",
      "--scheme",
      "value-grades",
      "--from",
      "1",
      "--to",
      "2025-10-01",
      "--movers",
      "1",
      "--json",
      "--db",
      db,
    ]);
    const m = JSON.parse(json.stdout) as { to: { runId: number }; totals: { upgraded: number }; movers: unknown[] };
    expect([m.to.runId, m.totals.upgraded, m.movers.length]).toEqual([2, 1, 1]);
  });

  it("refuses an unknown scheme, run or a bad --from with codes", async () => {
    const scheme = await runCli(["migrations", "--scheme", "nope", "--db", db]);
    expect(scheme.code).toBe(1);
    expect(scheme.stderr).toContain("UNKNOWN_SCHEME");
    const run = await runCli(["migrations", "--scheme", "value-grades", "--from", "99", "--db", db]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("RUN_NOT_FOUND");
    const bad = await runCli(["migrations", "--scheme", "value-grades", "--from", "last week", "--db", db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--from takes a run id or a date");
  });
});
