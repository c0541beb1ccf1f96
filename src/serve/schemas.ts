import { z } from "zod";
import { MAX_ID_LENGTH } from "../model/index.js";
import { CUSTOMER_SEARCH } from "./customer-schemas.js";

/**
 * The zod schemas of the routes: they validate requests, serialise
 * responses and are the OpenAPI document (`/openapi.json`), one source.
 */

/** Every error response: a stable code (docs/errors.md), a message, the request field at fault for a 400. */
export const ErrorBody = z.object({
  code: z.string().describe("stable error code (docs/errors.md)"),
  message: z.string(),
  field: z.string().optional().describe("the request field at fault (400 only)"),
});

export const ERROR_RESPONSES = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  429: ErrorBody,
  500: ErrorBody,
} as const;

/** The OpenAPI security requirement of a route that needs a key. */
export const SECURED = [{ apiKey: [] }];

export const Health = z.object({ status: z.literal("ok") });
export const Ready = z.object({ status: z.enum(["ready", "unavailable"]) });

/** No control characters (C0, DEL, C1): no id, name, scheme or tier holds one, and PostgreSQL refuses NUL. */
const printable = (text: string) =>
  ![...text].some((c) => {
    const p = c.codePointAt(0) ?? 0;
    return p < 0x20 || (p >= 0x7f && p < 0xa0);
  });

/** Search text of a query parameter: 1 to 200 printable characters. */
const searchText = () =>
  z.string().min(1).max(MAX_ID_LENGTH).refine(printable, { message: "must not hold control characters" });

/** The largest page `GET /customers` returns. */
export const MAX_PAGE = 500;

export const CustomerQuery = z.object({
  q: searchText()
    .optional()
    .describe("an id prefix or part of the name; A–Z match either case, other letters as typed"),
  scheme: searchText().optional().describe("only customers graded by this scheme"),
  tier: searchText().optional().describe("only customers in this tier of `scheme`"),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50).describe(`page size, 1 to ${MAX_PAGE}`),
  cursor: z.string().max(1000).optional().describe("`next_cursor` of the previous page"),
  ...CUSTOMER_SEARCH,
});

export const CustomerSummary = z.object({
  id: z.string(),
  name: z.string().nullable(),
  tiers: z.array(z.object({ scheme: z.string(), tier: z.string() })).describe("the customer's tier per scheme"),
});

export const RunRef = z.object({ id: z.number().int(), as_of: z.string().describe("YYYY-MM-DD") });

export const CustomerPage = z.object({
  run: RunRef.describe("the run the tiers come from: the latest"),
  items: z.array(CustomerSummary),
  next_cursor: z.string().nullable().describe("pass as `cursor` for the next page; null on the last page"),
});

export const CustomerParams = z.object({ id: z.string().min(1).max(1000).describe("customer id") });

const ExplainedValue = z.object({ label: z.string(), value: z.union([z.number(), z.boolean()]).nullable() });

const SchemeExplanation = z.object({
  scheme: z.string(),
  kind: z.string(),
  tier: z.string().nullable(),
  rank: z.number().nullable(),
  ruleId: z.string().nullable(),
  reason: z.string(),
  score: z.number().nullable(),
  naturalTier: z.string().nullable(),
  flags: z.string().nullable(),
  values: z.array(ExplainedValue).readonly(),
  up: z.string().nullable(),
  down: z.string().nullable(),
  lifecycle: z
    .object({
      state: z.string().nullable(),
      qualifiedTier: z.string().nullable(),
      pendingTier: z.string().nullable(),
      dueOn: z.string().nullable(),
      enteredOn: z.string().nullable(),
      belowCount: z.number(),
      text: z.string(),
    })
    .nullable(),
  override: z
    .object({
      mode: z.string(),
      tier: z.string(),
      reason: z.string(),
      by: z.string(),
      expires: z.string().nullable(),
    })
    .nullable(),
  live: z
    .object({
      tier: z.string().nullable(),
      asOf: z.string(),
      at: z.string(),
      event: z.string(),
      cutoffsRun: z.number().int().nullable(),
      text: z.string(),
    })
    .optional()
    .describe("the tier an event gave the customer since the run (POST /events/…), when one did"),
});

/** One customer's grades in the latest run with their explanations: what `tierwise explain ID --json` prints. */
export const CustomerExplanation = z.object({
  entityId: z.string(),
  runId: z.number().int(),
  asOf: z.string(),
  dataChanged: z.boolean(),
  schemes: z.array(SchemeExplanation).readonly(),
  locale: z.string(),
  currency: z.string(),
  clvWarnings: z.array(z.string()).readonly(),
});

export const JobParams = z.object({ id: z.string().min(1).max(100).describe("job id, as POST gave it") });

/** A background job (src/serve/jobs.ts). */
export const JobView = z.object({
  id: z.string(),
  kind: z.enum(["run", "backfill", "ingest", "diff"]),
  status: z.enum(["queued", "running", "succeeded", "failed"]),
  created_by: z.string().describe("the name of the key that started it"),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  progress: z.object({
    phase: z.string().nullable().describe("the step it is at"),
    fraction: z.number().nullable().describe("0 to 1 when known"),
  }),
  result: z.unknown().describe("what the job made, when it succeeded"),
  error: z.object({ code: z.string(), message: z.string() }).nullable().describe("why it failed"),
});

export const JobList = z.object({ items: z.array(JobView) });
