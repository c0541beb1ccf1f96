import { ident, type SqlFragment, sql } from "../fragment.js";

/**
 * Drop one file's session objects (also after a failure): the stage `view`
 * first, then each of `tables`; any of them may be missing.
 */
export function dropStagingSql(view: string, tables: readonly string[]): SqlFragment[] {
  return [sql`DROP VIEW IF EXISTS ${ident(view)}`, ...tables.map((name) => sql`DROP TABLE IF EXISTS ${ident(name)}`)];
}
