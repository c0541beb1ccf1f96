/**
 * Copy a store's tables from one engine to another, row by row through bound
 * parameters: the cross-engine tests use it to give PostgreSQL exactly the
 * rows a DuckDB ingest accepted, independently of PostgreSQL's own ingest.
 */
import type { Engine } from "../../src/engine/engine.js";
import { TABLE_NAMES } from "../../src/model/index.js";
import { ident, join, type SqlFragment, type SqlValue, sql } from "../../src/sql/index.js";

/** Tables read by a run besides the canonical ones. */
export const RUN_INPUT_TABLES = ["tw_ratings", "tw_overrides"] as const;

/**
 * Parameters per INSERT: PostgreSQL accepts at most 65,535, and fragments
 * are spread into argument lists, so stay well below both.
 */
const MAX_PARAMS = 10_000;

async function columnsOf(engine: Engine, table: string): Promise<string[]> {
  const rows = await engine.query<{ column_name: string }>(
    sql`SELECT column_name FROM information_schema.columns WHERE table_name = ${table} ORDER BY ordinal_position`,
  );
  return rows.map((r) => r.column_name);
}

/**
 * Copy `tables` (default: every canonical table, then ratings and overrides)
 * from `from` into the same, already created and empty, tables of `to`, in
 * one transaction. Every value travels as text and is cast by the target
 * column's type, so decimals and timestamps arrive exactly.
 * @returns rows copied per table.
 */
export async function copyTables(
  from: Engine,
  to: Engine,
  tables: readonly string[] = [...TABLE_NAMES, ...RUN_INPUT_TABLES],
): Promise<Record<string, number>> {
  const copied: Record<string, number> = {};
  await to.transaction(async () => {
    for (const table of tables) {
      const columns = await columnsOf(from, table);
      if (columns.length === 0) throw new Error(`copyTables: ${table} does not exist in the source store`);
      const text = columns.map((c) => sql`CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}`);
      const rows = await from.query(sql`SELECT ${join(text)} FROM ${ident(table)}`);
      const batch = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
      for (let start = 0; start < rows.length; start += batch) {
        const values: SqlFragment[] = rows
          .slice(start, start + batch)
          .map((row) => sql`(${join(columns.map((c) => sql`${(row[c] ?? null) as SqlValue}`))})`);
        await to.exec(sql`INSERT INTO ${ident(table)} (${join(columns.map((c) => ident(c)))}) VALUES ${join(values)}`);
      }
      copied[table] = rows.length;
    }
  });
  return copied;
}
