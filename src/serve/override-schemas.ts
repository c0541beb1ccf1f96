import { z } from "zod";
import { MAX_ID_LENGTH } from "../model/index.js";
import { MAX_PAGE } from "./schemas.js";

/**
 * The zod schemas of the overrides routes (override-routes.ts): they
 * validate requests, serialise responses and are their part of the
 * OpenAPI document. Ratings' schemas share the small pieces here.
 */

/** No control characters (C0, DEL, C1): names, ids and reasons are one line of text. */
export const printable = (text: string) =>
  ![...text].some((c) => {
    const p = c.codePointAt(0) ?? 0;
    return p < 0x20 || (p >= 0x7f && p < 0xa0);
  });

/** A line of text of 1 to `max` printable characters. */
export const textLine = (max: number) =>
  z.string().min(1).max(max).refine(printable, { message: "must not hold control characters" });

/** A customer id as the body or query names it (trimmed as ingest trims ids: docs/ingest.md, Ids). */
export const CustomerId = () => textLine(MAX_ID_LENGTH);

/** A calendar date YYYY-MM-DD from 1900-01-01 to 2199-12-31 (the dates the data may hold). */
export const CalendarDate = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date like 2026-01-31" })
    .refine(
      (d) => {
        const time = Date.parse(`${d}T00:00:00Z`);
        return Number.isFinite(time) && new Date(time).toISOString().startsWith(d);
      },
      { message: "is not a calendar date" },
    )
    .refine((d) => d >= "1900-01-01" && d <= "2199-12-31", {
      message: "must be a date from 1900-01-01 to 2199-12-31",
    });

/** `?all=true`: a boolean query parameter, only `true` or `false`. */
export const QueryFlag = () =>
  z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true");

/** Page size of the lists of overrides and ratings. */
export const PageLimit = () =>
  z.coerce.number().int().min(1).max(MAX_PAGE).default(50).describe(`page size, 1 to ${MAX_PAGE}`);

/** A cursor: the `next_cursor` of the previous page. */
export const PageCursor = () => z.string().max(1000).optional().describe("`next_cursor` of the previous page");

/** A record id in a path (`/overrides/{id}`, `/ratings/{id}`). */
export const RecordParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, { message: "must be a whole number from 1, in digits" })
    .transform(Number)
    .describe("the id the list shows"),
});

export const OverrideMode = z.enum(["fixed", "floor", "ceiling"]);

export const NewOverride = z
  .object({
    customer_id: CustomerId().describe("the customer (or, for a scheme that grades leads, the lead) it applies to"),
    scheme: textLine(MAX_ID_LENGTH).describe("a scheme of the latest run's policy"),
    tier: textLine(MAX_ID_LENGTH).describe("a tier of that scheme"),
    mode: OverrideMode.default("fixed").describe(
      "fixed: exactly this tier; floor: never below it; ceiling: never above it",
    ),
    reason: textLine(1000).describe("why (kept in the audit trail)"),
    expires: CalendarDate()
      .optional()
      .describe("YYYY-MM-DD: applies to runs as of a date before this one; none: until removed"),
  })
  .strict();

export const OverrideQuery = z.object({
  customer_id: CustomerId().optional().describe("only this customer's (or lead's) overrides"),
  scheme: textLine(MAX_ID_LENGTH).optional().describe("only this scheme's overrides"),
  all: QueryFlag().describe("true: also removed, replaced and expired ones"),
  limit: PageLimit(),
  cursor: PageCursor(),
});

export const OverrideAuditEntry = z.object({
  action: z.string().describe("set, replaced or removed"),
  at: z.string().describe("when (UTC)"),
  by: z.string().describe("the name of the key (or, from the CLI, the user) that did it"),
  tier: z.string().nullable(),
  mode: z.string().nullable(),
  reason: z.string().nullable(),
  previous: z.string().nullable().describe("the mode and tier it replaced or removed"),
});

export const OverrideView = z.object({
  id: z.number().int(),
  customer_id: z.string(),
  scheme: z.string(),
  tier: z.string(),
  mode: OverrideMode,
  reason: z.string(),
  created_by: z.string().describe("the name of the key that set it"),
  created_at: z.string(),
  expires: z.string().nullable().describe("YYYY-MM-DD, or null: until removed"),
  removed_at: z.string().nullable().describe("when it was removed or replaced; null while active"),
  audit: z.array(OverrideAuditEntry).describe("every set, replace and remove of this override, oldest first"),
});

export const OverridePage = z.object({
  items: z.array(OverrideView),
  next_cursor: z.string().nullable().describe("pass as `cursor` for the next page; null on the last page"),
});
