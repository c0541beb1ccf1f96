import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { seedHistory } from "../run/history/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

let db: string;
beforeAll(async () => {
  db = await seededStoreFile("tw-report-", seedHistory);
});

describe("tierwise report", () => {
  it("prints the text report: headline, Pareto sentences, tiers with shares, migrations and churn", async () => {
    const run = await runCli(["report", "--db", db]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Customer tiers as of January 1, 2026: run 3");
    expect(run.stdout).toContain("7 customers graded · revenue €256,000 · net contribution €256,000 · Gini 0.64");
    expect(run.stdout).toContain("the top 42.9% of customers bring 80% of revenue");
    expect(run.stdout).toMatch(/VIP\s+1\s+14\.3%\s+€150,000\s+58\.6%/);
    expect(run.stdout).toContain("VIP: 14.3% of customers, 58.6% of revenue");
    expect(run.stdout).toContain("1 upgraded, 1 downgraded, 4 stayed, 1 entered, 1 left");
    expect(run.stdout).toContain("at risk");
  });

  it("writes JSON (the Report object) and HTML files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-report-out-"));
    const json = join(dir, "r.json");
    const a = await runCli(["report", "--db", db, "--run", "2", "--format", "json", "--out", json]);
    expect(a.code).toBe(0);
    expect(a.stdout.trim()).toBe(`report: ${json} (run 2, as of 2025-10-01)`);
    const report = JSON.parse(readFileSync(json, "utf8"));
    expect(report.runId).toBe(2);
    expect(report.history.migrations.from.runId).toBe(1);

    const b = await runCli(["report", "--db", db, "--format", "html", "--locale", "de-DE"]);
    expect(b.code).toBe(0);
    const html = join(dirname(db), "report.html");
    expect(b.stdout.trim()).toBe(`report: ${html} (run 3, as of 2026-01-01)`); // the default run, named
    expect(existsSync(html)).toBe(true);
    expect(readFileSync(html, "utf8")).toContain("256.000");
  });

  it("refuses a malformed --crosstab and an unknown scheme", async () => {
    const bad = await runCli(["report", "--db", db, "--crosstab", "value-grades"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--crosstab takes two scheme names as "A x B"');
    const unknown = await runCli(["report", "--db", db, "--crosstab", "value-grades x nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe("error: UNKNOWN_SCHEME: scheme nope is not in run 3");
  });
});
