import type { Dialect } from "../dialect/dialect.js";
import { type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { type ClvPeriod, customerStatsSql } from "./stats.js";

/**
 * One customer's CLV statistics for the period: the row of the statistics
 * table `clv predict` builds for every customer (`customerStatsSql`), read
 * for this customer alone. No row: no completed order by the calibration end.
 */
export function customerStatsOfSql(period: ClvPeriod, d: Dialect, withCredits: boolean, customerId: string) {
  const stats: SqlFragment = customerStatsSql(period, d, withCredits);
  return select(
    { x: col.integer, tx_days: col.integer, t_days: col.integer, repeat_value: col.nullable(col.amount) },
    sql`SELECT s.x, s.tx_days, s.t_days, s.repeat_value FROM (${stats}) s WHERE s.customer_id = ${customerId}`,
  );
}
