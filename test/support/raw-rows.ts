import { Query, type SqlFragment } from "../../src/sql/index.js";

/**
 * An ad-hoc test query whose rows come back exactly as the driver returned
 * them (nothing decoded: BIGINT and DECIMAL as strings, dates as text),
 * typed as the test says. For tests that check the engines' raw
 * representations or read a table back to compare it; source code declares
 * its rows with `select(shape, …)` (src/sql/row.ts), and a test that needs
 * no row type uses `records(…)`.
 */
export function rawRows<R>(statement: SqlFragment): Query<R> {
  return new Query(statement, (row) => row as R);
}
