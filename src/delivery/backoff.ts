/**
 * Wait before attempt `attempt` (1-based; none before the first):
 * exponential with "equal jitter": half of `base × 2^(attempt-2)` plus a random share of the other half,
 * capped at `max`, so retries of many events spread out and none is immediate.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  if (attempt <= 1) return 0;
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 2));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
