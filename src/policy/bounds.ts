import type { DurationUnit } from "../plan/expression.js";

/**
 * The ranges every number a policy holds must lie in, checked by
 * `tierwise policy check` so that a run never meets a value the engines
 * cannot hold exactly (docs/policy.md, Bounds).
 */

/** Largest magnitude of a number literal or threshold (below 2^53: DuckDB and PostgreSQL hold it exactly). */
export const MAX_POLICY_NUMBER = 1e15;

/** Longest window, horizon or duration: 100 years in each unit. */
export const MAX_DURATION: Readonly<Record<DurationUnit, number>> = {
  day: 36_525,
  week: 5_218,
  month: 1_200,
  year: 100,
};

/** The range of `scale`. */
export const MIN_SCALE = 1e-6;
export const MAX_SCALE = 1e6;

/** Longest day counts (churn days, grace days, minimum stay): 100 years. */
export const MAX_DAYS = MAX_DURATION.day;

/** Whether `value` is a number a policy may hold. */
export function withinPolicyNumber(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= MAX_POLICY_NUMBER;
}
