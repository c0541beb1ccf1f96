/**
 * The same generated business, ingested into DuckDB and into a real
 * PostgreSQL, must be graded identically: the same assignments and summaries
 * for every preset and for a policy that reaches every scheme kind, at two
 * as-of dates. The data fingerprint (row counts and sums per table) shows
 * both ingests accepted the same data, so a difference is the run's SQL.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import { generateDataset } from "../../src/generate/index.js";
import { ingestDirectory } from "../../src/ingest/ingest.js";
import type { IngestResult } from "../../src/ingest/result.js";
import { type LoadedPolicy, loadPolicy, presetNames } from "../../src/policy/load-policy.js";
import { type RunResult, run } from "../../src/run/run.js";
import { ident, records, sql } from "../../src/sql/index.js";
import { openStore } from "../../src/store/index.js";
import { removeDir, tempDir } from "../generate/dataset.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.js";
import { rawRows } from "../support/raw-rows.js";

const DATA_AS_OF = "2026-01-01";
/** The data's end, and a date inside it (later rows must be ignored alike). */
const AS_OFS = [DATA_AS_OF, "2025-07-15"] as const;
const EVERY_KIND = fileURLToPath(new URL("./fixtures/every-kind.yaml", import.meta.url));

interface Assignment {
  readonly scheme: string;
  readonly entity_id: string;
  readonly tier: string;
  readonly tier_rank: number;
  readonly rule_id: string;
  readonly natural_tier: string | null;
  readonly flags: string | null;
  /** Rounded to 6 decimals: engines may differ in the last bits of a double. */
  readonly score: number | null;
  readonly revenue: number | null;
}

interface Graded {
  readonly result: RunResult;
  readonly assignments: readonly Assignment[];
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

async function readAssignments(engine: Engine, runId: number): Promise<Assignment[]> {
  const rows = await engine.query(
    records(sql`SELECT scheme, entity_id, tier, tier_rank, rule_id, natural_tier, flags, score, revenue
    FROM ${ident("tw_assignments")} WHERE run_id = ${runId}`),
  );
  return rows
    .map((r) => {
      const score = num(r["score"]);
      return {
        scheme: String(r["scheme"]),
        entity_id: String(r["entity_id"]),
        tier: String(r["tier"]),
        tier_rank: Number(r["tier_rank"]),
        rule_id: String(r["rule_id"]),
        natural_tier: (r["natural_tier"] ?? null) as string | null,
        flags: (r["flags"] ?? null) as string | null,
        score: score === null ? null : Math.round(score * 1e6) / 1e6,
        revenue: num(r["revenue"]),
      };
    })
    .sort((a, b) => (a.scheme === b.scheme ? (a.entity_id < b.entity_id ? -1 : 1) : a.scheme < b.scheme ? -1 : 1));
}

async function grade(engine: Engine, policy: LoadedPolicy, asOf: string): Promise<Graded> {
  const result = await run(engine, policy, { asOf });
  return { result, assignments: await readAssignments(engine, result.runId) };
}

/** The first few rows that differ, for a readable failure. */
function differences(a: readonly Assignment[], b: readonly Assignment[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < 5; i++) {
    const x = JSON.stringify(a[i]);
    const y = JSON.stringify(b[i]);
    if (x !== y) out.push(`duckdb   ${x}\npostgres ${y}`);
  }
  return out;
}

/** What a user sees of a run, without its id and duration. */
function summary(r: RunResult): unknown {
  return {
    asOf: r.asOf,
    policyHash: r.policyHash,
    dataFingerprint: r.dataFingerprint,
    currency: r.currency,
    schemes: r.schemes,
    warnings: r.warnings,
  };
}

let dir = "";
let server: TestDatabase | undefined;
let duckdb: Engine | undefined;
let postgres: Engine | undefined;
/** policy label → as-of → engine → graded run. */
const runs = new Map<string, { duckdb: Graded; postgres: Graded }>();
const ingests: { duckdb?: IngestResult; postgres?: IngestResult } = {};
const key = (policy: string, asOf: string) => `${policy}@${asOf}`;

/** Identical rows on both stores for the tables a run reads besides the data: overrides and manual ratings. */
async function addOverridesAndRatings(engine: Engine): Promise<void> {
  const b2b = await engine.query(
    rawRows<{ id: string }>(
      sql`SELECT customer_id AS id FROM ${ident("customers")} WHERE kind = 'b2b' ORDER BY customer_id LIMIT 6`,
    ),
  );
  const ids = b2b.map((r) => r.id);
  const overrides: [string, string, string, string, string | null, string | null][] = [
    // scheme, entity, tier, mode, expires_at, removed_at
    ["value-grades", "C0000001", "VIP", "fixed", null, null],
    ["value-grades", "C0000002", "Gold", "floor", "2030-01-01", null],
    ["value-grades", "C0000006", "Potential", "ceiling", null, null],
    ["value-grades", "C0000007", "VIP", "fixed", "2025-01-01", null], // expired at both as-ofs
    ["value-grades", "C0000008", "VIP", "fixed", null, "2025-03-01 00:00:00"], // removed
    ["abc", "C0000009", "Z", "fixed", null, null], // a tier the scheme does not have: ignored
    ["relationship-ladder", "C0000010", "Advocate", "fixed", null, null],
    ["b2b-scorecard", ids[0] ?? "C0000011", "D", "ceiling", null, null],
  ];
  for (const [i, [scheme, entity, tier, mode, expires, removed]] of overrides.entries()) {
    await engine.exec(
      sql`INSERT INTO ${ident("tw_overrides")} (override_id, scheme, entity_id, tier, mode, reason, created_by, created_at, expires_at, removed_at)
      VALUES (${i + 1}, ${scheme}, ${entity}, ${tier}, ${mode}, ${"cross-engine test"}, ${"tester"},
      CAST(${"2024-12-01 00:00:00"} AS TIMESTAMP), CAST(${expires} AS DATE), CAST(${removed} AS TIMESTAMP))`,
    );
  }
  // Manual prospects ratings: one replaced by a later one, one after the mid-year as-of.
  const ratings: [string, number, string][] = [
    [ids[1] ?? "C0000012", 2, "2025-01-10 09:00:00"],
    [ids[1] ?? "C0000012", 5, "2025-03-10 09:00:00"],
    [ids[2] ?? "C0000013", 1, "2025-02-01 12:00:00"],
    [ids[3] ?? "C0000014", 4, "2025-11-20 08:00:00"],
  ];
  for (const [i, [customer, rating, at]] of ratings.entries()) {
    await engine.exec(
      sql`INSERT INTO ${ident("tw_ratings")} VALUES (${i + 1}, ${customer}, CAST(${rating} AS INTEGER), CAST(${at} AS TIMESTAMP), ${"tester"})`,
    );
  }
}

beforeAll(async () => {
  dir = await tempDir("cross-engine");
  const data = join(dir, "data");
  const [, started] = await Promise.all([
    generateDataset({ outDir: data, customers: 2000, seed: 11, format: "csv", asOf: DATA_AS_OF, threads: 1 }),
    createTestDatabase("cross_engine"),
  ]);
  server = started;
  duckdb = await openStore(join(dir, "store.duckdb"));
  ingests.duckdb = await ingestDirectory(duckdb, { dir: data, rejectsPath: join(dir, "store.rejects.csv") });
  postgres = await openStore("", { engine: "postgres", databaseUrl: server.url });
  ingests.postgres = await ingestDirectory(postgres, { dir: data, rejectsPath: join(dir, "postgres.rejects.csv") });
  for (const engine of [duckdb, postgres]) await addOverridesAndRatings(engine);

  const policies: [string, LoadedPolicy][] = [
    ["presets", await loadPolicy({ presets: ["all"] })],
    ["every-kind", await loadPolicy({ file: EVERY_KIND })],
  ];
  for (const [label, policy] of policies) {
    for (const asOf of AS_OFS) {
      runs.set(key(label, asOf), {
        duckdb: await grade(duckdb, policy, asOf),
        postgres: await grade(postgres, policy, asOf),
      });
    }
  }
});

afterAll(async () => {
  await duckdb?.close();
  await postgres?.close();
  await server?.drop();
  if (dir) await removeDir(dir);
});

function both(policy: string, asOf: string): { duckdb: Graded; postgres: Graded } {
  const pair = runs.get(key(policy, asOf));
  if (!pair) throw new Error(`no run for ${policy} at ${asOf}`);
  return pair;
}

const bySchemeOf = (g: Graded, scheme: string) => g.assignments.filter((a) => a.scheme === scheme);

describe.each(AS_OFS)("DuckDB and PostgreSQL grade alike as of %s", (asOf) => {
  it.each(presetNames())("preset %s: identical assignments", (preset) => {
    const pair = both("presets", asOf);
    const duck = bySchemeOf(pair.duckdb, preset);
    const pg = bySchemeOf(pair.postgres, preset);
    expect(duck.length).toBeGreaterThan(0);
    expect(differences(duck, pg)).toEqual([]);
    expect(pg).toHaveLength(duck.length);
  });

  it("identical run summaries for all presets (counts, shares, revenue, fingerprint, warnings)", () => {
    const pair = both("presets", asOf);
    expect(summary(pair.postgres.result)).toEqual(summary(pair.duckdb.result));
    expect(pair.duckdb.result.schemes.map((s) => s.scheme)).toEqual(presetNames());
  });

  it("every scheme kind, NULL rankings, custom aggregates and a DST time zone: identical", () => {
    const pair = both("every-kind", asOf);
    expect(pair.duckdb.assignments.length).toBeGreaterThan(0);
    expect(differences(pair.duckdb.assignments, pair.postgres.assignments)).toEqual([]);
    expect(pair.postgres.assignments).toHaveLength(pair.duckdb.assignments.length);
    expect(summary(pair.postgres.result)).toEqual(summary(pair.duckdb.result));
  });
});

describe("what the comparison covers", () => {
  it("both engines ingested the same rows of every file", () => {
    const counts = (r: IngestResult | undefined) =>
      (r?.tables ?? []).map((t) => [t.table, t.read, t.inserted, t.rejected]);
    expect(counts(ingests.duckdb).length).toBe(8);
    expect(counts(ingests.postgres)).toEqual(counts(ingests.duckdb));
  });

  it("overrides in force are applied on both engines; expired, removed and unknown-tier ones are not", () => {
    for (const engine of ["duckdb", "postgres"] as const) {
      const graded = both("presets", DATA_AS_OF)[engine];
      const find = (scheme: string, id: string) =>
        graded.assignments.find((a) => a.scheme === scheme && a.entity_id === id);
      expect(find("value-grades", "C0000001")).toMatchObject({ tier: "VIP", rule_id: "override:fixed" });
      expect(find("relationship-ladder", "C0000010")).toMatchObject({ tier: "Advocate" });
      for (const id of ["C0000007", "C0000008"]) expect(find("value-grades", id)?.rule_id).toBe("thresholds");
      expect(find("abc", "C0000009")?.rule_id).toBe("pareto");
    }
  });

  it("a b2b customer with no invoice due is scored neutral and flagged, not given full credit", () => {
    const flagged = (g: Graded) =>
      bySchemeOf(g, "b2b-scorecard").filter((a) => (a.flags ?? "").split(",").includes("credit missing"));
    const pair = both("presets", DATA_AS_OF);
    expect(flagged(pair.duckdb).length).toBeGreaterThan(0);
    expect(flagged(pair.postgres)).toEqual(flagged(pair.duckdb));
  });

  it("the mid-year run grades only customers known then", () => {
    const graded = (asOf: string) =>
      both("presets", asOf).duckdb.result.schemes.find((s) => s.scheme === "value-grades")?.graded ?? 0;
    expect(graded("2025-07-15")).toBeGreaterThan(0);
    expect(graded("2025-07-15")).toBeLessThan(graded(DATA_AS_OF));
  });
});
