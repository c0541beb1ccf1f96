import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { customers, valuePolicy } from "../run/decisions/support.js";
import { completedOrders, grade, policyFile, seed } from "../run/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/**
 * 26 Silver customers (rep level standard) of 30,000 each: C01 owned by R1
 * (kept), C02…C25 without a rep go to R1 (capacity 25), C26 finds no room.
 */
const IDS = Array.from({ length: 26 }, (_, i) => `C${String(i + 1).padStart(2, "0")}`);
const CHANGE_LINE = /^C\d\d\s+Silver\s+\(none\)\s+R1\s+had no rep; R1 \(standard\) had the lowest load$/;

describe("tierwise assign-reps: a summary, then the changes up to --limit", () => {
  let db = "";
  let dir = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-reps-limit-", async (e) => {
      await seed(e, {
        reps: [{ rep_id: "R1", level: "standard", capacity: 25 }],
        customers: customers(IDS, (id) => ({ owner_rep_id: id === "C01" ? "R1" : null })),
        orders: IDS.flatMap((id) => completedOrders(id, [["2025-06-01", 30_000]])),
      });
      await grade(e, { file: await policyFile(valuePolicy(100000)) });
    });
    dir = await mkdtemp(join(tmpdir(), "tw-reps-out-"));
  });

  const changeLines = (stdout: string) => stdout.split("\n").filter((l) => CHANGE_LINE.test(l));

  it("prints the summary and the first 20 changes by default, then how many more", async () => {
    const r = await runCli(["assign-reps", "--dry-run", "--db", db]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "26 customers considered: 1 kept their rep, 24 changes, 1 unassignable (dry run: nothing recorded)",
    );
    expect(r.stdout).toMatch(/\nstandard\s+26\s+1\s+24\s+1\n/);
    expect(r.stdout).toMatch(/\nR1\s+standard\s+24\s+0\s+25\s+25\s+100%\n/);
    expect(r.stdout).toContain("changes (first 20 of 24, by customer id):");
    const listed = changeLines(r.stdout);
    expect(listed.map((l) => l.slice(0, 3))).toEqual(IDS.slice(1, 21));
    expect(r.stdout).toContain("\n… and 4 more (use --limit N, --all or --out FILE)\n");
    expect(r.stdout).toMatch(/C26\s+Silver\s+\(none\)\s+had no rep; no standard rep or above has room/);
    expect(r.stdout.split("\n").length).toBeLessThan(45);
  });

  it("--limit 3 lists three, --limit 0 only the summary, --all every change", async () => {
    const three = await runCli(["assign-reps", "--dry-run", "--limit", "3", "--db", db]);
    expect(three.code).toBe(0);
    expect(changeLines(three.stdout)).toHaveLength(3);
    expect(three.stdout).toContain("changes (first 3 of 24, by customer id):");
    expect(three.stdout).toContain("… and 21 more (use --limit N, --all or --out FILE)");
    const zero = await runCli(["assign-reps", "--dry-run", "--limit", "0", "--db", db]);
    expect(zero.code).toBe(0);
    expect(changeLines(zero.stdout)).toEqual([]);
    expect(zero.stdout).toContain("changes: 24 (not listed; use --limit N, --all or --out FILE)");
    expect(zero.stdout).toContain("unassignable, no eligible rep has room: 1 (not listed;");
    const all = await runCli(["assign-reps", "--dry-run", "--all", "--db", db]);
    expect(all.code).toBe(0);
    expect(changeLines(all.stdout)).toHaveLength(24);
    expect(all.stdout).toContain("changes:\n");
    expect(all.stdout).not.toContain("more (");
  });

  it("--out writes every change and unassignable customer to a CSV", async () => {
    const out = join(dir, "changes.csv");
    const r = await runCli(["assign-reps", "--dry-run", "--out", out, "--db", db]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`… and 4 more (all in ${out})`);
    expect(r.stdout).toContain(`25 rows (every change and unassignable customer) written to ${out}`);
    const lines = (await readFile(out, "utf8")).trim().split("\n");
    expect(lines[0]).toBe("customer_id,tier,from_rep,to_rep,reason");
    expect(lines.slice(1)).toEqual([
      ...IDS.slice(1, 25).map((id) => `${id},Silver,,R1,had no rep; R1 (standard) had the lowest load`),
      "C26,Silver,,,had no rep; no standard rep or above has room",
    ]);
  });

  it("rejects --all with --limit, a negative limit and an unknown file type", async () => {
    const both = await runCli(["assign-reps", "--dry-run", "--all", "--limit", "3", "--db", db]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--all and --limit cannot be used together");
    const negative = await runCli(["assign-reps", "--dry-run", "--limit", "-1", "--db", db]);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain("--limit must be a whole number");
    const txt = await runCli(["assign-reps", "--dry-run", "--out", join(dir, "x.txt"), "--db", db]);
    expect(txt.code).toBe(1);
    expect(txt.stderr).toContain("EXPORT_FORMAT");
  });

  it("records every change; --json lists all of them unless --limit is given", async () => {
    const json = await runCli(["assign-reps", "--dry-run", "--json", "--db", db]);
    const dry = JSON.parse(json.stdout) as { changes: unknown[]; changed: number };
    expect([dry.changes.length, dry.changed]).toEqual([24, 24]);
    const real = await runCli(["assign-reps", "--limit", "2", "--json", "--db", db]);
    expect(real.code).toBe(0);
    const a = JSON.parse(real.stdout) as { batchId: number; changes: unknown[]; changed: number };
    expect([a.batchId, a.changes.length, a.changed]).toEqual([1, 2, 24]);
  });
});
