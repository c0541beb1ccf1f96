/**
 * A policy alert (policy `alerts:`), checked: a condition on the customers of
 * one scheme that adds alert events to the outbox (docs/policy.md, Events).
 */

/**
 * What an alert watches for, between a scheme's previous run and this one:
 * `turned` (no completed order for the churn threshold), `at-risk` (past the
 * expected next order, not turned yet), `downgraded` (moved to a lower tier).
 */
export type AlertCondition = "turned" | "at-risk" | "downgraded";

export interface AlertPlan {
  /** Unique in the policy: lower-case letters, digits and dashes. */
  readonly name: string;
  /** A customer scheme of the policy. */
  readonly scheme: string;
  /** Tiers watched, as held at the scheme's previous run (the default, every tier but the lowest, is spelled out). */
  readonly tiers: readonly string[];
  readonly when: AlertCondition;
}
