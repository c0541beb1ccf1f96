import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeActions } from "../../../src/decisions/actions.js";
import { assignReps } from "../../../src/decisions/assign-reps.js";
import { whatIf } from "../../../src/decisions/what-if.js";
import type { Engine } from "../../../src/engine/engine.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { exportAssignments } from "../../../src/insight/export.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { csvRecords, formulaCells, HOSTILE_CELLS } from "../../hostile/errors-csv-cells.js";
import { valuePolicy } from "../decisions/support.js";
import { AS_OF, completedOrders, grade, memoryStore, policyFile, seed } from "../support.js";

/**
 * CSV injection (issue 13, "Exports are safe to open"), on both engines: the
 * customer ids, names and rep ids are the hostile cells of OWASP's guidance,
 * a tier is named `@VIP`, and one customer has a negative spend (-12.5). By
 * default every writer puts `'` before each hostile text cell and leaves the
 * number -12.5 alone; with `raw` the cells are written as they are.
 */
const IDS = HOSTILE_CELLS;
/** VIP (senior rep), then Gold, Silver and Regular spends. */
const SPEND = [120_000, 110_000, 90_000, 60_000, 30_000, 5_000];
/** The proposed policy moves the 90,000 and 60,000 customers (VIP at 55,000 instead of 100,000). */
const policy = (vip: number) => valuePolicy(vip).replaceAll("name: VIP", 'name: "@VIP"').replace("VIP:", '"@VIP":');

describe("every CSV writer guards text cells against spreadsheet formulas", () => {
  let engine: Engine;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tw-csv-injection-"));
    engine = await memoryStore();
    await seed(engine, {
      reps: [
        { rep_id: "=R1", name: "-Ray", level: "senior", capacity: 10 },
        { rep_id: "@R2", name: "+Rob", level: "key-account", capacity: 10 },
        { rep_id: "R3", name: "\tRex", level: "standard", capacity: 10 },
      ],
      customers: [
        ...IDS.map((id, i) => ({ customer_id: id, name: IDS[(i + 1) % IDS.length] ?? null, created_at: "2024-01-01" })),
        { customer_id: "C9", name: "Nine", created_at: "2024-01-01" },
      ],
      orders: [
        ...IDS.flatMap((id, i) => completedOrders(id, [["2025-06-01", SPEND[i] ?? 1]], `o${i}-`)),
        ...completedOrders("C9", [["2025-06-01", -12.5]]),
      ],
    });
    await grade(engine, { file: await policyFile(policy(100_000)) });
  });
  afterAll(async () => engine.close());

  /** The file's hostile cells are guarded (each written `'` + cell), and nothing else a spreadsheet would run is in it. */
  const expectGuarded = (text: string, cells: readonly string[]) => {
    const all = csvRecords(text).flat();
    expect(formulaCells(text)).toEqual([]);
    for (const cell of cells) expect(all).toContain(`'${cell}`);
  };
  /** With raw, the hostile cells are as they were, and no cell was given a quote. */
  const expectRaw = (text: string, cells: readonly string[]) => {
    const all = csvRecords(text).flat();
    for (const cell of cells) expect(all).toContain(cell);
    expect(all.filter((c) => c.startsWith("'"))).toEqual([]);
  };

  it("export: entity ids and tier names guarded, the score -12.5 stays a number; raw writes them as they are", async () => {
    const out = join(dir, "export.csv");
    await exportAssignments(engine, { out });
    const text = await readFile(out, "utf8");
    expectGuarded(text, [...IDS, "@VIP"]);
    expect(csvRecords(text).find((r) => r[0] === "C9")?.[4]).toBe("-12.5");
    const raw = join(dir, "export-raw.csv");
    await exportAssignments(engine, { out: raw, raw: true });
    expectRaw(await readFile(raw, "utf8"), [...IDS, "@VIP"]);
  });

  it("export to JSON keeps the values as stored (the guard is for CSV only)", async () => {
    const out = join(dir, "export.json");
    await exportAssignments(engine, { out });
    const rows = JSON.parse(await readFile(out, "utf8")) as { entity_id: string }[];
    expect(rows.map((r) => r.entity_id)).toEqual(expect.arrayContaining([...IDS]));
  });

  it("actions: customer ids, names, tiers, rep ids and rep names guarded; raw as they are", async () => {
    const out = join(dir, "actions.csv");
    await writeActions(engine, { out });
    const text = await readFile(out, "utf8");
    expectGuarded(text, ["@VIP", IDS[0], IDS[1], IDS[2]]);
    const raw = join(dir, "actions-raw.csv");
    await writeActions(engine, { out: raw, raw: true });
    expectRaw(await readFile(raw, "utf8"), ["@VIP", IDS[0], IDS[1], IDS[2]]);
  });

  it("what-if movers: entity ids and tier names guarded, revenue a number; raw as they are", async () => {
    const current = await loadPolicy({ file: await policyFile(policy(100_000)) });
    const proposed = await loadPolicy({ file: await policyFile(policy(55_000)) });
    const out = join(dir, "movers.csv");
    await whatIf(engine, current, proposed, { asOf: AS_OF, moversOut: out });
    const text = await readFile(out, "utf8");
    expectGuarded(text, [IDS[2], IDS[3], "@VIP"]);
    const raw = join(dir, "movers-raw.csv");
    await whatIf(engine, current, proposed, { asOf: AS_OF, moversOut: raw, raw: true });
    expectRaw(await readFile(raw, "utf8"), [IDS[2], IDS[3], "@VIP"]);
  });

  it("assign-reps changes: customer and rep ids guarded; raw as they are", async () => {
    const out = join(dir, "changes.csv");
    await assignReps(engine, { dryRun: true, out });
    const text = await readFile(out, "utf8");
    expectGuarded(text, [IDS[0], "=R1", "@VIP"]);
    const raw = join(dir, "changes-raw.csv");
    await assignReps(engine, { dryRun: true, out: raw, raw: true });
    expectRaw(await readFile(raw, "utf8"), [IDS[0], "=R1", "@VIP"]);
  });
});

describe("the rejects file guards the source record of a record the reader could not parse", () => {
  const BAD = ["=1+2", "+1", "-2+3", "@SUM(A1)", "\t=1"];
  /** Fields past the header: the reader rejects the record (TOO_MANY_FIELDS) and keeps its text as read. */
  const LONG = "x,y";
  const ingestRejects = async (raw: boolean) => {
    const dir = await mkdtemp(join(tmpdir(), "tw-rejects-injection-"));
    const data = join(dir, "data");
    await mkdir(data);
    const rows = BAD.map((id) => `${id},Someone,2024-01-01,${LONG}`);
    await writeFile(
      join(data, "customers.csv"),
      `customer_id,name,created_at\nC1,Ann,2024-01-01\n${rows.join("\n")}\n`,
    );
    await writeFile(join(data, "orders.csv"), "order_id,customer_id,ordered_at,amount,status\n");
    const engine = await memoryStore();
    try {
      const rejectsPath = join(dir, "rejects.csv");
      await ingestDirectory(engine, { dir: data, rejectsPath, ...(raw ? { raw: true } : {}) });
      return await readFile(rejectsPath, "utf8");
    } finally {
      await engine.close();
    }
  };

  it("a record with too many fields starting with =, +, -, @ or a tab is written with a leading quote", async () => {
    const text = await ingestRejects(false);
    const records = csvRecords(text);
    const source = records[0]?.indexOf("source_record") ?? -1;
    expect(source).toBeGreaterThan(0);
    expect(records.slice(1).map((r) => r[source])).toEqual(BAD.map((id) => `'${id},Someone,2024-01-01,${LONG}`));
    expect(formulaCells(text)).toEqual([]);
  });

  it("with raw, the source records are as read", async () => {
    const records = csvRecords(await ingestRejects(true));
    const source = records[0]?.indexOf("source_record") ?? -1;
    expect(records.slice(1).map((r) => r[source])).toEqual(BAD.map((id) => `${id},Someone,2024-01-01,${LONG}`));
  });
});
