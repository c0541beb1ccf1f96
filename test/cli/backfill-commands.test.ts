import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

/** `tierwise backfill`, `tierwise policy history` and `tierwise run --policy-version` as a user types them. */
describe("tierwise backfill and policy versions", () => {
  let db = "";
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-backfill-cli-"));
    const data = join(dir, "data");
    await mkdir(data, { recursive: true });
    await writeFile(join(data, "customers.csv"), "customer_id,name,kind\nC1,Ana,b2c\nC2,Bea,b2b\n");
    await writeFile(
      join(data, "orders.csv"),
      [
        "order_id,customer_id,ordered_at,amount,status",
        "O1,C1,2025-06-01,100000,completed",
        "O2,C2,2025-11-15,30000,completed",
      ].join("\n"),
    );
    db = join(dir, "shop.duckdb");
    expect((await runCli(["ingest", data, "--db", db])).code).toBe(0);
  });

  it("writes one snapshot per month end, oldest first", async () => {
    const r = await runCli([
      "backfill",
      "--preset",
      "value-grades",
      "--from",
      "2025-08-31",
      "--to",
      "2025-12-31",
      "--every",
      "month",
      "--db",
      db,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.slice(0, 5).map((l) => /as of (\d{4}-\d\d-\d\d)/.exec(l)?.[1])).toEqual([
      "2025-08-31",
      "2025-09-30",
      "2025-10-31",
      "2025-11-30",
      "2025-12-31",
    ]);
    expect(lines[0]).toMatch(/^run 1 as of 2025-08-31, graded: value-grades 2$/);
    expect(lines[5]).toMatch(/^5 snapshots written in/);
  });

  it("rejects bad options with exit code 2", async () => {
    const base = ["backfill", "--preset", "value-grades", "--db", db];
    const after = await runCli([...base, "--from", "2025-12-31", "--to", "2025-01-01", "--every", "month"]);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain("--from 2025-12-31 is after --to 2025-01-01");
    const every = await runCli([...base, "--from", "2025-01-01", "--to", "2025-12-31", "--every", "day"]);
    expect(every.code).toBe(2);
    expect(every.stderr).toContain("--every must be week, month or quarter");
    const many = await runCli([...base, "--from", "2000-01-01", "--to", "2025-12-31", "--every", "week"]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain("more than 520 snapshots");
    const missing = await runCli(["backfill", "--preset", "value-grades", "--db", db, "--from", "2025-01-01"]);
    expect(missing.code).toBe(2);
  });

  it("lists policy versions and re-runs one by hash prefix", async () => {
    expect((await runCli(["run", "--preset", "rfm", "--as-of", "2026-01-01", "--db", db])).code).toBe(0);
    const json = await runCli(["policy", "history", "--json", "--db", db]);
    expect(json.code).toBe(0);
    const versions = JSON.parse(json.stdout) as {
      policyHash: string;
      runs: { runId: number; asOf: string }[];
      schemes: { name: string }[];
    }[];
    expect(versions.map((v) => [v.schemes.map((s) => s.name), v.runs.map((r) => r.runId)])).toEqual([
      [["value-grades"], [1, 2, 3, 4, 5]],
      [["rfm"], [6]],
    ]);
    const text = await runCli(["policy", "history", "--db", db]);
    expect(text.stdout).toContain(`${versions[0]?.policyHash.slice(0, 12)} used `);
    expect(text.stdout).toContain("runs: 1 (as of 2025-08-31), 2 (as of 2025-09-30), 3 (as of 2025-10-31)");

    const prefix = versions[0]?.policyHash.slice(0, 8) ?? "";
    const again = await runCli(["run", "--policy-version", prefix, "--as-of", "2026-01-01", "--db", db, "--json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ runId: 7, policyHash: versions[0]?.policyHash });

    const unknown = await runCli(["run", "--policy-version", "00000000", "--db", db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("POLICY_VERSION_NOT_FOUND");
    const both = await runCli(["run", "--policy-version", prefix, "--preset", "rfm", "--db", db]);
    expect(both.code).toBe(2);
  });
});
