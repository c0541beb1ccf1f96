import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_COLUMNS, writeActions } from "../../../src/decisions/actions.js";
import type { Engine } from "../../../src/engine/engine.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { grade, memoryStore, policyFile, seed } from "../support.js";
import { SIX, valuePolicy } from "./support.js";

/** A second customer scheme without playbooks. */
const PLAIN = `  - name: plain
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: Big, min: 50000 }
      - { name: Small }
`;

const HEADER =
  "customer_id,name,email,scheme,tier,action,detail,percent,cost,campaigns,service,rep_level,rep_id,rep_name";

/** Names and emails that must reach a spreadsheet as text: a formula, a comma and quotes, a line break, a leading @. */
const CONTACT: Readonly<Record<string, { name: string; email: string | null }>> = {
  C1: { name: "=SUM(A1:A2)", email: "ana@example.com" },
  C2: { name: 'Lee, "Bo"', email: "bo@example.com" },
  C3: { name: "Cy\nSecond line", email: null },
  C4: { name: "@Dee", email: "dee@example.com" },
};
const REP_NAMES: Readonly<Record<string, string>> = { R1: "-Ray", R2: "Rob", R3: "Rex", R9: "Rita" };

/**
 * SIX graded by `value` (test/run/decisions/support.ts): C1 VIP, C2 and C3
 * Gold, C4 Silver, C5 Regular, C6 Potential. Playbooks: VIP premium service,
 * 5% member prices, a 100 birthday gift, campaign vip-launch; Gold proactive
 * service and a 50 fixed benefit; Silver a 2% coupon; Regular and Potential
 * none. Reps: C1's owner is R2 but a later assignment gave R9; C2 owned by
 * R1, C4 by R3; C3 has none. In the CSV, names starting with = @ - get an
 * apostrophe (not formulas), and fields with commas, quotes or line breaks
 * are quoted.
 */
const ALL = [
  HEADER,
  "C1,'=SUM(A1:A2),ana@example.com,value,VIP,call,premium service,,,vip-launch,premium,senior,R9,Rita",
  "C1,'=SUM(A1:A2),ana@example.com,value,VIP,discount,member prices,5,,vip-launch,premium,senior,R9,Rita",
  "C1,'=SUM(A1:A2),ana@example.com,value,VIP,gift,birthday gift,,100,vip-launch,premium,senior,R9,Rita",
  "C1,'=SUM(A1:A2),ana@example.com,value,VIP,campaign,vip-launch,,,vip-launch,premium,senior,R9,Rita",
  'C2,"Lee, ""Bo""",bo@example.com,value,Gold,call,proactive service,,,,proactive,key-account,R1,\'-Ray',
  'C2,"Lee, ""Bo""",bo@example.com,value,Gold,fixed,faster service,,50,,proactive,key-account,R1,\'-Ray',
  'C3,"Cy\nSecond line",,value,Gold,call,proactive service,,,,proactive,key-account,,',
  'C3,"Cy\nSecond line",,value,Gold,fixed,faster service,,50,,proactive,key-account,,',
  "C4,'@Dee,dee@example.com,value,Silver,discount,coupon,2,,,,standard,R3,Rex",
];
const csv = (rows: readonly string[]) => `${rows.join("\n")}\n`;

describe("actions", () => {
  let engine: Engine;
  let dir: string;
  const owners: Readonly<Record<string, string>> = { C1: "R2", C2: "R1", C4: "R3" };
  beforeAll(async () => {
    engine = await memoryStore();
    dir = await mkdtemp(join(tmpdir(), "tw-actions-"));
    await seed(engine, {
      ...SIX,
      reps: ["R1", "R2", "R3", "R9"].map((rep_id) => ({ rep_id, level: "senior", name: REP_NAMES[rep_id] ?? null })),
      customers: (SIX.customers ?? []).map((c) => ({
        ...c,
        ...CONTACT[String(c["customer_id"])],
        owner_rep_id: owners[String(c["customer_id"])] ?? null,
      })),
    });
    await engine.exec(
      sql`INSERT INTO ${ident("tw_rep_assignments")} (batch_id, assigned_at, run_id, scheme, customer_id, rep_id, previous_rep_id, reason)
      VALUES (1, CAST(${"2025-12-01 00:00:00"} AS TIMESTAMP), 0, CAST(${"value"} AS VARCHAR), CAST(${"C1"} AS VARCHAR),
        CAST(${"R9"} AS VARCHAR), CAST(${"R2"} AS VARCHAR), CAST(${"test"} AS VARCHAR))`,
    );
    await grade(engine, { file: await policyFile(valuePolicy(100000, PLAIN)) });
  });
  afterAll(async () => engine.close());

  const text = (path: string) => readFile(path, "utf8");

  it("writes one row per customer and action of every scheme with playbooks; tiers without actions have none", async () => {
    const out = join(dir, "all.csv");
    const r = await writeActions(engine, { out });
    expect(r.runId).toBe(1);
    expect(r.schemes).toEqual(["value"]);
    expect(await text(out)).toBe(csv(ALL));
    expect(r.columns).toEqual(HEADER.split(","));
    expect(r.columns).toEqual([...ACTION_COLUMNS]);
    expect(r.rows).toBe(9);
    expect(r.counts).toEqual([
      { scheme: "value", tier: "VIP", action: "call", detail: "premium service", customers: 1 },
      { scheme: "value", tier: "VIP", action: "discount", detail: "member prices", customers: 1 },
      { scheme: "value", tier: "VIP", action: "gift", detail: "birthday gift", customers: 1 },
      { scheme: "value", tier: "VIP", action: "campaign", detail: "vip-launch", customers: 1 },
      { scheme: "value", tier: "Gold", action: "call", detail: "proactive service", customers: 2 },
      { scheme: "value", tier: "Gold", action: "fixed", detail: "faster service", customers: 2 },
      { scheme: "value", tier: "Silver", action: "discount", detail: "coupon", customers: 1 },
    ]);
  });

  it("filters by tier; a tier without a playbook gives only the header", async () => {
    const gold = join(dir, "gold.csv");
    const r = await writeActions(engine, { out: gold, scheme: "value", tier: "Gold" });
    expect(await text(gold)).toBe(csv([HEADER, ...ALL.filter((l) => l.includes(",Gold,"))]));
    expect(r.rows).toBe(4);
    const regular = join(dir, "regular.csv");
    const none = await writeActions(engine, { out: regular, tier: "Regular" });
    expect(await text(regular)).toBe(csv([HEADER]));
    expect(none.rows).toBe(0);
    expect(none.counts).toEqual([]);
  });

  it("writes JSON and Parquet with typed percent and cost", async () => {
    const json = join(dir, "vip.json");
    await writeActions(engine, { out: json, tier: "VIP" });
    const rows = JSON.parse(await readFile(json, "utf8")) as Record<string, unknown>[];
    expect(rows).toHaveLength(4);
    // Parquet and JSON are not spreadsheets: the values as stored.
    expect(rows[1]).toEqual({
      customer_id: "C1",
      name: "=SUM(A1:A2)",
      email: "ana@example.com",
      scheme: "value",
      tier: "VIP",
      action: "discount",
      detail: "member prices",
      percent: 5,
      cost: null,
      campaigns: "vip-launch",
      service: "premium",
      rep_level: "senior",
      rep_id: "R9",
      rep_name: "Rita",
    });
    const parquet = join(dir, "all.parquet");
    const p = await writeActions(engine, { out: parquet });
    expect(p.rows).toBe(9);
    expect((await readFile(parquet)).subarray(0, 4).toString()).toBe("PAR1");
  });

  it("--redact leaves the contact data (email) out and keeps the name and rep", async () => {
    const out = join(dir, "redacted.csv");
    const r = await writeActions(engine, { out, redact: true });
    const dropEmail = (row: string) => row.replace(/(ana|bo|dee)@example\.com,|(?<=Second line",),/, "");
    expect(await text(out)).toBe(csv(ALL.map((row) => (row === HEADER ? row.replace("email,", "") : dropEmail(row)))));
    expect(await text(out)).not.toContain("@example.com");
    expect(r.columns).not.toContain("email");
    const json = join(dir, "redacted.json");
    await writeActions(engine, { out: json, tier: "Gold", redact: true });
    const rows = JSON.parse(await readFile(json, "utf8")) as Record<string, unknown>[];
    expect(rows.map((row) => Object.keys(row))).toEqual(rows.map(() => r.columns));
    expect(rows.map((row) => [row["name"], row["rep_name"]])).toEqual([
      ['Lee, "Bo"', "-Ray"],
      ['Lee, "Bo"', "-Ray"],
      ["Cy\nSecond line", null],
      ["Cy\nSecond line", null],
    ]);
  });

  it("refuses schemes without playbooks, unknown schemes and tiers (with the name meant) and unknown formats", async () => {
    const out = join(dir, "x.csv");
    await expect(writeActions(engine, { out, scheme: "plain" })).rejects.toMatchObject({
      code: "NO_PLAYBOOKS",
      message: expect.stringContaining("scheme plain of run 1: no playbooks"),
    });
    await expect(writeActions(engine, { out, scheme: "valeu" })).rejects.toMatchObject({
      code: "UNKNOWN_SCHEME",
      hint: "did you mean value?",
    });
    await expect(writeActions(engine, { out, scheme: "value", tier: "Gld" })).rejects.toMatchObject({
      code: "UNKNOWN_TIER",
      message: "scheme value has no tier Gld",
      hint: "did you mean Gold?",
    });
    await expect(writeActions(engine, { out: join(dir, "x.txt") })).rejects.toMatchObject({ code: "EXPORT_FORMAT" });
    await expect(writeActions(engine, { out, runId: 7 })).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
  });
});
