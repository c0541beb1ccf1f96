import { beforeAll, describe, expect, it } from "vitest";
import { seedChurn } from "../run/churn/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/** `tierwise churn` on the known history of test/run/churn/support.ts. */
describe("tierwise churn", () => {
  let db = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-churn-cli-", seedChurn);
  }, 60_000);

  it("prints churn per period and tier, then the customers at risk", async () => {
    const r = await runCli(["churn", "--scheme", "value-grades", "--db", db]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("value-grades: churn per month up to run 2 (as of 2025-07-01)");
    expect(r.stdout).toContain("max(180 days, 3 × median gap)");
    expect(r.stdout).toMatch(/2025-04-01\s+2025-05-01\s+1\s+Silver\s+2\s+1\s+50\.0%\s+30,000\.00/);
    expect(r.stdout).toMatch(/2025-05-01\s+2025-06-01\s+1\s+Gold\s+1\s+1\s+100\.0%\s+60,000\.00/);
    expect(r.stdout).toMatch(/V\s+Gold\s+2025-03-21\s+2025-03-31\s+2025-09-17\s+60,000\.00/);
    expect(r.stdout).toMatch(/Z\s+Regular\s+2025-01-03\s+2025-03-04\s+2025-07-02\s+4,000\.00/);
  });

  it("prints JSON, takes --every, --from, --to and --limit, and refuses a bad --every", async () => {
    const r = await runCli([
      "churn",
      "--every",
      "quarter",
      "--from",
      "2025-01-01",
      "--to",
      "2025-07-01",
      "--limit",
      "1",
      "--json",
      "--db",
      db,
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      scheme: string;
      periods: { start: string; tiers: { tier: string | null; turned: number; revenueLost: number }[] }[];
      atRisk: { customerId: string }[];
    };
    expect(report.scheme).toBe("value-grades");
    expect(report.periods.map((p) => p.start)).toEqual(["2025-01-01", "2025-04-01"]);
    expect(report.periods[1]?.tiers.filter((t) => t.turned > 0).map((t) => [t.tier, t.turned, t.revenueLost])).toEqual([
      ["Gold", 1, 60000],
      ["Silver", 2, 70000],
    ]);
    expect(report.atRisk.map((a) => a.customerId)).toEqual(["V"]);
    const bad = await runCli(["churn", "--every", "week", "--db", db]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--every takes month, quarter or year");
  });
});
