import { join, type SqlFragment, sql } from "../fragment.js";

/**
 * Counter-based pseudo-random numbers in SQL. Each generated row first gets a
 * 64-bit key, `hash(seed, entity keys…)` (`rowKey`); each draw then mixes that
 * key with a per-draw salt and hashes it once more (a full avalanche mix), so
 * a value depends only on (seed, entity, salt): never on thread scheduling or
 * row order, and the same seed always yields the same data. Each call site
 * uses its own salt so draws are independent. (DuckDB's multi-argument hash
 * combines arguments by XOR; without the final mix, draws that differ only in
 * salt would be XOR-related.)
 */

/** 2^53: a draw keeps 53 bits, exactly what a double holds. */
const TWO_53 = 9_007_199_254_740_992;

/** SplitMix64 of the salt: a well-spread 64-bit constant per draw site. */
function saltConstant(salt: number): bigint {
  const mask = (1n << 64n) - 1n;
  let z = (BigInt(salt) * 0x9e3779b97f4a7c15n + 0x9e3779b97f4a7c15n) & mask;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
  return z ^ (z >> 31n);
}

/**
 * The random key of a row: one hash of the seed and the entity's keys,
 * computed once per row and shared by all its draws.
 * @example sql`SELECT ${rowKey(seed, sql`i`)} AS rk FROM range(10) r(i)`
 */
export function rowKey(seed: number, ...keys: readonly SqlFragment[]): SqlFragment {
  return sql`hash(${seed}::BIGINT, ${join(keys)})`;
}

/**
 * A uniform draw in the open interval (0, 1) from a row key.
 * @example uniform(sql`rk`, 7) // the row's draw number 7
 */
export function uniform(key: SqlFragment, salt: number): SqlFragment {
  return sql`(((hash(xor(${key}, ${saltConstant(salt)}::UBIGINT)) >> 11)::DOUBLE + 0.5) / ${TWO_53}::DOUBLE)`;
}

/** A standard normal draw (Box–Muller on two independent uniforms). */
export function normal(key: SqlFragment, salt: number): SqlFragment {
  return sql`(sqrt(-2.0 * ln(${uniform(key, salt)})) * cos(2.0 * pi() * ${uniform(key, salt + 100_000)}))`;
}

/**
 * A gamma draw with the given shape and mean (Wilson–Hilferty transform of a
 * normal; shapes below 1 are boosted with `Gamma(k) = Gamma(k+1) · U^(1/k)`).
 * Accurate enough for heterogeneity in purchase and dropout rates.
 */
export function gamma(key: SqlFragment, salt: number, shape: number, mean: number): SqlFragment {
  const k = shape < 1 ? shape + 1 : shape;
  const c = 1 / (9 * k);
  const z = normal(key, salt);
  const base = sql`(${k}::DOUBLE * pow(greatest(1.0 - ${c}::DOUBLE + ${z} * ${Math.sqrt(c)}::DOUBLE, 0.01), 3))`;
  const draw = shape < 1 ? sql`(${base} * pow(${uniform(key, salt + 200_000)}, ${1 / shape}::DOUBLE))` : base;
  return sql`(${draw} * ${mean / shape}::DOUBLE)`;
}

/** An exponential draw with mean 1. */
export function exponential(key: SqlFragment, salt: number): SqlFragment {
  return sql`(-ln(${uniform(key, salt)}))`;
}

/** A uniform integer in [low, high] (both inclusive). */
export function integerBetween(key: SqlFragment, salt: number, low: number, high: number): SqlFragment {
  return sql`(${low}::BIGINT + floor(${uniform(key, salt)} * ${high - low + 1}::BIGINT)::BIGINT)`;
}

/** One element of a list of words, chosen by a uniform draw `u` in (0, 1). */
export function pick(words: readonly string[], u: SqlFragment): SqlFragment {
  return sql`list_extract(${words}::VARCHAR[], 1 + floor(${u} * ${words.length}::INTEGER)::INTEGER)`;
}

/**
 * An exact Gamma(shape, 1) draw: Marsaglia & Tsang's method with six
 * candidate proposals evaluated side by side (set-based, no loop), the
 * first accepted one kept; each is accepted with probability > 0.95, so all
 * six fail less than once in 10^7 draws (the draw is then d, the
 * distribution's centre). Shapes below 1 are boosted with
 * Gamma(k) = Gamma(k+1) · U^(1/k). Uses salts salt … salt+11 (and +100000,
 * +200000 of them).
 */
export function gammaExact(key: SqlFragment, salt: number, shape: number): SqlFragment {
  const k = shape < 1 ? shape + 1 : shape;
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  const candidates = Array.from({ length: 6 }, (_, i) => {
    const z = normal(key, salt + 2 * i);
    const x = sql`(1.0 + ${c}::DOUBLE * ${z})`;
    const v = sql`(${x} * ${x} * ${x})`;
    return sql`CASE WHEN ${x} > 0 AND ln(${uniform(key, salt + 2 * i + 1)}) < 0.5 * ${z} * ${z} + ${d}::DOUBLE - ${d}::DOUBLE * ${v} + ${d}::DOUBLE * ln(greatest(${v}, 1e-300))
      THEN ${d}::DOUBLE * ${v} END`;
  });
  const draw = sql`coalesce(${join(candidates)}, ${d}::DOUBLE)`;
  return shape < 1 ? sql`(${draw} * pow(${uniform(key, salt + 200_000)}, ${1 / shape}::DOUBLE))` : sql`(${draw})`;
}
