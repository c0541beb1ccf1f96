import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ingestCdnowSample } from "../run/clv/support.js";
import { insertRows, policyFile } from "../run/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

const WIDE = /^.{81,}$/m;

/**
 * `tierwise clv` answering honestly on the CDNOW sample: identification
 * diagnostics, `--prior weak` where the plain fit degenerates (calibration
 * to 1997-02-07: 1,006 customers, 118 repeat buyers, a → 0, b → ∞), the
 * customer named when a refund leaves repeat purchases worth 0, and no
 * duplicate model on a refit.
 */
describe("tierwise clv on hard data", () => {
  let db = "";
  let refunded = "";
  let dir = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-clv-honest-", ingestCdnowSample);
    // Customer 7 of the sample bought 11.77 on 1997-01-01 and again on 1997-02-05; refund the repeat in full.
    refunded = await seededStoreFile("tw-clv-refund-", async (engine) => {
      await ingestCdnowSample(engine);
      await insertRows(engine, "orders", [
        {
          order_id: "refund",
          customer_id: "7",
          ordered_at: "1997-02-06 12:00:00",
          amount: -11.77,
          status: "completed",
        },
      ]);
    });
    dir = await mkdtemp(join(tmpdir(), "tw-clv-honest-out-"));
  });

  it("fit states estimate, standard error, their ratio, the condition number and a verdict, at 80 columns", async () => {
    const r = await runCli(["clv", "fit", "--calibration-end", "1997-09-30", "--db", db], { COLUMNS: "80" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/parameter\s+estimate\s+std\. error\s+error\/estimate/);
    expect(r.stdout).toMatch(/^a\s+0\.7929\s+0\.18\d\d\s+0\.23$/m);
    expect(r.stdout).toContain("condition number 1.6e+2: well identified");
    expect(r.stdout).not.toMatch(WIDE);

    const again = await runCli(["clv", "fit", "--calibration-end", "1997-09-30", "--json", "--db", db]);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as {
      models: { modelId: number; unchanged: boolean; prior: string; identification: { verdict: string } }[];
    };
    expect(report.models.map((m) => [m.modelId, m.unchanged, m.prior, m.identification.verdict])).toEqual([
      [1, true, "none", "well identified"],
      [2, true, "none", "well identified"],
    ]);
    const text = await runCli(["clv", "fit", "--calibration-end", "1997-09-30", "--db", db]);
    expect(text.stdout).toContain("unchanged: BG/NBD (model 1)");
    expect(text.stdout).toContain("unchanged: Gamma-Gamma (model 2)");
  });

  it("where the plain fit degenerates, the error suggests --prior weak, which fits and validates", async () => {
    const plain = await runCli(["clv", "fit", "--model", "bgnbd", "--calibration-end", "1997-02-07", "--db", db]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error: CLV_DEGENERATE: .*fit with --prior weak for a regularised estimate/);

    const weak = await runCli(
      ["clv", "fit", "--model", "bgnbd", "--prior", "weak", "--calibration-end", "1997-02-07", "--db", db],
      { COLUMNS: "80" },
    );
    expect(weak.stderr).toBe("");
    expect(weak.code).toBe(0);
    const prose = weak.stdout.replace(/\s+/g, " ");
    expect(prose).toContain("maximum a posteriori, weak priors;");
    expect(prose).toContain(
      "weakly identified: a's and b's standard errors exceed their estimates — the data cannot tell how fast customers leave; the prior, not the data, sets it; consider a longer calibration period",
    );
    expect(weak.stdout).not.toMatch(WIDE);

    const args = ["clv", "validate", "--calibration-end", "1997-02-07", "--holdout-end", "1997-09-30"];
    const chart = join(dir, "v.svg");
    const failed = await runCli([...args, "--chart", chart, "--db", db]);
    expect(failed.code).toBe(1);
    const validated = await runCli([...args, "--prior", "weak", "--chart", chart, "--db", db]);
    expect(validated.stderr).toBe("");
    expect(validated.code).toBe(0);
    expect(validated.stdout).toMatch(/^total\s+1,006\s+979\s/m);

    // predict from the latest purchase model (the weak-prior fit above) says it is weakly identified.
    const predicted = await runCli(["clv", "predict", "--out", join(dir, "p.csv"), "--db", db]);
    expect(predicted.code).toBe(0);
    expect(predicted.stdout).toMatch(/^warning: model \d+ is weakly identified: a's and b's standard errors/m);
  });

  it("names the customer whose repeat purchases a refund brought to 0, and --exclude-nonpositive leaves them out", async () => {
    const r = await runCli(["clv", "fit", "--calibration-end", "1997-09-30", "--db", refunded]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: CLV_NONPOSITIVE_SPEND: customer 7 has repeat purchases worth 0; Gamma-Gamma needs positive spend — exclude such customers with --exclude-nonpositive/,
    );
    const none = await runCli(["clv", "fit", "--calibration-end", "1997-09-30", "--json", "--db", refunded]);
    expect(none.code).toBe(1);
    const ok = await runCli([
      "clv",
      "fit",
      "--calibration-end",
      "1997-09-30",
      "--exclude-nonpositive",
      "--json",
      "--db",
      refunded,
    ]);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as { models: { modelId: number; model: string; customers: number }[] };
    // Model ids start at 1: the failed fits stored nothing.
    expect(report.models.map((m) => [m.modelId, m.model, m.customers])).toEqual([
      [1, "bgnbd", 2357],
      [2, "gamma-gamma", 945],
    ]);
  });

  it("run prints the warning and explain says it next to p_alive", async () => {
    const policy = await policyFile(`version: 1
time_zone: UTC
clv: { model: bgnbd, time_unit: week }
schemes:
  - name: alive
    kind: thresholds
    metric: p_alive
    tiers: [{ name: Likely, min: 0.5 }, { name: Unlikely }]
`);
    const run = await runCli(["run", "--policy", policy, "--as-of", "1997-02-22", "--db", db], { COLUMNS: "80" });
    expect(run.code).toBe(0);
    expect(run.stdout.replace(/\s+/g, " ")).toContain(
      "warning: the CLV model (BG/NBD) is weakly identified: a's and b's standard errors exceed their estimates",
    );
    const explained = await runCli(["explain", "1", "--db", db], { COLUMNS: "80" });
    expect(explained.code).toBe(0);
    const lines = explained.stdout.split("\n");
    const value = lines.findIndex((l) => l.startsWith("  p_alive = "));
    expect(value).toBeGreaterThan(0);
    expect(lines[value + 1]).toMatch(/^ {2}note: the CLV model \(BG\/NBD\) is weakly identified/);
    expect(explained.stdout).not.toMatch(WIDE);
  });
});
