import type { TableDef } from "../../model/index.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/** Version of the store layout; bumped with a migration whenever it changes. */
export const STORE_SCHEMA_VERSION = 6;

export function createTableSql(d: Dialect, table: TableDef): SqlFragment {
  const cols = table.columns.map(
    (c) =>
      sql`${ident(c.name)} ${raw(d.columnType(c.type))}${raw(c.required || table.key.includes(c.name) ? " NOT NULL" : "")}`,
  );
  return sql`CREATE TABLE IF NOT EXISTS ${ident(table.name)} (${join(cols)})`;
}

/**
 * Migration of a version-1 store to 2: the columns credit notes brought
 * (`orders.kind`, `orders.refunds_order_id`), every old order a sale.
 */
export function migrateToCreditNotesSql(d: Dialect, orders: TableDef): SqlFragment[] {
  const added = orders.columns.filter((c) => c.name === "kind" || c.name === "refunds_order_id");
  return [
    ...added.map(
      (c) =>
        sql`ALTER TABLE ${ident(orders.name)} ADD COLUMN IF NOT EXISTS ${ident(c.name)} ${raw(d.columnType(c.type))}`,
    ),
    sql`UPDATE ${ident(orders.name)} SET kind = CASE WHEN amount < 0 THEN 'credit' ELSE 'order' END WHERE kind IS NULL`,
  ];
}

export function createMetaSql(): SqlFragment[] {
  return [
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_meta")} (key VARCHAR NOT NULL, value VARCHAR)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_ingests")} (ingest_id BIGINT NOT NULL, finished_at TIMESTAMP NOT NULL, table_name VARCHAR NOT NULL,
  source_file VARCHAR NOT NULL, read BIGINT, inserted BIGINT, unchanged BIGINT, updated BIGINT, rejected BIGINT, skipped BIGINT)`,
  ];
}

/** Version 3: the ingest log counts the rows a mapping's filters skipped, so read = the rest + skipped there too. */
export function migrateToSkippedCountSql(): SqlFragment {
  return sql`ALTER TABLE ${ident("tw_ingests")} ADD COLUMN IF NOT EXISTS skipped BIGINT`;
}

/** The store's schema version, as the text `tw_meta` holds. */
export function readSchemaVersionSql() {
  return select({ value: col.text }, sql`SELECT value FROM ${ident("tw_meta")} WHERE key = 'schema_version'`);
}

export function writeSchemaVersionSql(version: number): SqlFragment[] {
  return [
    sql`DELETE FROM ${ident("tw_meta")} WHERE key = 'schema_version'`,
    sql`INSERT INTO ${ident("tw_meta")} VALUES ('schema_version', ${String(version)})`,
  ];
}

export function nextIngestIdSql() {
  return select({ id: col.integer }, sql`SELECT coalesce(max(ingest_id), 0) + 1 AS id FROM ${ident("tw_ingests")}`);
}

export function logIngestSql(
  ingestId: number,
  table: string,
  file: string,
  counts: { read: number; inserted: number; unchanged: number; updated: number; rejected: number; skipped: number },
): SqlFragment {
  return sql`INSERT INTO ${ident("tw_ingests")}
  (ingest_id, finished_at, table_name, source_file, read, inserted, unchanged, updated, rejected, skipped)
  VALUES (${ingestId}, CAST(now() AS TIMESTAMP), ${table}, ${file},
  ${counts.read}, ${counts.inserted}, ${counts.unchanged}, ${counts.updated}, ${counts.rejected}, ${counts.skipped})`;
}

export function countRowsSql(table: string) {
  return select({ n: col.integer }, sql`SELECT count(*) AS n FROM ${ident(table)}`);
}
