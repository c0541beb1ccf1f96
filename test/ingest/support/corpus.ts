import { afterEach } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { TierwiseError, TierwiseErrors } from "../../../src/errors/index.js";
import { TABLE_NAMES, tableDef } from "../../../src/model/index.js";
import { raw, records } from "../../../src/sql/index.js";
import { CUSTOMERS_CSV, memoryStore } from "../../support/ingest-fixture.js";
import { type Loaded, type LoadOptions, load, type RejectRow } from "./ingest.js";

/** customer_id,name,kind with C1, C2 and 007. */
export const CUSTOMERS = CUSTOMERS_CSV;
export const ORDERS_HEADER = "order_id,customer_id,ordered_at,amount";
/** One valid order for C1, for tests about other tables. */
export const ONE_ORDER = `${ORDERS_HEADER}\nO1,C1,2024-01-01,10\n`;

/** Lines joined with `\n`, with a final line break. */
export function csv(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

/** The location and code of a reject: what most corpus cases assert exactly. */
export interface RejectBrief {
  readonly line: number | null;
  readonly record: number | null;
  readonly column: number | null;
  readonly field: string | null;
  readonly code: string;
}

export function brief(rejects: readonly RejectRow[], table?: string): RejectBrief[] {
  return rejects
    .filter((r) => table === undefined || r.table === table)
    .map((r) => ({ line: r.line, record: r.record, column: r.column, field: r.field, code: r.code }));
}

/** A reject brief in a compact positional form: [line, record, column, field, code]. */
export function rej(
  line: number | null,
  record: number | null,
  column: number | null,
  field: string | null,
  code: string,
): RejectBrief {
  return { line, record, column, field, code };
}

/** The key values of a store table, sorted by the store. */
export async function keys(engine: Engine, table: string): Promise<string[]> {
  const key = tableDef(table as (typeof TABLE_NAMES)[number]).key[0] ?? "";
  const rows = await engine.query(
    records(raw(`SELECT CAST("${key}" AS VARCHAR) AS k FROM "${table}" ORDER BY "${key}"`)),
  );
  return rows.map((r) => String(r["k"]));
}

/** Row counts of every canonical table and of the ingest log. */
export async function storeCounts(engine: Engine): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of [...TABLE_NAMES, "tw_ingests"]) {
    const rows = await engine.query(records(raw(`SELECT count(*) AS n FROM "${t}"`)));
    counts[t] = Number(rows[0]?.["n"]);
  }
  return counts;
}

export const EMPTY_STORE: Readonly<Record<string, number>> = Object.fromEntries(
  [...TABLE_NAMES, "tw_ingests"].map((t) => [t, 0]),
);

/** The `TierwiseErrors` a promise rejects with (fails the test for anything else). */
export async function errorsOf(promise: Promise<unknown>): Promise<TierwiseErrors> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TierwiseErrors) return error;
    throw new Error(`expected TierwiseErrors, got ${String(error)}`);
  }
  throw new Error("expected the ingest to fail");
}

/** The single `TierwiseError` a promise rejects with (fails the test for anything else). */
export async function errorOf(promise: Promise<unknown>): Promise<TierwiseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TierwiseError) return error;
    throw new Error(`expected TierwiseError, got ${String(error)}`);
  }
  throw new Error("expected the ingest to fail");
}

/** Codes and messages of reported problems, for exact comparison. */
export function problems(errors: TierwiseErrors): Array<{ code: string; message: string }> {
  return errors.errors.map((e) => ({ code: e.code, message: e.message }));
}

/**
 * Watches every corpus load: test/engine/postgres-ingest.test.ts repeats each
 * one on PostgreSQL and compares. `outcome` is the DuckDB load or its error.
 */
export interface LoadObserver {
  loaded(
    files: Record<string, string | Buffer>,
    options: LoadOptions,
    engine: Engine,
    outcome: { readonly loaded: Loaded } | { readonly error: unknown },
  ): Promise<void>;
}

let observer: LoadObserver | null = null;

/** Set (or with null, clear) the observer of corpus loads. */
export function observeLoads(next: LoadObserver | null): void {
  observer = next;
}

/**
 * A loader whose engines (and any tracked ones) are closed after each test.
 * Call once per test file, at the top level or inside `describe`.
 */
export function useStores() {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });
  const track = <E extends Engine>(engine: E): E => {
    engines.push(engine);
    return engine;
  };
  return {
    /** Ingest `files`; the engine is closed after the test (also when ingest throws). */
    async load(files: Record<string, string | Buffer>, options: LoadOptions = {}): Promise<Loaded> {
      const engine = options.engine ?? track(await memoryStore());
      let loaded: Loaded;
      try {
        loaded = await load(files, { ...options, engine });
      } catch (error) {
        await observer?.loaded(files, options, engine, { error });
        throw error;
      }
      await observer?.loaded(files, options, engine, { loaded });
      return loaded;
    },
    /** A fresh store closed after the test. */
    async store(): Promise<Engine> {
      return track(await memoryStore());
    },
    track,
  };
}
