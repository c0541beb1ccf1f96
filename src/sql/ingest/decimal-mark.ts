import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, join, sql } from "../fragment.js";
import { col, select } from "../row.js";

/**
 * Count, in a sample of a staged table's numeric columns, the values that can
 * only be read with a comma decimal mark (`1.234,5`, `12,50`) and those that
 * can only be read with a dot (`1,234.5`, `12.50`).
 */
export function decimalMarkVotesSql(d: Dialect, stageRaw: string, columnIndexes: readonly number[]) {
  const comma = "[+-]?[0-9]{1,3}(\\.[0-9]{3})*,[0-9]{1,2}|[+-]?[0-9]+,[0-9]{1,2}|[+-]?[0-9]{1,3}(\\.[0-9]{3})+,[0-9]*";
  const dot = "[+-]?[0-9]{1,3}(,[0-9]{3})*\\.[0-9]{1,2}|[+-]?[0-9]+\\.[0-9]{1,2}|[+-]?[0-9]{1,3}(,[0-9]{3})+\\.[0-9]*";
  const votes = (pattern: string) =>
    join(
      columnIndexes.map(
        (i) => sql`CAST(coalesce(${d.regexFullMatch(sql`trim(${ident(`c${i + 1}`)})`, pattern)}, false) AS INTEGER)`,
      ),
      " + ",
    );
  return select(
    { comma: col.integer, dot: col.integer },
    sql`SELECT coalesce(sum(${votes(comma)}), 0) AS comma, coalesce(sum(${votes(dot)}), 0) AS dot
FROM (SELECT * FROM ${ident(stageRaw)} LIMIT ${integer(100_000)}) sample`,
  );
}
