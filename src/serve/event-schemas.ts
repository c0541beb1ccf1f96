import { z } from "zod";
import { tableDef } from "../model/index.js";

/**
 * The bodies and answers of `POST /events/orders`, `/events/refunds` and
 * `/events/interactions` (docs/serve.md, "Events and real-time grades").
 * Fields are the data model's columns (docs/data-model.md); their values
 * are checked by the ingest's rules, not here: this only bounds the shape.
 */

/** The most events one request may carry. */
export const MAX_EVENTS = 100;

/** A field's value as a file would hold it: text or a number (or null: empty). */
const value = (description: string) =>
  z
    .union([
      z
        .string()
        .max(2000)
        .refine((t) => !t.includes("\0"), { message: "must not hold a NUL character" }),
      z.number(),
      z.null(),
    ])
    .optional()
    .describe(description);

function itemOf(table: "orders" | "interactions", leave: readonly string[] = []) {
  const fields: Record<string, ReturnType<typeof value>> = {};
  for (const c of tableDef(table).columns) {
    if (leave.includes(c.name)) continue;
    fields[c.name] = value(`${c.required ? "required. " : ""}${c.description}`);
  }
  return z.object(fields).strict();
}

function bodyOf(item: ReturnType<typeof itemOf>, name: string) {
  return z
    .union([item, z.object({ items: z.array(item).min(1).max(MAX_EVENTS) }).strict()])
    .describe(`one ${name} event, or { items: [...] } with 1 to ${MAX_EVENTS} (all written, or none)`);
}

export const OrderEvent = itemOf("orders");
/** A refund is a credit note: an `orders` row whose kind the route sets to `credit`. */
export const RefundEvent = itemOf("orders", ["kind"]);
export const InteractionEvent = itemOf("interactions");

export const OrderEvents = bodyOf(OrderEvent, "order");
export const RefundEvents = bodyOf(RefundEvent, "refund");
export const InteractionEvents = bodyOf(InteractionEvent, "interaction");

const LiveGrade = z.object({
  scheme: z.string(),
  tier: z.string().nullable().describe("null: outside the scheme's population now"),
  rank: z.number().int().nullable(),
  score: z.number().nullable(),
  rule: z.string().nullable().describe("the rule, kind, lifecycle or override that placed the customer"),
  cutoffs_run: z
    .number()
    .int()
    .nullable()
    .describe("population-relative schemes: graded against the cut-offs stored with this run"),
});

export const TierChange = z.object({ scheme: z.string(), from: z.string().nullable(), to: z.string().nullable() });

export const EventsAccepted = z.object({
  accepted: z.number().int().describe("events written (all of the request)"),
  as_of: z.string().describe("the as-of of the live grades: the day after now (UTC), so every event up to now counts"),
  customers: z.array(
    z.object({
      id: z.string(),
      run: z.number().int().describe("the full run the live grades stand on (the latest)"),
      grades: z.array(LiveGrade).describe("the new grade by every scheme the event touches"),
      changes: z.array(TierChange).describe("tier changes (also in the outbox)"),
      skipped: z
        .array(z.object({ scheme: z.string(), reason: z.string() }))
        .describe("schemes the event touches that cannot be graded alone (they change at the next run)"),
    }),
  ),
});

export const CurrentGrades = z.object({
  id: z.string(),
  run: z.object({ id: z.number().int(), as_of: z.string() }).describe("the latest full run"),
  grades: z.array(
    z.object({
      scheme: z.string(),
      tier: z.string().nullable(),
      rank: z.number().int().nullable(),
      score: z.number().nullable(),
      rule: z.string().nullable(),
      life_state: z.string().nullable(),
      due_on: z.string().nullable(),
      source: z.enum(["run", "live"]).describe("`live`: re-graded by an event since the run"),
      as_of: z.string().nullable(),
      event: z
        .object({ table: z.string(), id: z.string(), at: z.string() })
        .nullable()
        .describe("the event that made a live grade, and when"),
      cutoffs_run: z.number().int().nullable().describe("graded against the cut-offs stored with this run"),
      basis: z.string().describe("how the grade was made, in words"),
    }),
  ),
});
