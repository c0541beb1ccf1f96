/**
 * Every preset on a store with credit notes: DuckDB and PostgreSQL grade it
 * identically, and the grades differ from the same business without its
 * credit notes (gross) where they should. Runs once, in the postgres project.
 */
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { generateDataset } from "../../../src/generate/index.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { loadPolicy, presetNames } from "../../../src/policy/load-policy.js";
import { type RunResult, run } from "../../../src/run/run.js";
import { ident, records, sql } from "../../../src/sql/index.js";
import { openStore } from "../../../src/store/index.js";
import { removeDir, tempDir } from "../../generate/dataset.js";
import { createTestDatabase, type TestDatabase } from "../../support/postgres-database.js";
import { type AddedCredits, addCreditNotes } from "./support.js";

const AS_OF = "2026-01-01";

type Row = readonly [string, string, string, number | null];

async function assignments(engine: Engine, result: RunResult): Promise<Row[]> {
  const rows = await engine.query(
    records(sql`SELECT scheme, entity_id, tier, score FROM ${ident("tw_assignments")} WHERE run_id = ${result.runId}
    ORDER BY scheme, entity_id`),
  );
  return rows.map((r) => [
    String(r["scheme"]),
    String(r["entity_id"]),
    String(r["tier"]),
    r["score"] === null || r["score"] === undefined ? null : Math.round(Number(r["score"]) * 1e6) / 1e6,
  ]);
}

let dir = "";
let server: TestDatabase | undefined;
const engines: Engine[] = [];
let added: AddedCredits = { customers: new Set(), credits: 0 };
const graded: Record<"duckdb" | "postgres" | "gross", Row[]> = { duckdb: [], postgres: [], gross: [] };
const results: Partial<Record<"duckdb" | "postgres", RunResult>> = {};

beforeAll(async () => {
  dir = await tempDir("credits-cross-engine");
  const gross = join(dir, "gross");
  const net = join(dir, "net");
  const [, started] = await Promise.all([
    generateDataset({ outDir: gross, customers: 600, seed: 5, format: "csv", asOf: AS_OF, threads: 1 }),
    createTestDatabase("credits_cross_engine"),
  ]);
  server = started;
  await cp(gross, net, { recursive: true });
  added = await addCreditNotes(net, AS_OF);
  const policy = await loadPolicy({ presets: ["all"] });
  const stores = {
    duckdb: { engine: await openStore(join(dir, "net.duckdb")), data: net },
    postgres: { engine: await openStore("", { engine: "postgres", databaseUrl: server.url }), data: net },
    gross: { engine: await openStore(join(dir, "gross.duckdb")), data: gross },
  };
  for (const [name, s] of Object.entries(stores) as [keyof typeof stores, (typeof stores)["duckdb"]][]) {
    engines.push(s.engine);
    const ingest = await ingestDirectory(s.engine, { dir: s.data, rejectsPath: join(dir, `${name}.rejects.csv`) });
    expect(ingest.tables.find((t) => t.table === "orders")?.rejected).toBe(0);
    const result = await run(s.engine, policy, { asOf: AS_OF });
    if (name !== "gross") results[name] = result;
    graded[name] = await assignments(s.engine, result);
  }
});

afterAll(async () => {
  for (const e of engines) await e.close();
  await server?.drop();
  if (dir) await removeDir(dir);
});

const of = (rows: readonly Row[], scheme: string) => rows.filter((r) => r[0] === scheme);

describe("every preset on a store with credit notes", () => {
  it("has credit notes of every sort to grade", () => {
    expect(added.credits).toBeGreaterThan(100);
  });

  it.each(presetNames())("%s: DuckDB and PostgreSQL give identical grades", (preset) => {
    const duck = of(graded.duckdb, preset);
    expect(duck.length).toBeGreaterThan(0);
    expect(of(graded.postgres, preset)).toEqual(duck);
  });

  it("identical run summaries (counts, revenue, fingerprint)", () => {
    const view = (r: RunResult | undefined) => ({ schemes: r?.schemes, fingerprint: r?.dataFingerprint });
    expect(view(results.postgres)).toEqual(view(results.duckdb));
  });

  it("value-grades: only customers with a credit note are graded otherwise than gross, never higher", () => {
    const gross = new Map(of(graded.gross, "value-grades").map((r) => [r[1], r[2]]));
    const order = ["VIP", "Gold", "Silver", "Regular", "Potential"];
    const changed = of(graded.duckdb, "value-grades").filter((r) => gross.get(r[1]) !== r[2]);
    expect(changed.length).toBeGreaterThan(0);
    for (const [, id, tier] of changed) {
      expect(added.customers.has(id)).toBe(true);
      expect(order.indexOf(tier)).toBeGreaterThan(order.indexOf(gross.get(id) ?? ""));
    }
  });

  it.each(["abc", "rfm", "three-tier"])("%s differs from the gross grades", (preset) => {
    expect(of(graded.duckdb, preset)).not.toEqual(of(graded.gross, preset));
  });
});
