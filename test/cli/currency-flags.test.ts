import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { displayWidth } from "../../src/cli/text-table.js";
import { type FixtureRow, seed } from "../run/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/**
 * `--currency`, `--scale` and `--policy-overlay` through the CLI: what is
 * refused and how, and that every output showing money names the currency.
 * value-grades at scale 0.1: VIP >= 10,000, Gold >= 5,000, Silver >= 2,000.
 */
const order = (id: string, customer: string, amount: number): FixtureRow => ({
  order_id: id,
  customer_id: customer,
  ordered_at: "2025-06-01 12:00:00",
  amount,
  status: "completed",
});

const FIXTURE = {
  customers: ["A", "B", "C", "D"].map((customer_id) => ({ customer_id, created_at: "2024-01-01 00:00:00" })),
  orders: [order("o1", "A", 10000), order("o2", "B", 9999.99), order("o3", "C", 2000), order("o4", "D", 1999.99)],
};

const AS_OF = ["--as-of", "2026-01-01"];

async function overlay(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), "tw-overlay-")), "gbp.yaml");
  await writeFile(file, text);
  return file;
}

/** As on an 80-column terminal: prose is fitted to it (off a terminal whole lines are kept for grep). */
const TERM = { COLUMNS: "80" };
const fits = (text: string) => text.split("\n").filter((l) => displayWidth(l) > 80);

describe("--currency and --scale are checked", () => {
  it("refuses an unknown currency with the code probably meant, and a scale that is not positive (exit 2)", async () => {
    const misspelt = await runCli(["run", "--preset", "value-grades", "--currency", "GPB"]);
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toBe("error: --currency: unknown currency GPB (did you mean GBP?)\n");
    const unknown = await runCli(["diff", "--policy", "abc", "--policy", "rfm", "--currency", "ZZZ"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown currency ZZZ (an ISO 4217 code such as EUR, GBP or USD)");
    for (const scale of ["0", "-1", "tenth"]) {
      const bad = await runCli(["run", "--preset", "value-grades", "--scale", scale]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe(`error: --scale must be a positive number such as 0.1, got "${scale}"\n`);
    }
  });

  it("policy check locates an unknown currency in a policy file", async () => {
    const file = await overlay(
      "version: 1\ncurrency: GPB\nschemes:\n  - { name: a, kind: thresholds, metric: spend(12 months), tiers: [{ name: x }] }\n",
    );
    const r = await runCli(["policy", "check", file]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("gbp.yaml:2:11 POLICY_CURRENCY unknown currency GPB (did you mean GBP?)");
  });

  it("locates every problem of an overlay file: only currency, scale and locale may be overlaid", async () => {
    const file = await overlay("currency: GBP\nsacle: 0.1\nlocale: en_GB\n");
    const r = await runCli(["run", "--preset", "value-grades", "--policy-overlay", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "gbp.yaml:2:1 POLICY_SHAPE sacle cannot be overlaid: an overlay holds only currency, scale, locale (did you mean scale?)",
    );
    expect(r.stderr).toContain("gbp.yaml:3:9 POLICY_LOCALE unknown locale en_GB (did you mean en-GB?)");
  });
});

describe("every output that shows money names the currency used", () => {
  it("run, runs, explain, report, calibrate, diff, backfill, churn and migrations say GBP after --currency GBP --scale 0.1", async () => {
    const db = await seededStoreFile("tw-currency-", (e) => seed(e, FIXTURE));
    const store = ["--db", db];
    const ran = await runCli(
      ["run", "--preset", "value-grades", "--currency", "GBP", "--scale", "0.1", ...AS_OF, ...store],
      TERM,
    );
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/tier +customers +share +revenue \(GBP\)/);
    expect(ran.stdout).toMatch(/VIP +1 /);
    expect(ran.stdout).toMatch(/Gold +1 /);

    const runs = await runCli(["runs", ...store], TERM);
    expect(runs.stdout).toMatch(/ 1 {2}2026-01-01 {2}[0-9a-f]{8} GBP /);
    expect(JSON.parse((await runCli(["runs", "--json", ...store], TERM)).stdout)[0].currency).toBe("GBP");

    const explained = await runCli(["explain", "A", ...store], TERM);
    expect(explained.stdout).toContain("A in run 1 as of 2026-01-01, amounts in GBP");

    const html = join(db, "..", "report.html");
    expect((await runCli(["report", "--format", "html", "--out", html, ...store], TERM)).code).toBe(0);
    expect(readFileSync(html, "utf8")).toContain("amounts in GBP");
    // the amounts are the store's; --currency only names them otherwise
    const relabelled = await runCli(["report", "--currency", "usd", ...store], TERM);
    expect(relabelled.stdout.replace(/\s+/g, " ")).toContain("amounts in USD"); // the headline may wrap at 80 columns
    expect(relabelled.stdout).toContain("$");

    const calibrated = await runCli(
      [
        "calibrate",
        "--scheme",
        "value-grades",
        "--customers",
        "VIP=25%",
        "--out",
        join(db, "..", "patch.yaml"),
        ...AS_OF,
        ...store,
      ],
      TERM,
    );
    expect(calibrated.code).toBe(0);
    expect(calibrated.stdout).toContain("bounds as the policy writes them: × scale 0.1 gives GBP");
    expect(calibrated.stdout).toMatch(/VIP +≥ 100,000 +1 /);

    const diff = await runCli(
      [
        "diff",
        "--policy",
        "value-grades",
        "--policy",
        "value-grades",
        "--currency",
        "GBP",
        "--scale",
        "0.1",
        ...AS_OF,
        ...store,
      ],
      TERM,
    );
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain("yearly benefit cost (GBP)");
    // earlier snapshots by backfill, in pounds too: churn names the currency of its revenue lost
    const back = ["--preset", "value-grades", "--currency", "GBP", "--scale", "0.1", "--every", "quarter"];
    const filled = await runCli(["backfill", ...back, "--from", "2025-06-30", "--to", "2025-09-30", ...store], TERM);
    expect(filled.code).toBe(0);
    const churn = await runCli(["churn", "--scheme", "value-grades", "--every", "quarter", ...store], TERM);
    expect(churn.code).toBe(0);
    expect(churn.stdout).toContain("amounts in GBP");
    const moved = await runCli(["migrations", "--scheme", "value-grades", ...store], TERM);
    expect(moved.code).toBe(0);
    expect(moved.stdout.replace(/\n\s+/g, " ")).toContain("revenue (GBP): of the from-tier's customers");
    for (const out of [ran.stdout, runs.stdout, explained.stdout, calibrated.stdout, diff.stdout, churn.stdout])
      expect(fits(out)).toEqual([]);
  });

  it("an overlay file grades like the flags, a flag wins over the overlay, and a recorded version takes them too", async () => {
    const db = await seededStoreFile("tw-overlay-", (e) => seed(e, FIXTURE));
    const file = await overlay("# pounds, a tenth of the preset's bounds\ncurrency: GBP\nscale: 0.1\n");
    const r = await runCli([
      "run",
      "--preset",
      "value-grades",
      "--policy-overlay",
      file,
      "--currency",
      "USD",
      ...AS_OF,
      "--db",
      db,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("revenue (USD)");
    expect(r.stdout).toMatch(/VIP +1 /);
    expect(r.stdout).toMatch(/Gold +1 /);
    expect(r.stdout).toMatch(/Silver +1 /);
    // a recorded policy version re-run at its own scale but named in euros: a new version, the same grades
    const [recorded] = JSON.parse((await runCli(["runs", "--json", "--db", db])).stdout) as { policyHash: string }[];
    const again = await runCli([
      "run",
      "--policy-version",
      (recorded?.policyHash ?? "").slice(0, 12),
      "--currency",
      "EUR",
      ...AS_OF,
      "--db",
      db,
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("revenue (EUR)");
    expect(again.stdout).toMatch(/Silver +1 /);
    const versions = JSON.parse((await runCli(["runs", "--json", "--db", db])).stdout) as { policyHash: string }[];
    expect(new Set(versions.map((v) => v.policyHash)).size).toBe(2);
  });

  it("demo grades and reports in the currency given", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "tw-demo-gbp-"));
    const demo = await runCli(["demo", "--customers", "50", "--currency", "GBP", "--scale", "0.1", ...AS_OF], {}, cwd);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain("revenue (GBP)");
    expect(readFileSync(join(cwd, "tierwise-demo", "report.html"), "utf8")).toContain("amounts in GBP");
  });
});
