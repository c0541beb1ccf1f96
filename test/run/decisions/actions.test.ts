import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeActions } from "../../../src/decisions/actions.js";
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

const HEADER = "customer_id,scheme,tier,service,rep_level,action,detail,percent,cost,campaigns,current_rep";

/**
 * SIX graded by `value` (test/run/decisions/support.ts): C1 VIP, C2 and C3
 * Gold, C4 Silver, C5 Regular, C6 Potential. Playbooks: VIP premium service,
 * 5% member prices, a 100 birthday gift, campaign vip-launch; Gold proactive
 * service and a 50 fixed benefit; Silver a 2% coupon; Regular and Potential
 * none. Reps: C1's owner is R2 but a later assignment gave R9; C2 owned by
 * R1, C4 by R3; C3 has none.
 */
const ALL = [
  HEADER,
  "C1,value,VIP,premium,senior,call,premium service,,,vip-launch,R9",
  "C1,value,VIP,premium,senior,discount,member prices,5,,vip-launch,R9",
  "C1,value,VIP,premium,senior,gift,birthday gift,,100,vip-launch,R9",
  "C1,value,VIP,premium,senior,campaign,vip-launch,,,vip-launch,R9",
  "C2,value,Gold,proactive,key-account,call,proactive service,,,,R1",
  "C2,value,Gold,proactive,key-account,fixed,faster service,,50,,R1",
  "C3,value,Gold,proactive,key-account,call,proactive service,,,,",
  "C3,value,Gold,proactive,key-account,fixed,faster service,,50,,",
  "C4,value,Silver,,standard,discount,coupon,2,,,R3",
];

describe("actions", () => {
  let engine: Engine;
  let dir: string;
  const owners: Readonly<Record<string, string>> = { C1: "R2", C2: "R1", C4: "R3" };
  beforeAll(async () => {
    engine = await memoryStore();
    dir = await mkdtemp(join(tmpdir(), "tw-actions-"));
    await seed(engine, {
      ...SIX,
      reps: ["R1", "R2", "R3", "R9"].map((rep_id) => ({ rep_id, level: "senior" })),
      customers: (SIX.customers ?? []).map((c) => ({
        ...c,
        owner_rep_id: owners[String(c.customer_id)] ?? null,
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

  const lines = async (path: string) => (await readFile(path, "utf8")).trimEnd().split("\n");

  it("writes one row per customer and action of every scheme with playbooks; tiers without actions have none", async () => {
    const out = join(dir, "all.csv");
    const r = await writeActions(engine, { out });
    expect(r.runId).toBe(1);
    expect(r.schemes).toEqual(["value"]);
    expect(await lines(out)).toEqual(ALL);
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
    expect(await lines(gold)).toEqual([HEADER, ...ALL.filter((l) => l.includes(",Gold,"))]);
    expect(r.rows).toBe(4);
    const regular = join(dir, "regular.csv");
    const none = await writeActions(engine, { out: regular, tier: "Regular" });
    expect(await lines(regular)).toEqual([HEADER]);
    expect(none.rows).toBe(0);
    expect(none.counts).toEqual([]);
  });

  it("writes JSON and Parquet with typed percent and cost", async () => {
    const json = join(dir, "vip.json");
    await writeActions(engine, { out: json, tier: "VIP" });
    const rows = JSON.parse(await readFile(json, "utf8")) as Record<string, unknown>[];
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual({
      customer_id: "C1",
      scheme: "value",
      tier: "VIP",
      service: "premium",
      rep_level: "senior",
      action: "discount",
      detail: "member prices",
      percent: 5,
      cost: null,
      campaigns: "vip-launch",
      current_rep: "R9",
    });
    const parquet = join(dir, "all.parquet");
    const p = await writeActions(engine, { out: parquet });
    expect(p.rows).toBe(9);
    expect((await readFile(parquet)).subarray(0, 4).toString()).toBe("PAR1");
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
