import type { PolicyCode } from "./policy-codes.js";

/**
 * Every message the policy checker reports (besides the expression
 * language's, expression-messages.ts), by message id: the stable code it
 * reports under (POLICY_CODES) and its template. A part built from a list,
 * a number shown rounded or a parser's own words is built at the call site
 * and passed whole as a parameter.
 */
export const POLICY_MESSAGES = {
  // Reading the file.
  "policy.unreadable": { code: "POLICY_UNREADABLE", text: "cannot read {file}: {reason}" },
  "policy.unreadable-file": { code: "POLICY_UNREADABLE", text: "cannot read {file}" },
  /** `{reason}` is the YAML parser's first line. */
  "policy.yaml": { code: "POLICY_YAML", text: "{reason}" },
  "policy.not-a-mapping": { code: "POLICY_SHAPE", text: "a policy is a YAML mapping with version and schemes" },
  // Shape (check-shape.ts): `{where}` is the dotted path of the value.
  "policy.unknown-key": { code: "POLICY_SHAPE", text: "unknown key `{key}` in {where}" },
  "policy.version": { code: "POLICY_VERSION", text: "version must be 1" },
  "policy.unknown-kind": { code: "POLICY_SHAPE", text: "unknown scheme kind `{kind}`" },
  "policy.required": { code: "POLICY_SHAPE", text: "{where} is required" },
  /** `{problem}` is the schema validator's words for a value of the wrong type or range. */
  "policy.invalid-value": { code: "POLICY_SHAPE", text: "{where}: {problem}" },
  // Settings.
  "policy.unknown-time-zone": { code: "POLICY_TIME_ZONE", text: "unknown time zone {zone}" },
  "policy.unknown-locale": { code: "POLICY_LOCALE", text: "unknown locale {locale}" },
  "policy.unknown-currency": { code: "POLICY_CURRENCY", text: "unknown currency {currency}" },
  "policy.scale-not-positive": { code: "POLICY_SHAPE", text: "scale must be a positive number, not {value}" },
  "policy.overlay-not-a-mapping": { code: "POLICY_SHAPE", text: "an overlay holds only {keys}" },
  "policy.overlay-key": { code: "POLICY_SHAPE", text: "{key} cannot be overlaid: an overlay holds only {keys}" },
  // Presets.
  "policy.unknown-preset": { code: "POLICY_UNKNOWN_PRESET", text: "there is no preset {preset}" },
  "policy.no-preset": { code: "POLICY_UNKNOWN_PRESET", text: "no preset named" },
  // Custom metrics.
  "policy.metric-name-chars": {
    code: "POLICY_NAME",
    text: "custom metric name {name} must be lower-case letters, digits and _",
  },
  "policy.metric-name-built-in": { code: "POLICY_NAME", text: "custom metric {name} has the name of a built-in" },
  "policy.metric-cycle": {
    code: "POLICY_METRIC_CYCLE",
    text: "custom metrics refer to each other in a cycle: {cycle}",
  },
  // Schemes and tiers.
  "policy.scheme-twice": {
    code: "POLICY_DUPLICATE",
    text: "scheme `{scheme}` is defined twice (first as scheme {first})",
  },
  "policy.tier-twice": { code: "POLICY_DUPLICATE", text: "tier `{tier}` appears twice in scheme `{scheme}`" },
  "policy.kind-customers-only": { code: "POLICY_SHAPE", text: "{kind} schemes grade customers only" },
  "policy.tier-after-catch-all": {
    code: "POLICY_UNREACHABLE_TIER",
    text: "tier `{tier}` is unreachable: `{above}` above it has no {bound} and takes everyone",
  },
  "policy.tier-covered": {
    code: "POLICY_UNREACHABLE_TIER",
    text: "tier `{tier}` is unreachable: its rule is covered by `{above}` above",
  },
  "policy.tier-after-rest": {
    code: "POLICY_UNREACHABLE_TIER",
    text: "tier `{tier}` is unreachable: `{above}` above it has no {bound} and takes the rest",
  },
  "policy.last-tier-takes-rest": { code: "POLICY_BOUNDS", text: "the last tier `{tier}` must take the rest" },
  "policy.share-not-above": {
    code: "POLICY_UNREACHABLE_TIER",
    text: "tier `{tier}` is unreachable: its {bound} {value} is not above the {previous} of the tier above",
  },
  "policy.min-and-above": { code: "POLICY_BOUNDS", text: "tier `{tier}` has both min and above" },
  "policy.notice-needs-thresholds": {
    code: "POLICY_SHAPE",
    text: "upgrade_within needs a thresholds scheme (its metric and bounds); `{scheme}` is {kind}",
  },
  "policy.notice-needs-lifecycle": {
    code: "POLICY_SHAPE",
    text: "downgrade_pending needs a lifecycle (a keep bound or a lifecycle block) on `{scheme}`",
  },
  "policy.keep-without-entry": {
    code: "POLICY_BOUNDS",
    text: "tier `{tier}` has a keep bound but no min or above to enter it",
  },
  "policy.keep-above-entry": {
    code: "POLICY_BOUNDS",
    text: "tier `{tier}` keeps at {keep}, above its entry bound {entry}",
  },
  "policy.bound-scaled-too-large": {
    code: "POLICY_BOUNDS",
    text: "{value} times scale {scale} is {result}, larger than 10^15",
  },
  // RFM.
  "policy.rfm-cell-twice": { code: "POLICY_RFM_MAP", text: "R{r} F{f} is in both `{first}` and `{second}`" },
  "policy.rfm-tier-covered": {
    code: "POLICY_UNREACHABLE_TIER",
    text: "tier `{tier}` is unreachable: all its cells belong to segments above",
  },
  "policy.rfm-gaps": { code: "POLICY_RFM_MAP", text: "no segment for {cells}" },
  // Rules.
  "policy.order-unknown-tier": { code: "POLICY_SHAPE", text: "order names `{name}`, which is not a tier" },
  "policy.order-incomplete": { code: "POLICY_SHAPE", text: "order must name every tier exactly once" },
  "policy.when-and-rules": { code: "POLICY_SHAPE", text: "tier `{tier}` has both when and rules" },
  "policy.tier-without-rule": {
    code: "POLICY_UNREACHABLE_TIER",
    text: "tier `{tier}` is unreachable: it has no when, rules or otherwise",
  },
  "policy.rule-covered": {
    code: "POLICY_UNREACHABLE_TIER",
    text: "this rule of `{tier}` is unreachable: it is covered by rule {rule}",
  },
  "policy.otherwise-twice": {
    code: "POLICY_DUPLICATE",
    text: "only one tier may have otherwise; `{tier}` has it already",
  },
  "policy.rule-id-twice": { code: "POLICY_DUPLICATE", text: "rule id {id} is used twice" },
  // Scorecards.
  "policy.indicator-twice": { code: "POLICY_DUPLICATE", text: "indicator {indicator} is defined twice" },
  "policy.linear-clamp-range": { code: "POLICY_BOUNDS", text: "linear-clamp needs from ≠ to" },
  "policy.weights-sum": { code: "POLICY_WEIGHTS", text: "weights sum to {sum}, must be 1" },
  "policy.quantiles-take-top": { code: "POLICY_SHAPE", text: "grade_by quantiles takes top, not min" },
  "policy.score-takes-min": { code: "POLICY_SHAPE", text: "grade_by score takes min, not top" },
  "policy.alone-unknown-indicator": {
    code: "POLICY_SHAPE",
    text: "alone names indicator {indicator}, which is not defined",
  },
  // Playbooks.
  "policy.playbook-unknown-tier": {
    code: "POLICY_UNKNOWN_NAME",
    text: "playbook for `{tier}`, which is not a tier of scheme `{scheme}`",
  },
  "policy.benefit-twice": {
    code: "POLICY_DUPLICATE",
    text: "benefit `{benefit}` appears twice in the playbook of `{tier}`",
  },
  "policy.benefit-costs": {
    code: "POLICY_SHAPE",
    text: "benefit `{benefit}` of `{tier}` needs exactly one cost, has {count}",
  },
  "policy.campaign-twice": {
    code: "POLICY_DUPLICATE",
    text: "campaign `{campaign}` appears twice in the playbook of `{tier}`",
  },
  // Alerts.
  "policy.alert-twice": { code: "POLICY_DUPLICATE", text: "alert `{alert}` is defined twice (first as alert {first})" },
  "policy.alert-unknown-scheme": {
    code: "POLICY_UNKNOWN_NAME",
    text: "alert `{alert}` watches `{scheme}`, which is not a scheme of this policy",
  },
  "policy.alert-lead-scheme": { code: "POLICY_SHAPE", text: "alert `{alert}` watches `{scheme}`, a scheme of leads" },
  "policy.alert-unknown-tier": { code: "POLICY_UNKNOWN_NAME", text: "`{tier}` is not a tier of scheme `{scheme}`" },
  "policy.alert-tier-twice": { code: "POLICY_DUPLICATE", text: "tier `{tier}` appears twice in alert `{alert}`" },
  "policy.alert-lowest-downgraded": {
    code: "POLICY_UNREACHABLE_TIER",
    text: "`{tier}` is the lowest tier of `{scheme}`: it cannot be downgraded",
  },
  "policy.alert-no-tier": {
    code: "POLICY_SHAPE",
    text: "alert `{alert}` watches no tier: `{scheme}` has one tier, and the lowest is left out by default",
  },
} as const satisfies Readonly<Record<string, { readonly code: PolicyCode; readonly text: string }>>;
