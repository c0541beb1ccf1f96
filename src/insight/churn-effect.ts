/**
 * Comparing one signal between turned and retained customers: means and
 * Cohen's d with the pooled standard deviation, from whole-number sums
 * (exact, so a group whose values are all equal has a variance of exactly
 * zero and both engines give the same figures).
 */

/** One group's sums of a signal's values (whole numbers of 1/scale). */
export interface SignalSums {
  /** Customers with a value. */
  readonly n: bigint;
  readonly sum: bigint;
  readonly sumOfSquares: bigint;
}

export interface SignalEffect {
  /** Means in the signal's unit (null for a group without values). */
  readonly meanChurned: number | null;
  readonly meanRetained: number | null;
  /** meanChurned / meanRetained; null when either is null or the retained mean is 0. */
  readonly ratio: number | null;
  /**
   * Cohen's d, (churned mean − retained mean) / pooled standard deviation;
   * null when it cannot be computed: a group without values, fewer than 3
   * customers in all, or no variance in either group while the means differ
   * (then `separated`).
   */
  readonly effect: number | null;
  /** Every churned customer has one value and every retained customer another: the strongest difference there is. */
  readonly separated: boolean;
}

/** n × Σx² − (Σx)² = n × the sum of squared deviations from the mean, exactly. */
const scaledSquares = (s: SignalSums): bigint => s.n * s.sumOfSquares - s.sum * s.sum;

const mean = (s: SignalSums, scale: number): number | null => (s.n === 0n ? null : Number(s.sum) / Number(s.n) / scale);

/**
 * Compare one signal's sums of the churned and the retained group.
 * @example compareSignal({ n: 2n, sum: 6n, sumOfSquares: 18n }, { n: 4n, sum: 2n, sumOfSquares: 2n }, 1)
 *   // { meanChurned: 3, meanRetained: 0.5, ratio: 6, effect: 3.54…, separated: false }
 */
export function compareSignal(churned: SignalSums, retained: SignalSums, scale: number): SignalEffect {
  const meanChurned = mean(churned, scale);
  const meanRetained = mean(retained, scale);
  const ratio = meanChurned === null || meanRetained === null || meanRetained === 0 ? null : meanChurned / meanRetained;
  const none = { meanChurned, meanRetained, ratio, effect: null, separated: false };
  if (meanChurned === null || meanRetained === null) return none;
  const freedom = Number(churned.n + retained.n) - 2;
  if (freedom <= 0) return none;
  const a = scaledSquares(churned);
  const b = scaledSquares(retained);
  if (a === 0n && b === 0n) {
    const same = churned.sum * retained.n === retained.sum * churned.n;
    return same ? { ...none, effect: 0 } : { ...none, separated: true };
  }
  const pooledVariance = (Number(a) / Number(churned.n) + Number(b) / Number(retained.n)) / freedom / scale ** 2;
  return { ...none, effect: (meanChurned - meanRetained) / Math.sqrt(pooledVariance) };
}

/** Sort key: separated signals first, then by |d|, signals without an effect last. */
export function effectStrength(e: Pick<SignalEffect, "effect" | "separated">): number {
  if (e.separated) return Number.POSITIVE_INFINITY;
  return e.effect === null ? -1 : Math.abs(e.effect);
}
