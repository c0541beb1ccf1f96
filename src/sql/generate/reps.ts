import { type SqlFragment, sql } from "../fragment.js";
import { idText } from "./output.js";
import type { GenParams } from "./params.js";
import { integerBetween, pick, rowKey, uniform } from "./random.js";

/**
 * Service reps: about one per 2,000 customers. The first six enumerate every
 * level × grade pair so each appears; the rest are 60% standard, 25%
 * key-account and 15% senior. Capacities follow the level (a senior rep
 * serves few, large accounts). Draws use salts 1–49.
 */
export function createRepsSql(p: GenParams, firstNames: readonly string[], lastNames: readonly string[]): SqlFragment {
  const rk = sql`rk`;
  const u = (salt: number) => uniform(rk, salt);
  return sql`CREATE OR REPLACE TEMP TABLE gen_reps AS
WITH keyed AS (
  SELECT i, ${rowKey(p.seed, sql`i`)} AS rk FROM range(1, ${p.reps}::BIGINT + 1) AS r(i)
), drawn AS (
  SELECT i AS rep_no,
    ${pick(firstNames, u(1))} || ' ' || ${pick(lastNames, u(2))} AS name,
    CASE WHEN i <= 6 THEN (i - 1) // 2
         WHEN ${u(3)} < 0.60 THEN 0 WHEN ${u(4)} < 0.625 THEN 1 ELSE 2 END AS level_code,
    CASE WHEN i <= 6 THEN (i - 1) % 2 WHEN ${u(5)} < 0.55 THEN 0 ELSE 1 END AS grade_code,
    ${integerBetween(rk, 6, 0, 40)} AS cap_step
  FROM keyed
)
SELECT rep_no, name,
  ['standard', 'key-account', 'senior'][level_code + 1] AS level,
  ['intermediate', 'senior'][grade_code + 1] AS grade,
  CASE level_code WHEN 0 THEN 400 + 10 * cap_step
                  WHEN 1 THEN 100 + 4 * cap_step
                  ELSE 40 + 2 * cap_step END AS capacity
FROM drawn
ORDER BY rep_no`;
}

/** The reps table as written: rep_id, name, level, grade, capacity. */
export function selectRepsSql(p: GenParams): SqlFragment {
  return sql`SELECT ${repId(p, sql`rep_no`)} AS rep_id, name, level, grade, CAST(capacity AS INTEGER) AS capacity
FROM gen_reps ORDER BY rep_no`;
}

/** The text id of rep number `n` (`R007`). */
export function repId(p: GenParams, n: SqlFragment): SqlFragment {
  return idText("R", n, p.widths.rep);
}
