import { z } from "zod";
import { ID_TRIMMED } from "../model/index.js";
import { MAX_DAYS, MAX_POLICY_NUMBER, MAX_SCALE, MIN_SCALE } from "./bounds.js";

/**
 * The shape of a policy file (version 1), as zod schemas. Structure only:
 * expressions, bounds and names are checked by check-policy.ts, which also
 * knows where every value is in the file. `policyJsonSchema()` is what
 * `tierwise policy schema` prints for editors.
 */

const text = z.string().min(1);
const expression = text.describe("an expression, e.g. spend(12 months) >= 100000 (see docs/policy.md)");
/**
 * What a name may not start or end with: White_Space and default-ignorable
 * code points (a zero-width space, a byte-order mark), the characters ids
 * are trimmed of, so that `Gold` and `Gold` + U+200B are never two tiers.
 */
const OUTER_INVISIBLE = new RegExp(`^${ID_TRIMMED}|${ID_TRIMMED}$`, "u");
/**
 * Inside a name: no control characters, no unpaired surrogate (a database
 * would store U+FFFD, a different name) and no bidirectional embedding,
 * override or isolate controls (U+202A–U+202E, U+2066–U+2069), which reorder
 * how the text around a name is shown. Joiners (U+200C, U+200D) and marks
 * that scripts and emoji need stay allowed.
 */
const INNER_FORBIDDEN = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;
const name = z
  .string()
  .min(1)
  .max(200)
  .refine(
    (s) => !OUTER_INVISIBLE.test(s) && !INNER_FORBIDDEN.test(s),
    "names have no control characters, bidirectional overrides, unpaired surrogates, or spaces or invisible characters at either end",
  )
  .describe("any text in any script, e.g. VIP, 黄金客户, Első szint");
const percent = z.number().gt(0).lt(100);
/** Most tiers a scheme may have (docs/policy.md, Bounds). */
const MAX_TIERS = 1000;
/** A threshold or other plain number: finite and at most 10^15 in size (docs/policy.md, Bounds). */
const bounded = z.number().min(-MAX_POLICY_NUMBER).max(MAX_POLICY_NUMBER);
/** A count of days: a whole number of at most 100 years. */
const days = z.number().int().min(0).max(MAX_DAYS);

const money = z.number().min(0).max(MAX_POLICY_NUMBER);
const benefit = z
  .strictObject({
    name,
    discount_percent: z.number().gt(0).max(100).optional().describe("percent of the tier's yearly spend"),
    per_customer: money.optional().describe("fixed cost per customer per year"),
    gift: money.optional().describe("cost of a gift per customer per year"),
  })
  .describe("one benefit with exactly one cost: discount_percent, per_customer or gift");
const playbook = z.strictObject({
  service: z
    .enum(["basic", "proactive", "premium"])
    .optional()
    .describe("docs/schemes.md §7: basic, proactive or premium service"),
  rep_level: z
    .enum(["standard", "key-account", "senior"])
    .optional()
    .describe("the rep level the tier's customers need (tierwise assign-reps)"),
  benefits: z.array(benefit).optional(),
  campaigns: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "campaign tags are lower-case letters, digits and dashes"))
    .optional(),
});

const common = {
  name,
  entity: z.enum(["customers", "leads"]).default("customers").optional(),
  visibility: z.enum(["internal", "customer-facing"]).optional().describe("default internal (docs/schemes.md §12)"),
  description: z.string().optional(),
  population: expression.optional().describe("who is graded; everyone else is out of scope"),
  lifecycle: z
    .strictObject({
      period: z
        .enum(["month", "quarter", "year"])
        .optional()
        .describe("calendar period of next-period upgrades and period-end downgrades (default year)"),
      upgrade: z.enum(["immediate", "next period"]).optional().describe("default immediate"),
      downgrade: z
        .string()
        .regex(
          /^(immediate|never|period end|after [1-9][0-9]* evaluations?)$/,
          "immediate, never, period end, or after N evaluations",
        )
        .refine((d) => !d.startsWith("after") || Number(d.split(" ")[1]) <= 1000, "after at most 1000 evaluations")
        .optional()
        .describe("default immediate"),
      grace_days: days.optional().describe("days below before a downgrade takes effect (0)"),
      minimum_stay_days: days.optional().describe("days in a tier before it can be lost (0)"),
      anchor: z
        .enum(["calendar", "anniversary"])
        .optional()
        .describe("period boundaries: calendar (default), or each member's anniversary of entering the tier"),
      downgrade_to: z
        .enum(["kept tier", "one tier down"])
        .optional()
        .describe(
          "kept tier (default): the highest tier whose retention bound holds; one tier down: one tier per evaluation",
        ),
    })
    .optional()
    .describe("how tiers are kept between runs (see docs/policy.md, Lifecycle)"),
  notices: z
    .strictObject({
      upgrade_within: z
        .union([
          z.number().gt(0).max(MAX_POLICY_NUMBER),
          z
            .string()
            .regex(/^(100|[1-9]?[0-9](\.[0-9]{1,6})?)%$/, "a number, or a percentage such as 10%")
            .refine((text) => Number(text.slice(0, -1)) > 0, "a percentage more than 0%"),
        ])
        .optional()
        .describe("an upgrade-approaching notice within this distance of the next tier's bound (or % of it)"),
      downgrade_pending: z.boolean().optional().describe("a downgrade-pending notice with its due date (lifecycle)"),
    })
    .optional()
    .describe("notice events into the outbox (thresholds schemes; docs/policy.md, Notices)"),
  playbooks: z
    .record(z.string(), playbook)
    .optional()
    .describe(
      "per tier name: service level, rep level, benefits with their cost, campaign tags (docs/policy.md, Playbooks)",
    ),
};

const rule = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, "ids are lower-case letters, digits and dashes")
    .optional(),
  when: expression,
  reason: z.string().optional(),
});

const thresholds = z.strictObject({
  ...common,
  kind: z.literal("thresholds"),
  metric: expression,
  tiers: z
    .array(
      z.strictObject({
        name,
        min: bounded.optional(),
        above: bounded.optional(),
        keep: bounded.optional().describe("retention bound: a holder keeps the tier while at or above it"),
      }),
    )
    .min(1)
    .max(MAX_TIERS)
    .describe("top tier first; a tier without min/above takes everyone else"),
});

const rules = z.strictObject({
  ...common,
  kind: z.literal("rules"),
  order: z.array(name).optional().describe("evaluation order of tiers (default: the tiers' order)"),
  tiers: z
    .array(
      z.strictObject({
        name,
        when: expression.optional(),
        rules: z.array(rule).min(1).optional(),
        otherwise: z.string().optional().describe("this tier takes everyone no rule placed, for this reason"),
      }),
    )
    .min(1)
    .max(MAX_TIERS),
});

const normalise = z.union([
  z.enum(["value", "percentile", "min-max"]),
  z.strictObject({ "linear-clamp": z.strictObject({ from: bounded, to: bounded }) }),
  z.strictObject({ bands: z.array(z.strictObject({ min: bounded, points: z.number().min(0).max(100) })).min(1) }),
]);

const scorecard = z.strictObject({
  ...common,
  kind: z.literal("scorecard"),
  indicators: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z][a-z0-9_]*$/, "indicator names are lower-case letters, digits and _"),
        value: expression,
        weight: z.number().min(0).max(1),
        normalise: normalise.default("value").optional(),
        missing: z
          .union([
            z.literal("exclude"),
            z.strictObject({ score: z.number().min(0).max(100), flag: z.boolean().optional() }),
          ])
          .optional()
          .describe("default: score 50, flagged"),
      }),
    )
    .min(1),
  grade_by: z.enum(["score", "quantiles"]).optional(),
  tiers: z
    .array(z.strictObject({ name, min: bounded.optional(), top: percent.optional() }))
    .min(1)
    .max(MAX_TIERS),
  alone: z.strictObject({ when: expression, indicator: z.string() }).optional(),
});

const pareto = z.strictObject({
  ...common,
  kind: z.literal("pareto"),
  metric: expression,
  tiers: z
    .array(z.strictObject({ name, up_to: percent.optional() }))
    .min(1)
    .max(MAX_TIERS),
});

const quantiles = z.strictObject({
  ...common,
  kind: z.literal("quantiles"),
  metric: expression,
  tiers: z
    .array(z.strictObject({ name, top: percent.optional() }))
    .min(1)
    .max(MAX_TIERS),
});

const score = z.union([
  z.number().int().min(1).max(5),
  z.string().regex(/^[1-5]-[1-5]$/, 'a score 1-5 or a range "4-5"'),
]);
const rfm = z.strictObject({
  ...common,
  kind: z.literal("rfm"),
  recency: expression.optional().describe("default recency (days; lower is better)"),
  frequency: expression.optional().describe("default orders(lifetime)"),
  monetary: expression.optional().describe("default spend(lifetime)"),
  tiers: z
    .array(z.strictObject({ name, r: score, f: score }))
    .min(1)
    .max(MAX_TIERS),
});

export const schemeSchema = z.discriminatedUnion("kind", [thresholds, rules, scorecard, pareto, quantiles, rfm]);

export const policySchema = z.strictObject({
  version: z.literal(1),
  name: z.string().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR")
    .optional(),
  scale: z
    .number()
    .min(MIN_SCALE)
    .max(MAX_SCALE)
    .optional()
    .describe("multiplies every money threshold (0.01 for a small shop)"),
  time_zone: z.string().optional(),
  locale: z.string().optional(),
  revenue_window: z
    .string()
    .regex(/^\d+ months?$/)
    .refine((w) => Number.parseInt(w, 10) >= 1 && Number.parseInt(w, 10) <= 1200, "from 1 to 1200 months")
    .optional()
    .describe("window of the revenue column, default 12 months"),
  mapping: z.string().optional().describe("path of a data mapping file (see docs/ingest.md)"),
  metrics: z.record(z.string(), expression).optional(),
  churn: z
    .strictObject({
      days: z
        .number()
        .positive()
        .max(MAX_DAYS)
        .optional()
        .describe("days without an order after which a customer has turned (180)"),
      k: z
        .number()
        .positive()
        .max(100)
        .optional()
        .describe("or k times the customer's median days between orders, if longer (3)"),
      p_alive: z
        .number()
        .gt(0)
        .lt(1)
        .optional()
        .describe("with the CLV model on: also turned once P(alive) falls below this (docs/schemes.md §10 says 0.3)"),
    })
    .optional()
    .describe("when a customer has turned (see docs/policy.md, Churn)"),
  clv: z
    .strictObject({
      model: z.enum(["bgnbd", "pareto-nbd"]).optional().describe("buying model (default bgnbd)"),
      time_unit: z.enum(["day", "week"]).optional().describe("time unit of the fit (default week)"),
      discount_rate: z.number().min(0).max(10).optional().describe("per year, for clv(h) (default 0.1)"),
      margin: z.number().gt(0).max(1).optional().describe("share of spend that is margin, for clv(h) (default 1)"),
      prior: z
        .enum(["none", "weak"])
        .optional()
        .describe(
          "weak: maximum a posteriori with weak priors, for data that cannot pin the model down (default none)",
        ),
      exclude_nonpositive: z
        .boolean()
        .optional()
        .describe("leave repeat buyers whose repeat purchases are worth 0 or less out of Gamma-Gamma (default false)"),
    })
    .optional()
    .describe("the model behind p_alive, expected_orders(h) and clv(h) (see docs/clv.md)"),
  webhooks: z
    .array(
      z.strictObject({
        url: z.string().regex(/^https?:\/\/\S+$/, "an http:// or https:// address"),
        secret_env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "the name of an environment variable")
          .describe("environment variable holding the signing secret (never written in the policy)"),
      }),
    )
    .optional()
    .describe("receivers of tier-change and alert events (see docs/policy.md, Events)"),
  alerts: z
    .array(
      z.strictObject({
        name: z
          .string()
          .max(100)
          .regex(/^[a-z0-9][a-z0-9-]*$/, "alert names are lower-case letters, digits and dashes"),
        scheme: name.describe("a customer scheme of this policy"),
        tiers: z
          .array(name)
          .min(1)
          .optional()
          .describe("tiers held at the scheme's previous run (default: every tier but the lowest)"),
        when: z
          .enum(["turned", "at-risk", "downgraded"])
          .describe("turned or at-risk (policy churn:), or downgraded (moved to a lower tier)"),
      }),
    )
    .optional()
    .describe("conditions that add alert events to the outbox (see docs/policy.md, Events)"),
  schemes: z.array(schemeSchema).min(1),
});

export type PolicyFile = z.infer<typeof policySchema>;
export type SchemeFile = z.infer<typeof schemeSchema>;

/** The JSON Schema of policy files (draft 2020-12), for editors. */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(policySchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://tierwise.dev/schema/policy-1.json",
    title: "Tierwise policy (version 1)",
  };
}
