import { ident, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/** Whether the store's bookkeeping table exists in the current schema (a Tierwise store): `n` > 0. */
export function storeTablesExistSql() {
  return select(
    { n: col.integer },
    sql`SELECT count(*) AS n FROM information_schema.tables
  WHERE table_schema = current_schema() AND table_name = ${"tw_meta"}`,
  );
}

/** Read one key of the store's metadata (`tw_meta`). */
export function readMetaSql(key: string) {
  return select({ value: col.nullable(col.text) }, sql`SELECT value FROM ${ident("tw_meta")} WHERE key = ${key}`);
}

/** Set one key of the store's metadata (`tw_meta`), replacing its value. */
export function writeMetaSql(key: string, value: string): SqlFragment[] {
  return [
    sql`DELETE FROM ${ident("tw_meta")} WHERE key = ${key}`,
    sql`INSERT INTO ${ident("tw_meta")} VALUES (${key}, ${value})`,
  ];
}

/** Whether a table has at least one row: `n` is 0 or 1 (stops at the first row). */
export function hasRowsSql(table: string) {
  return select({ n: col.integer }, sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${ident(table)} LIMIT 1) AS t`);
}
