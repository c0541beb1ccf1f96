import { ident, integer, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/**
 * The circuit-breaker state of webhook urls (`tw_webhook_endpoints`, one row
 * per url): consecutive failed attempts and until when the url is skipped.
 * Times are UTC text `YYYY-MM-DD HH:MM:SS.mmm`.
 */

/** The state of one url: failures, open_until (null: closed). No row: never failed. */
export function endpointStateSql(url: string) {
  return select(
    { failures: col.integer, open_until: col.nullable(col.timestamp) },
    sql`SELECT failures, CAST(open_until AS VARCHAR) AS open_until FROM ${ident("tw_webhook_endpoints")} WHERE url = ${url}`,
  );
}

/** Replace the state of one url (delete, then insert: the same on both engines). */
export function writeEndpointStateSql(
  url: string,
  failures: number,
  openUntil: string | null,
  at: string,
): SqlFragment[] {
  return [
    sql`DELETE FROM ${ident("tw_webhook_endpoints")} WHERE url = ${url}`,
    sql`INSERT INTO ${ident("tw_webhook_endpoints")} VALUES (${url}, ${integer(failures)},
      CAST(${openUntil} AS TIMESTAMP), CAST(${at} AS TIMESTAMP))`,
  ];
}
