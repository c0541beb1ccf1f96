import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SIX, valuePolicy } from "../run/decisions/support.js";
import { grade, policyFile, seed } from "../run/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/** `tierwise diff`, `calibrate`, `actions` and `assign-reps` on the six customers of test/run/decisions/support.ts. */
describe("tierwise decision commands", () => {
  let db = "";
  let dir = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-decisions-cli-", (e) => seed(e, SIX));
    dir = await mkdtemp(join(tmpdir(), "tw-decisions-out-"));
  });

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
    expect(r.stdout).toMatch(/VIP\s+1\s+2\s+120,000\s+210,000\s+6,100\s+10,700\n/);
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

  it("diff --scheme CURRENT=PROPOSED: pairs differently named schemes, notes different windows, refuses unknown names", async () => {
    const current = await policyFile(valuePolicy(100000));
    const proposed = await policyFile(
      valuePolicy(80000)
        .replace("version: 1\n", "version: 1\nrevenue_window: 6 months\n")
        .replace("- name: value\n", "- name: value-ytd\n"),
    );
    const args = ["diff", "--policy", current, "--policy", proposed, "--as-of", "2026-01-01", "--db", db];
    const r = await runCli([...args, "--scheme", "value=value-ytd"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("value (current) against value-ytd (proposed)");
    expect(r.stdout).toContain(
      "note: revenue covers the last 12 months now and the last 6 months proposed (the policies' revenue_window)",
    );
    expect(r.stdout).toContain("1 would change tier, 5 would not");
    const unknown = await runCli([...args, "--scheme", "value=value-ydt"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("scheme value-ydt is not in the proposed policy");
    expect(unknown.stderr).toContain("did you mean value-ytd?");
    const malformed = await runCli([...args, "--scheme", "value"]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("--scheme takes CURRENT=PROPOSED");
  });

  it("calibrate: proposes thresholds, shows both distributions, writes the patch; refuses impossible targets", async () => {
    const policy = await policyFile(valuePolicy(100000));
    const out = join(dir, "patch.yaml");
    const r = await runCli([
      "calibrate",
      "--scheme",
      "value",
      "--customers",
      "VIP=30%,Gold=20%",
      "--policy",
      policy,
      "--as-of",
      "2026-01-01",
      "--out",
      out,
      "--db",
      db,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // 6 customers: the 2nd highest is 90,000 → 90,000 (2 of 6 = 33%); the 3rd (50% cumulative) 60,000 → 60,000.
    // the "now" table, then the "proposed" one
    expect(r.stdout).toMatch(/\nnow\n[\s\S]*\nVIP\s+≥ 100,000\s+1\s+16\.7%\s+39\.3%\n[\s\S]*\nproposed\n/);
    expect(r.stdout).toMatch(/\nproposed\n[\s\S]*\nVIP\s+≥ 90,000\s+2\s+33\.3%\s+68\.9%\s+30%\n/);
    expect(r.stdout).toContain(`patch written to ${out}`);
    expect(await readFile(out, "utf8")).toContain('  - name: "Gold"\n    min: 60000');
    const bad = await runCli([
      "calibrate",
      "--scheme",
      "value",
      "--customers",
      "VIP=70%,Gold=40%",
      "--policy",
      policy,
      "--db",
      db,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("CALIBRATION_IMPOSSIBLE");
    expect(bad.stderr).toContain("the targets sum to 110%, more than the whole");
  });

  it("calibrate: a tier short of customers with spend gets what they give, says so, and --write writes a policy that checks", async () => {
    const policy = await policyFile(valuePolicy(100000));
    const written = join(dir, "calibrated.yaml");
    const r = await runCli([
      "calibrate",
      "--scheme",
      "value",
      "--customers",
      "VIP=30%,Gold=20%,Silver=40%",
      "--policy",
      policy,
      "--as-of",
      "2026-01-01",
      "--out",
      join(dir, "short.patch.yaml"),
      "--write",
      written,
      "--db",
      db,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // 90% cumulative needs C6, who has nothing: Silver stops at the lowest spend, 5,000 (C4, C5: 33.3%).
    const [now = "", proposed = ""] = r.stdout.split("\nproposed\n");
    expect(now).toMatch(/\nSilver\s+≥ 20,000\s+1\s+16\.7%\s+[\d.]+%\n/);
    expect(proposed).toMatch(/\nSilver\s+≥ 5,000\s+2\s+33\.3%/);
    expect(now).toMatch(/\nRegular\s+> 0\s+1\s+16\.7%\s+[\d.]+%\n/);
    expect(proposed).toMatch(/\nRegular\s+> 0\s+0\s+0%/);
    expect(now).toMatch(/\nPotential\s+rest\s+1\s+16\.7%\s+[\d.]+%\n/);
    expect(proposed).toMatch(/\nPotential\s+rest\s+1\s+16\.7%/);
    expect(r.stdout).toContain(
      "note: Silver gets 33.3% of customers, not 40%: 16.7% of customers have no spend(12 months) above 0, and a bound never takes customers with nothing",
    );
    expect(r.stdout).toContain(`policy written to ${written}`);
    const text = await readFile(written, "utf8");
    expect(text).toContain("      - { name: Silver, min: 5000 } # calibrated; was min 20000");
    expect(text).toContain("    playbooks:");
    const check = await runCli(["policy", "check", written]);
    expect(check.stderr).toBe("");
    expect(check.code).toBe(0);
  });

  it("actions: writes the action lists of the latest run, by tier, and refuses a scheme without playbooks", async () => {
    const actionsDb = await seededStoreFile("tw-actions-cli-", async (e) => {
      await seed(e, SIX);
      await grade(e, { file: await policyFile(valuePolicy(100000)) });
    });
    const out = join(dir, "actions.csv");
    const r = await runCli(["actions", "--out", out, "--db", actionsDb]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote 9 action rows of run 1 (as of 2026-01-01; value) to ${out}`);
    expect(r.stdout).toMatch(/value\s+Gold\s+call\s+proactive service\s+2/);
    const rows = (await readFile(out, "utf8")).trimEnd().split("\n");
    expect(rows[0]).toBe(
      "customer_id,name,email,scheme,tier,action,detail,percent,cost,campaigns,service,rep_level,rep_id,rep_name",
    );
    expect(rows[1]).toBe("C1,,,value,VIP,call,premium service,,,vip-launch,premium,senior,,");
    expect(rows).toHaveLength(10);
    const silver = join(dir, "silver.csv");
    const s = await runCli(["actions", "--tier", "Silver", "--out", silver, "--json", "--db", actionsDb]);
    expect(s.code).toBe(0);
    expect((JSON.parse(s.stdout) as { rows: number }).rows).toBe(1);
    expect((await readFile(silver, "utf8")).trimEnd().split("\n")[1]).toBe(
      "C4,,,value,Silver,discount,coupon,2,,,,standard,,",
    );
    const typo = await runCli(["actions", "--tier", "Silvr", "--out", silver, "--db", actionsDb]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("UNKNOWN_TIER");
    expect(typo.stderr).toContain("did you mean Silver?");
    const plain = await runCli(["run", "--preset", "three-tier", "--as-of", "2026-01-01", "--db", actionsDb]);
    expect(plain.code).toBe(0);
    const none = await runCli(["actions", "--out", out, "--db", actionsDb]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("NO_PLAYBOOKS");
    const missing = await runCli(["actions", "--db", actionsDb]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("--out");
  });

  it("assign-reps: lists changes with reasons on a dry run, then records them", async () => {
    const repsDb = await seededStoreFile("tw-reps-cli-", async (e) => {
      await seed(e, {
        ...SIX,
        reps: [
          { rep_id: "R1", level: "senior", capacity: 1 },
          { rep_id: "R2", level: "key-account", capacity: 2 },
        ],
        customers: (SIX.customers ?? []).map((c) => ({ ...c, owner_rep_id: c["customer_id"] === "C1" ? "R2" : null })),
      });
      await grade(e, { file: await policyFile(valuePolicy(100000)) });
    });
    const dry = await runCli(["assign-reps", "--dry-run", "--db", repsDb]);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("value (run 1): VIP → senior, Gold → key-account, Silver → standard");
    expect(dry.stdout).toContain("0 kept their rep, 3 changes, 1 unassignable (dry run: nothing recorded)");
    expect(dry.stdout).toMatch(
      /C1\s+VIP\s+R2\s+R1\s+R2 is key-account, VIP needs senior; R1 \(senior\) had the lowest load/,
    );
    expect(dry.stdout).toMatch(/C4\s+Silver\s+\(none\)\s+had no rep; no standard rep or above has room/);
    const real = await runCli(["assign-reps", "--scheme", "value", "--json", "--db", repsDb]);
    expect(real.code).toBe(0);
    expect((JSON.parse(real.stdout) as { batchId?: number }).batchId).toBe(1);
  });
});
