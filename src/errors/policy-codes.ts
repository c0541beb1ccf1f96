/**
 * Stable codes of every problem `tierwise policy check` reports (besides the
 * expression codes, EXPR_*), each with what it means. The messages of
 * each code are in policy-messages.ts.
 */
export const POLICY_CODES = {
  POLICY_YAML: "the file is not valid YAML",
  POLICY_SHAPE: "a key, value or type does not fit the policy format",
  POLICY_VERSION: "the policy version is missing or not supported",
  POLICY_DUPLICATE: "a name is used twice where names must be unique",
  POLICY_WEIGHTS: "scorecard weights must sum to 1",
  POLICY_UNREACHABLE_TIER: "a tier can never be reached",
  POLICY_BOUNDS: "tier bounds are out of order or missing",
  POLICY_RFM_MAP: "the RFM segment map has gaps or overlaps",
  POLICY_METRIC_CYCLE: "custom metrics refer to each other in a cycle",
  POLICY_NAME: "a custom metric name is not usable",
  POLICY_UNKNOWN_NAME: "an alert names a scheme or tier the policy does not have",
  POLICY_TIME_ZONE: "the time zone is not known",
  POLICY_LOCALE: "the locale is not a known BCP 47 language tag",
  POLICY_CURRENCY: "the currency is not a known ISO 4217 code",
  POLICY_UNKNOWN_PRESET: "there is no preset of that name",
  POLICY_UNREADABLE: "the policy file cannot be read",
} as const;

export type PolicyCode = keyof typeof POLICY_CODES;
