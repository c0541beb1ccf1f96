/**
 * Fixtures for run tests: a fresh store, hand-written rows inserted through
 * bound parameters, one `run`, and the assignments of that run read back.
 * Works on any engine (the hostile corpus reuses it on PostgreSQL).
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import type { Engine } from "../../src/engine/engine.js";
import { TABLES } from "../../src/model/index.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { type RunResult, run } from "../../src/run/run.js";
import { ident, join, raw, type SqlValue, sql } from "../../src/sql/fragment.js";
import { col, select } from "../../src/sql/row.js";
import { openStore } from "../../src/store/index.js";
import { createTestDatabase } from "../support/postgres-database.js";

/** The as-of date of every preset test unless a test says otherwise. */
export const AS_OF = "2026-01-01";

/** A row to insert: column → value (text for timestamps, numbers for money). Missing columns are NULL. */
export type FixtureRow = Readonly<Record<string, string | number | null>>;

/** Rows per canonical table, plus overrides and manual ratings. */
export interface Fixture {
  readonly reps?: readonly FixtureRow[];
  readonly products?: readonly FixtureRow[];
  readonly customers?: readonly FixtureRow[];
  readonly orders?: readonly FixtureRow[];
  readonly order_lines?: readonly FixtureRow[];
  readonly invoices?: readonly FixtureRow[];
  readonly interactions?: readonly FixtureRow[];
  readonly leads?: readonly FixtureRow[];
  readonly tw_overrides?: readonly FixtureRow[];
  readonly tw_ratings?: readonly FixtureRow[];
}

/** One row of tw_assignments. */
export interface Grade {
  readonly tier: string;
  readonly rule_id: string;
  readonly score: number | null;
  readonly flags: string | null;
  readonly natural_tier: string | null;
  readonly tier_rank: number;
}

export interface Graded {
  readonly result: RunResult;
  /** Assignments of the policy's first scheme, by entity id. */
  readonly grades: ReadonlyMap<string, Grade>;
  /** Assignments of every scheme: scheme → entity id → grade. */
  readonly bySchemes: ReadonlyMap<string, ReadonlyMap<string, Grade>>;
}

const SNAPSHOT_COLUMNS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  tw_overrides: {
    override_id: "BIGINT",
    scheme: "VARCHAR",
    entity_id: "VARCHAR",
    tier: "VARCHAR",
    mode: "VARCHAR",
    reason: "VARCHAR",
    created_by: "VARCHAR",
    created_at: "TIMESTAMP",
    expires_at: "DATE",
    removed_at: "TIMESTAMP",
    removed_by: "VARCHAR",
  },
  tw_ratings: {
    rating_id: "BIGINT",
    customer_id: "VARCHAR",
    rating: "INTEGER",
    rated_at: "TIMESTAMP",
    rated_by: "VARCHAR",
  },
};

const OVERRIDE_DEFAULTS: FixtureRow = { reason: "test", created_by: "tester", created_at: "2025-06-01 00:00:00" };

/**
 * A fresh, empty store with the canonical schema: an in-memory DuckDB, or, in
 * the `postgres` test project (TIERWISE_TEST_ENGINE=postgres), a new database
 * on the project's PostgreSQL server.
 */
export async function memoryStore(): Promise<Engine> {
  if (process.env["TIERWISE_TEST_ENGINE"] !== "postgres") return openStore(":memory:");
  const { url } = await createTestDatabase("tw_fixture");
  return openStore("", { engine: "postgres", databaseUrl: url });
}

/** The SQL type of every column of a table, from the model (or the snapshot tables). */
function columnTypes(engine: Engine, table: string): Readonly<Record<string, string>> {
  const snapshot = SNAPSHOT_COLUMNS[table];
  if (snapshot) return snapshot;
  const def = TABLES.find((t) => t.name === table);
  if (!def) throw new Error(`no table ${table}`);
  return Object.fromEntries(def.columns.map((c) => [c.name, engine.dialect.columnType(c.type)]));
}

/** Insert rows into one table; every value is a bound parameter cast to its column's type. */
export async function insertRows(engine: Engine, table: string, rows: readonly FixtureRow[]): Promise<void> {
  const types = columnTypes(engine, table);
  for (const given of rows) {
    const row = table === "tw_overrides" ? { ...OVERRIDE_DEFAULTS, ...given } : given;
    const columns = Object.keys(row);
    for (const c of columns) if (!(c in types)) throw new Error(`no column ${table}.${c}`);
    const values = columns.map((c) => sql`CAST(${(row[c] ?? null) as SqlValue} AS ${raw(types[c] as string)})`);
    await engine.exec(
      sql`INSERT INTO ${ident(table)} (${join(columns.map((c) => ident(c)))}) VALUES (${join(values)})`,
    );
  }
}

/** Insert a whole fixture, referenced tables first. */
export async function seed(engine: Engine, fixture: Fixture): Promise<void> {
  const order: (keyof Fixture)[] = [
    "reps",
    "products",
    "customers",
    "orders",
    "order_lines",
    "invoices",
    "interactions",
    "leads",
    "tw_overrides",
    "tw_ratings",
  ];
  for (const table of order) {
    const rows = fixture[table];
    if (rows && rows.length > 0) await insertRows(engine, table, rows);
  }
}

/** Write a policy file into a fresh temp directory; returns its path. */
export async function policyFile(text: string, name = "policy.yaml"): Promise<string> {
  const dir = await mkdtemp(joinPath(tmpdir(), "tierwise-policy-"));
  const path = joinPath(dir, name);
  await writeFile(path, text);
  return path;
}

/** The assignments of one run: scheme → entity id → grade. */
export async function assignments(engine: Engine, runId: number): Promise<Map<string, Map<string, Grade>>> {
  const rows = await engine.query(
    select(
      {
        scheme: col.text,
        entity_id: col.text,
        tier: col.text,
        tier_rank: col.integer,
        rule_id: col.text,
        score: col.nullable(col.number),
        flags: col.nullable(col.text),
        natural_tier: col.nullable(col.text),
      },
      sql`SELECT scheme, entity_id, tier, tier_rank, rule_id, score, flags, natural_tier FROM ${ident("tw_assignments")}
    WHERE run_id = ${runId} ORDER BY scheme, entity_id`,
    ),
  );
  const out = new Map<string, Map<string, Grade>>();
  for (const r of rows) {
    let scheme = out.get(r.scheme);
    if (!scheme) {
      scheme = new Map();
      out.set(r.scheme, scheme);
    }
    scheme.set(r.entity_id, {
      tier: r.tier,
      rule_id: r.rule_id,
      score: r.score,
      flags: r.flags,
      natural_tier: r.natural_tier,
      tier_rank: r.tier_rank,
    });
  }
  return out;
}

/**
 * Run presets or a policy file over the store as of a date and read back the
 * assignments of that run.
 * @example const { grades } = await grade(engine, { presets: ["value-grades"] });
 */
export async function grade(
  engine: Engine,
  source: { readonly file: string } | { readonly presets: readonly string[] },
  asOf: string = AS_OF,
): Promise<Graded> {
  const policy = await loadPolicy(source);
  const result = await run(engine, policy, { asOf });
  const bySchemes = await assignments(engine, result.runId);
  const first = policy.plan.schemes[0]?.name ?? "";
  return { result, grades: bySchemes.get(first) ?? new Map(), bySchemes };
}

/** Seed a fresh in-memory store, grade it, close it. */
export async function gradeFixture(
  fixture: Fixture,
  source: { readonly file: string } | { readonly presets: readonly string[] },
  asOf: string = AS_OF,
): Promise<Graded> {
  const engine = await memoryStore();
  try {
    await seed(engine, fixture);
    return await grade(engine, source, asOf);
  } finally {
    await engine.close();
  }
}

/** Entity id → tier, for compact assertions. */
export function tiers(grades: ReadonlyMap<string, Grade>): Record<string, string> {
  return Object.fromEntries([...grades].map(([id, g]) => [id, g.tier]));
}

/** Entity id → rule id, for compact assertions. */
export function rules(grades: ReadonlyMap<string, Grade>): Record<string, string> {
  return Object.fromEntries([...grades].map(([id, g]) => [id, g.rule_id]));
}

/** Completed orders for one customer: `orders("C1", ["2025-03-01", 100], …)`. */
export function completedOrders(
  customer: string,
  list: readonly (readonly [string, number])[],
  prefix = `${customer}-o`,
): FixtureRow[] {
  return list.map(([at, amount], i) => ({
    order_id: `${prefix}${i + 1}`,
    customer_id: customer,
    ordered_at: at,
    amount,
    status: "completed",
  }));
}
