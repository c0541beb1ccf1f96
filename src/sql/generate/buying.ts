import { type SqlFragment, sql } from "../fragment.js";
import { DAY, type GenParams } from "./params.js";
import { gammaExact, rowKey, uniform } from "./random.js";

/** Repeat purchases per buyer beyond which a (vanishingly rare) simulated history is cut. */
export const MAX_SIMULATED_REPEATS = 5000;

/**
 * Buyers' repeat orders simulated from known BG/NBD parameters (`p.buying`),
 * set-based: per buyer λ ~ Gamma(r, α) (per time unit) and p ~ Beta(a, b);
 * the number of repeat purchases up to and including the one after which the
 * buyer drops out is geometric, J = ⌈ln U / ln(1−p)⌉; candidate purchases
 * j = 1 … min(J, a Poisson bound far beyond λ × the time left) get
 * exponential gaps, their running sum (a window over j) is the time since
 * the first order, and those before asOf are kept. The first order stays at
 * the customer's `first_sec`. Fills `gen_buying(cno, k, ordered_sec)` (k ≥ 1)
 * and sets `gen_customers.n_orders` to 1 + the repeats. Draws use salts
 * 900–999 per buyer and per (buyer, j).
 */
export function createBuyingSql(p: GenParams): SqlFragment[] {
  const b = p.buying;
  if (!b) return [];
  const unitSec = b.unit === "day" ? DAY : 7 * DAY;
  const rk = sql`rk`;
  return [
    sql`CREATE OR REPLACE TEMP TABLE gen_buyer AS
WITH keyed AS (
  SELECT cno, first_sec, ${rowKey(p.seed, sql`cno`)} AS rk FROM gen_customers WHERE n_orders > 0
), drawn AS (
  SELECT cno, first_sec,
    greatest(${gammaExact(rk, 900, b.r)} / ${b.alpha * unitSec}::DOUBLE, 1e-300) AS lambda_sec,
    ${gammaExact(rk, 920, b.a)} AS ga, ${gammaExact(rk, 940, b.b)} AS gb, ${uniform(rk, 960)} AS u_drop
  FROM keyed
), rated AS (
  SELECT cno, first_sec, lambda_sec, ga / (ga + gb) AS p_drop,
    lambda_sec * (${p.asOfSec}::BIGINT - 1 - first_sec)::DOUBLE AS expected
  FROM drawn
)
SELECT cno, first_sec, lambda_sec,
  least(
    CASE WHEN p_drop < 1e-12 THEN ${MAX_SIMULATED_REPEATS}::DOUBLE
         ELSE greatest(1.0, ceil(ln(${uniform(sql`${rowKey(p.seed, sql`cno`)}`, 961)}) / ln(greatest(1.0 - p_drop, 1e-300)))) END,
    ceil(expected + 8.0 * sqrt(expected) + 8.0),
    ${MAX_SIMULATED_REPEATS}::DOUBLE)::BIGINT AS candidates
FROM rated`,
    sql`CREATE OR REPLACE TEMP TABLE gen_buying AS
WITH candidate AS (
  SELECT cno, first_sec, lambda_sec, unnest(range(1, candidates + 1)) AS k FROM gen_buyer
), timed AS (
  SELECT cno, first_sec, k,
    sum(-ln(${uniform(rowKey(p.seed, sql`cno`, sql`k`), 970)}) / lambda_sec) OVER (PARTITION BY cno ORDER BY k) AS since_first
  FROM candidate
)
SELECT cno, k, first_sec + CAST(floor(since_first) AS BIGINT) AS ordered_sec
FROM timed WHERE since_first < (${p.asOfSec}::BIGINT - first_sec)::DOUBLE`,
    sql`UPDATE gen_customers SET n_orders = 1 + coalesce(r.repeats, 0)
FROM (SELECT c.cno, count(g.k) AS repeats FROM gen_customers c LEFT JOIN gen_buying g ON g.cno = c.cno
      WHERE c.n_orders > 0 GROUP BY c.cno) r
WHERE gen_customers.cno = r.cno`,
  ];
}
