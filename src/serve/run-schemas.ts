import { z } from "zod";
import { isCalendarDate } from "../plan/calendar-date.js";
import { MAX_SCALE, MIN_SCALE } from "../policy/bounds.js";
import { knownCurrency } from "../policy/currency-code.js";
import { BACKFILL_MAX_DATES } from "../run/backfill.js";
import { ERROR_RESPONSES, ErrorBody, MAX_PAGE } from "./schemas.js";

/**
 * The schemas of the runs routes (run-routes.ts): starting runs and
 * backfills, the runs list, a run, its report.
 */

/** A date as the CLI's `--as-of` takes it: a calendar date from 1900-01-01 to 2199-12-31. */
export const IsoDate = z
  .string()
  .max(10)
  .refine(isCalendarDate, { message: "must be a date like 2026-01-31" })
  .refine((d) => d >= "1900-01-01" && d <= "2199-12-31", { message: "must be from 1900-01-01 to 2199-12-31" });

/** Policy YAML text, as a policy file holds it. */
export const PolicyText = z.string().min(1).describe("the policy as YAML text (what a policy file holds)");

/** Shipped preset names (`GET /presets`); `all` is every preset. */
export const PresetNames = z
  .array(z.string().min(1).max(100))
  .min(1)
  .max(50)
  .describe("shipped presets run together (`all`: every preset); GET /presets lists them");

/** `currency` and `scale` replace the policy's own (as the CLI's `--currency` and `--scale`, docs/policy.md). */
export const PolicySettingsFields = {
  currency: z
    .string()
    .max(10)
    .transform((c) => c.trim().toUpperCase())
    .refine(knownCurrency, { message: "must be an ISO 4217 code such as EUR, GBP or USD" })
    .optional()
    .describe("the policy's currency, replacing its own (ISO 4217, any case)"),
  scale: z
    .number()
    .min(MIN_SCALE)
    .max(MAX_SCALE)
    .optional()
    .describe("the policy's scale (multiplies money thresholds), replacing its own"),
};

const policyChoice = {
  policy: PolicyText.optional(),
  presets: PresetNames.optional(),
  ...PolicySettingsFields,
};

export const RunRequest = z
  .strictObject({
    ...policyChoice,
    policy_version: z
      .string()
      .regex(/^[0-9a-fA-F]{8,64}$/, { message: "must be 8 to 64 hex characters of a policy hash" })
      .optional()
      .describe("re-run a recorded policy version: its hash or a prefix (GET /policies lists them)"),
    as_of: IsoDate.optional().describe("grade as of this date; only facts before it count (default: today, UTC)"),
    allow_future: z.boolean().default(false).describe("accept an as_of after today"),
  })
  .describe("give `policy`, `presets` or `policy_version`, or none for the active policy (GET /policies/active)");

export const BackfillRequest = z
  .strictObject({
    ...policyChoice,
    from: IsoDate.describe("first as-of date"),
    to: IsoDate.describe("last as-of date (included when a step lands on it)"),
    every: z.enum(["week", "month", "quarter"]).describe("calendar steps from `from`, clamped to month ends"),
    allow_future: z.boolean().default(false).describe("accept a `to` after today"),
  })
  .describe(`one snapshot per date, oldest first, at most ${BACKFILL_MAX_DATES} dates`);

/** One problem of a policy: where, which code, what (as `tierwise policy check --json` prints it). */
export const PolicyProblemBody = z.object({
  code: z.string(),
  severity: z.enum(["error", "warning"]),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  hint: z.string().optional(),
});

/** A policy that does not check: the first problem's code and `line:column` message, every problem in `details`. */
export const PolicyErrorBody = ErrorBody.extend({
  details: z.array(PolicyProblemBody).describe("every problem found, in file order"),
});

export const RunParams = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,9}$/, { message: "must be a run id: a whole number from 1, in digits" })
    .transform(Number)
    .refine((n) => n <= 2_147_483_647, { message: "must be at most 2147483647" })
    .describe("run id (GET /runs lists them)"),
});

export const RunQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50).describe(`page size, 1 to ${MAX_PAGE}`),
  cursor: z.string().max(1000).optional().describe("`next_cursor` of the previous page"),
});

/** One stored run as `tierwise runs --json` lists it. */
export const RunListing = z.object({
  runId: z.number().int(),
  asOf: z.string(),
  policyHash: z.string(),
  currency: z.string(),
  createdAt: z.string().describe("when the run started (UTC)"),
  schemes: z.array(z.object({ scheme: z.string(), entity: z.string(), graded: z.number() })).readonly(),
  customers: z.number().describe("customers graded"),
  events: z.number().describe("its outbox events"),
  delivered: z.number().describe("of them, received by at least one webhook"),
  latest: z.boolean().describe("the run every read uses by default (the latest as-of)"),
});

export const RunPage = z.object({
  items: z.array(RunListing).readonly().describe("latest first (by as-of, ties to the newest run)"),
  next_cursor: z.string().nullable().describe("pass as `cursor` for the next page; null on the last page"),
});

export const ReportQuery = z.object({
  scheme: z.string().min(1).max(200).optional().describe("the scheme of the history sections"),
  crosstab: z
    .string()
    .max(401)
    .regex(/^.+ x .+$/, { message: 'must be two scheme names as "A x B"' })
    .optional()
    .describe('two customer schemes to cross, "A x B"'),
});

/** The report of a run: what `tierwise report --format json` prints (docs/report.md). */
export const ReportBody = z
  .looseObject({
    runId: z.number().int(),
    asOf: z.string(),
    policyHash: z.string(),
    currency: z.string(),
    locale: z.string(),
    schemes: z.array(z.looseObject({ scheme: z.string() })).readonly(),
  })
  .describe("every section of the report, as tierwise report --format json prints it (docs/report.md)");

export const HTML_RESPONSE = {
  description: "the report as one HTML file (no external resources: it works offline)",
  content: { "text/html": { schema: z.string() } },
};

/** The error responses a route can give: those of ERROR_RESPONSES it names (the contract test reaches each). */
export function errorResponses<K extends keyof typeof ERROR_RESPONSES>(
  ...statuses: K[]
): Pick<typeof ERROR_RESPONSES, K> {
  return Object.fromEntries(statuses.map((s) => [s, ERROR_RESPONSES[s]])) as Pick<typeof ERROR_RESPONSES, K>;
}

/** A store with no customers to grade (409 NO_CUSTOMERS). */
export const NO_CUSTOMERS_RESPONSE = { 409: ErrorBody.describe("the store has no customers to grade") };
