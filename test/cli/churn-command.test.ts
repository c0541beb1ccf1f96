import { beforeAll, describe, expect, it } from "vitest";
import { seedInvestigation } from "../run/churn/investigation-support.js";
import { seedChurn } from "../run/churn/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/** `tierwise churn` on the known history of test/run/churn/support.ts. */
describe("tierwise churn", () => {
  let db = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-churn-cli-", seedChurn);
  });

  it("prints churn per period and tier, then the customers at risk", async () => {
    const r = await runCli(["churn", "--scheme", "value-grades", "--db", db]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("value-grades: churn per month up to run 2 (as of 2025-07-01)");
    expect(r.stdout).toContain("max(180 days, 3 × median gap)");
    expect(r.stdout).toMatch(/2025-05-01\s+1\s+Silver\s+2\s+1\s+50%\s+30,000\.00/);
    expect(r.stdout).toMatch(/2025-06-01\s+1\s+Gold\s+1\s+1\s+100%\s+60,000\.00/);
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

/** `tierwise churn investigate` on the hand-checked cohort of test/run/churn/investigation-support.ts. */
describe("tierwise churn investigate", () => {
  let db = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-churn-investigate-cli-", seedInvestigation);
  });

  it("ranks the signals of churned against retained customers and says each in a plain line", async () => {
    const r = await runCli(["churn", "investigate", "--scheme", "s", "--tier", "Gold", "--db", db]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("s: why Gold customers turned, run 1 (as of 2025-07-01): 3 churned vs 4 retained");
    expect(r.stdout).toMatch(/1\s+complaints\s+3\.00\s+0\.25\s+3\/3\s+1\/4\s+12\.00\s+3\.71/);
    expect(r.stdout).toMatch(/5\s+discount share\s+16\.7%\s+16\.7%\s+3\/3\s+4\/4\s+1\.00\s+0\.00/);
    expect(r.stdout).toContain(
      "1. churned Gold customers filed 12.0x more complaints in their last 90 days (3 per customer vs 0.25 per customer; 3 of 3 vs 1 of 4 retained)",
    );
    expect(r.stdout).toContain("left out: categories (the store has no order lines);");
  });

  it("prints JSON, takes --days, and says the lowest tier triggers nothing", async () => {
    const r = await runCli(["churn", "investigate", "--scheme", "s", "--days", "30", "--json", "--db", db]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      kind: string;
      tier: string;
      days: number;
      signals: { signal: string; separated: boolean }[];
    };
    expect([report.kind, report.tier, report.days]).toEqual(["investigation", "Gold", 30]);
    expect(report.signals[0]).toMatchObject({ signal: "complaints", separated: true });
    const lowest = await runCli(["churn", "investigate", "--scheme", "s", "--tier", "Rest", "--db", db]);
    expect(lowest.code).toBe(0);
    expect(lowest.stdout).toBe(
      "Rest is the lowest tier of s: a churned Rest customer is no real loss and triggers no investigation (run 1, as of 2025-07-01)\n",
    );
  });

  it("refuses an unknown scheme or tier in one coded line with a suggestion", async () => {
    const tier = await runCli(["churn", "investigate", "--scheme", "s", "--tier", "Gld", "--db", db]);
    expect(tier.code).toBe(1);
    expect(tier.stdout).toBe("");
    expect(tier.stderr.split("\n")[0]).toBe("error: UNKNOWN_TIER: scheme s has no tier Gld (did you mean Gold?)");
    const scheme = await runCli(["churn", "investigate", "--scheme", "z", "--db", db]);
    expect(scheme.code).toBe(1);
    expect(scheme.stderr.split("\n")[0]).toBe(
      "error: UNKNOWN_SCHEME: scheme z is not in any stored run (did you mean s?)",
    );
  });
});
