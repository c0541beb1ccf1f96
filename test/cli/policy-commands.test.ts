import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

/**
 * The policy commands as a user types them: run, explain, override, rate,
 * export, policy check/schema, on a small hand-made store.
 */
describe("tierwise policy commands", () => {
  let dir = "";
  let db = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tw-policy-cli-"));
    const data = join(dir, "data");
    await mkdir(data, { recursive: true });
    await writeFile(
      join(data, "customers.csv"),
      "customer_id,name,kind\nC1,Ana,b2c\nC2,Bea,b2b\nC3,黄金客户,b2c\nC4,Dan,b2c\n",
    );
    await writeFile(
      join(data, "orders.csv"),
      [
        "order_id,customer_id,ordered_at,amount,status",
        "O1,C1,2025-06-01,100000,completed", // exactly 100,000: VIP
        "O2,C2,2025-06-01,99999.99,completed", // one cent under: Gold
        "O3,C3,2025-01-01,20000,completed", // first day of the 12-month window: Silver
        "O4,C4,2024-12-31,50000,completed", // the day before the window: Potential
      ].join("\n"),
    );
    db = join(dir, "shop.duckdb");
    const ingest = await runCli(["ingest", data, "--db", db]);
    expect(ingest.code).toBe(0);
  });

  it("runs a preset and prints tiers with shares of customers and revenue", async () => {
    const r = await runCli(["run", "--preset", "value-grades", "--as-of", "2026-01-01", "--db", db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/VIP\s+1\s+25%\s+100,000\.00\s+45\.5%/);
    expect(r.stdout).toMatch(/Gold\s+1\s+25%\s+99,999\.99/);
    expect(r.stdout).toMatch(/Silver\s+1\s+25%/);
    expect(r.stdout).toMatch(/Potential\s+1\s+25%\s+0\.00/);
    const json = await runCli(["run", "--preset", "value-grades", "--as-of", "2026-01-01", "--db", db, "--json"]);
    const parsed = JSON.parse(json.stdout) as {
      runId: number;
      schemes: { tiers: { tier: string; entities: number }[] }[];
    };
    expect(parsed.runId).toBe(2);
    expect(parsed.schemes[0]?.tiers.map((t) => t.entities)).toEqual([1, 1, 1, 0, 1]);
  });

  it("explains a grade with the distance to the next tier", async () => {
    const r = await runCli(["explain", "C2", "--db", db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("value-grades: Gold");
    expect(r.stdout).toContain("up: needs 0.01 more spend(12 months) for VIP");
    expect(r.stdout).toContain("down: drops to Silver below 50,000");
    const missing = await runCli(["explain", "NOPE", "--db", db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("UNKNOWN_ENTITY");
  });

  it("applies a floor override at the next run and keeps an audit trail", async () => {
    const set = await runCli([
      "override",
      "set",
      "C4",
      "--scheme",
      "value-grades",
      "--tier",
      "Gold",
      "--mode",
      "floor",
      "--reason",
      "key account",
      "--by",
      "maria",
      "--db",
      db,
    ]);
    expect(set.code).toBe(0);
    const bad = await runCli([
      "override",
      "set",
      "C4",
      "--scheme",
      "value-grades",
      "--tier",
      "Gld",
      "--mode",
      "floor",
      "--reason",
      "x",
      "--db",
      db,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("UNKNOWN_TIER");
    const r = await runCli(["run", "--preset", "value-grades", "--as-of", "2026-01-01", "--db", db, "--json"]);
    const parsed = JSON.parse(r.stdout) as { schemes: { tiers: { tier: string; entities: number }[] }[] };
    expect(parsed.schemes[0]?.tiers.map((t) => t.entities)).toEqual([1, 2, 1, 0, 0]);
    const e = await runCli(["explain", "C4", "--db", db, "--json"]);
    const ex = JSON.parse(e.stdout) as {
      schemes: { tier: string; naturalTier: string; ruleId: string; override: { by: string } }[];
    };
    expect(ex.schemes[0]).toMatchObject({
      tier: "Gold",
      naturalTier: "Potential",
      ruleId: "override:floor",
      override: { by: "maria" },
    });
    const list = await runCli(["override", "list", "--db", db]);
    expect(list.stdout).toMatch(/1\s+value-grades\s+C4\s+floor\s+Gold/);
    const removed = await runCli(["override", "remove", "1", "--by", "maria", "--db", db]);
    expect(removed.code).toBe(0);
    const log = await runCli(["override", "list", "--log", "--json", "--db", db]);
    expect((JSON.parse(log.stdout) as { action: string }[]).map((l) => l.action)).toEqual(["set", "removed"]);
  });

  it("records a prospects rating and refuses one out of range", async () => {
    expect((await runCli(["rate", "C2", "--prospects", "5", "--by", "sam", "--db", db])).code).toBe(0);
    const bad = await runCli(["rate", "C2", "--prospects", "9", "--db", db]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("from 1 to 5");
  });

  it("exports a run with tier names in any script unchanged", async () => {
    await runCli(["run", "--preset", "value-grades", "--as-of", "2026-01-01", "--db", db]);
    const out = join(dir, "grades.csv");
    const r = await runCli(["export", "--out", out, "--db", db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote 4 rows of run \d+ \(as of 2026-01-01; value-grades\) to /); // the default run, named
    const text = await readFile(out, "utf8");
    expect(text.split("\n")[0]).toBe("entity_id,scheme,tier,tier_rank,score");
    expect(text).toContain("C1,value-grades,VIP,1,100000");
    const json = join(dir, "grades.json");
    await runCli(["export", "--out", json, "--db", db]);
    expect((JSON.parse(await readFile(json, "utf8")) as unknown[]).length).toBe(4);
    // value-grades is the customer-facing preset (members see their grade); the ladder is internal.
    const facing = await runCli([
      "export",
      "--out",
      join(dir, "cf.csv"),
      "--visibility",
      "customer-facing",
      "--db",
      db,
    ]);
    expect(facing.stdout).toContain("wrote 4 rows");
    const internal = await runCli(["export", "--out", join(dir, "in.csv"), "--visibility", "internal", "--db", db]);
    expect(internal.stdout).toContain("wrote 0 rows");
    const bad = await runCli(["export", "--out", join(dir, "x.xlsx"), "--db", db]);
    expect(bad.stderr).toContain("EXPORT_FORMAT");
  });

  it("checks a policy file and reports every problem with line and column", async () => {
    const file = join(dir, "policy.yaml");
    await writeFile(
      file,
      [
        "version: 1",
        "schemes:",
        "  - name: 黄金客户",
        "    kind: thresholds",
        "    metric: spnd(12 months)",
        "    tiers:",
        "      - { name: Gold, min: 100 }",
        "      - { name: Első szint, min: 200 }",
        "      - { name: Tingkat Tiga }",
      ].join("\n"),
    );
    const r = await runCli(["policy", "check", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:5:13 EXPR_UNKNOWN_FUNCTION there is no function spnd (did you mean spend?)`);
    expect(r.stderr).toContain(
      `${file}:8:9 POLICY_UNREACHABLE_TIER tier \`Első szint\` is unreachable: its rule is covered by \`Gold\` above`,
    );
    const good = await runCli(["policy", "check", join("presets", "b2b-scorecard.yaml")]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("ok: b2b-scorecard (scorecard, 4 tiers)");
    const schema = await runCli(["policy", "schema"]);
    const parsed = JSON.parse(schema.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(parsed.properties)).toEqual(expect.arrayContaining(["version", "schemes", "metrics", "scale"]));
  });

  it("prints shape and meaning problems of every part of a policy in one run", async () => {
    const file = join(dir, "one-pass.yaml");
    await writeFile(
      file,
      [
        "version: 1",
        "currency: EURO",
        "schemes:",
        "  - name: grades",
        "    kind: thresholds",
        "    metric: spend(6 monhts)",
        "    lifecycle: { grace_day: 30 }",
        "    tiers: [{ name: VIP, min: 100 }, { name: Gold, min: 150 }, { name: Rest }]",
      ].join("\n"),
    );
    const r = await runCli(["policy", "check", file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `error: ${file}:2:11 POLICY_SHAPE currency: an ISO 4217 code such as EUR`,
      `error: ${file}:6:21 EXPR_BAD_LITERAL unknown time unit 'monhts' in '6 monhts' (did you mean months?)`,
      `error: ${file}:7:18 POLICY_SHAPE unknown key \`grace_day\` in schemes.0.lifecycle (did you mean grace_days?)`,
      `error: ${file}:8:38 POLICY_UNREACHABLE_TIER tier \`Gold\` is unreachable: its rule is covered by \`VIP\` above (a lower tier needs a min or above below 100)`,
      "4 problems in the policy",
    ]);
  });

  it("refuses a run without a policy with a usage error", async () => {
    const r = await runCli(["run", "--db", db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--preset");
    const unknown = await runCli(["run", "--preset", "value-grade", "--db", db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("did you mean value-grades");
  });
});

describe("ingest --policy", () => {
  it("takes the mapping file the policy names, relative to the policy", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-policy-mapping-"));
    const data = join(dir, "exports");
    await mkdir(data, { recursive: true });
    await writeFile(join(data, "customers.csv"), "kunde\nK1\n");
    await writeFile(join(data, "orders.csv"), "nr,kunde,datum,betrag\nA1,K1,2025-06-01,10\n");
    await writeFile(
      join(dir, "shop.mapping.yaml"),
      [
        "tables:",
        "  customers:",
        "    columns: { customer_id: kunde }",
        "  orders:",
        "    columns: { order_id: nr, customer_id: kunde, ordered_at: datum, amount: betrag }",
      ].join("\n"),
    );
    await writeFile(
      join(dir, "policy.yaml"),
      [
        "version: 1",
        "mapping: shop.mapping.yaml",
        "schemes:",
        "  - { name: all, kind: quantiles, metric: spend(lifetime), tiers: [{ name: top, top: 50 }, { name: rest }] }",
      ].join("\n"),
    );
    const db = join(dir, "shop.duckdb");
    const r = await runCli(["ingest", data, "--policy", join(dir, "policy.yaml"), "--db", db, "--json"]);
    expect(r.stderr).toBe("");
    const result = JSON.parse(r.stdout) as { tables: { table: string; inserted: number }[] };
    expect(result.tables.map((t) => [t.table, t.inserted])).toEqual([
      ["customers", 1],
      ["orders", 1],
    ]);
  });
});

describe("the policy's locale in the terminal", () => {
  it("formats run and explain numbers the de-DE way, and keeps --json plain", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-policy-locale-"));
    const data = join(dir, "data");
    await mkdir(data, { recursive: true });
    await writeFile(join(data, "customers.csv"), "customer_id\nC1\nC2\n");
    await writeFile(
      join(data, "orders.csv"),
      "order_id,customer_id,ordered_at,amount,status\nO1,C1,2025-06-01,2763.06,completed\nO2,C2,2025-06-01,12000,completed\n",
    );
    const db = join(dir, "shop.duckdb");
    expect((await runCli(["ingest", data, "--db", db])).code).toBe(0);
    const policy = join(dir, "policy.yaml");
    await writeFile(
      policy,
      [
        "version: 1",
        "locale: de-DE",
        "schemes:",
        "  - name: grades",
        "    kind: thresholds",
        "    metric: spend(12 months)",
        "    tiers: [{ name: Gold, min: 10000.5 }, { name: Silver, min: 1500.75 }, { name: Rest }]",
      ].join("\n"),
    );
    const run = await runCli(["run", "--policy", policy, "--as-of", "2026-01-01", "--db", db]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Silver\s+1\s+50\u00a0%\s+2\.763,06\s+18,7\u00a0%/);
    const e = await runCli(["explain", "C1", "--db", db]);
    expect(e.stdout).toContain("spend(12 months) = 2.763,06");
    expect(e.stdout).toContain("up: needs 7.237,44 more spend(12 months) for Gold");
    expect(e.stdout).toContain("down: drops to Rest below 1.500,75");
    const json = JSON.parse((await runCli(["explain", "C1", "--db", db, "--json"])).stdout) as {
      locale: string;
      schemes: { values: { value: number }[] }[];
    };
    expect(json.locale).toBe("de-DE");
    expect(json.schemes[0]?.values[0]?.value).toBe(2763.06);
  });
});
