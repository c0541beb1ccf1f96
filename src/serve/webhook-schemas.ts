import { z } from "zod";
import { MAX_ID_LENGTH } from "../model/index.js";

/** The zod schemas of the outbox and webhook routes (outbox-routes.ts, webhook-routes.ts). */

/** No control characters (C0, DEL, C1). */
const printable = (text: string) =>
  ![...text].some((c) => {
    const p = c.codePointAt(0) ?? 0;
    return p < 0x20 || (p >= 0x7f && p < 0xa0);
  });

const name = () =>
  z.string().min(1).max(MAX_ID_LENGTH).refine(printable, { message: "must not hold control characters" });

/** The largest page `GET /events` and the deliveries return. */
export const MAX_EVENT_PAGE = 500;

export const EventQuery = z.object({
  run: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe("only events of this run"),
  scheme: name().optional().describe("only events of this scheme"),
  kind: z
    .enum(["tier_change", "alert", "notice:upgrade-approaching", "notice:downgrade-pending"])
    .optional()
    .describe("only tier changes, only alerts, or only one kind of notice"),
  customer: name().optional().describe("only events of this customer (or lead) id"),
  delivered: z
    .enum(["true", "false"])
    .optional()
    .describe("true: delivered to at least one webhook; false: to none yet"),
  limit: z.coerce.number().int().min(1).max(MAX_EVENT_PAGE).default(100).describe(`page size, 1 to ${MAX_EVENT_PAGE}`),
  cursor: z.string().max(200).optional().describe("`next_cursor` of the previous page"),
});

export const OutboxEvent = z.object({
  eventId: z.number().int(),
  runId: z.number().int(),
  asOf: z.string(),
  scheme: z.string(),
  entityId: z.string(),
  fromTier: z.string().nullable(),
  toTier: z.string().nullable(),
  reason: z.string().nullable(),
  kind: z.enum(["tier_change", "alert", "notice"]),
  notice: z.enum(["upgrade-approaching", "downgrade-pending"]).optional().describe("notices: which one"),
  alert: z.string().optional().describe("alerts: the alert's name"),
  when: z.string().optional().describe("alerts: its condition"),
  tier: z.string().optional().describe("alerts: the tier watched"),
  idempotencyKey: z.string().describe("the `webhook-id` of its deliveries"),
  createdAt: z.string(),
  delivered: z.boolean().describe("delivered to at least one webhook"),
});

export const EventPage = z.object({
  items: z.array(OutboxEvent),
  next_cursor: z.string().nullable().describe("pass as `cursor` for the next page; null on the last page"),
});

const webhookType = z.enum([
  "tier.changed",
  "alert.triggered",
  "notice.upgrade_approaching",
  "notice.downgrade_pending",
]);

/** A secret as docs/webhooks.md describes: `whsec_` + base64, or raw text; space-separated during a rotation. */
const secret = z
  .string()
  .min(16)
  .max(1000)
  .refine(printable, { message: "must not hold control characters" })
  .refine(
    (s) =>
      s
        .split(" ")
        .filter((t) => t !== "")
        .every((t) => !t.startsWith("whsec_") || /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(t)),
    { message: "a whsec_ secret is whsec_ then the key in base64" },
  );

export const WebhookCreate = z
  .object({
    url: z.string().min(1).max(10_000).describe("http or https; no user or password in it"),
    secret: secret
      .optional()
      .describe(
        "the signing secret (whsec_… or at least 16 characters); none: the server makes one and returns it once",
      ),
    events: z.array(webhookType).min(1).max(2).optional().describe("the event types it takes (default both)"),
    schemes: z.array(name()).min(1).max(100).optional().describe("only events of these schemes (default every scheme)"),
  })
  .strict();

export const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(webhookType),
  schemes: z.array(z.string()).nullable().describe("null: every scheme"),
  created_by: z.string().describe("the name of the key that registered it"),
  created_at: z.string(),
});

export const WebhookCreated = WebhookView.extend({
  secret: z
    .string()
    .optional()
    .describe("the secret the server made (only when none was given): shown this once, never again"),
});

export const WebhookList = z.object({ items: z.array(WebhookView) });

export const WebhookParams = z.object({
  id: z.string().min(1).max(100).describe("webhook id, as POST /webhooks gave it"),
});

export const DeliveryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_EVENT_PAGE).default(100).describe(`page size, 1 to ${MAX_EVENT_PAGE}`),
  cursor: z.string().max(200).optional().describe("`next_cursor` of the previous page"),
});

export const DeliveryPage = z.object({
  circuit: z.object({
    failures: z.number().int().describe("consecutive failed attempts"),
    open_until: z.string().nullable().describe("no attempt before this time (UTC) while the circuit is open"),
  }),
  items: z.array(
    z.object({
      event_id: z.number().int(),
      attempt: z.number().int(),
      attempted_at: z.string().describe("UTC"),
      status: z.number().int().nullable().describe("the receiver's HTTP status; null: no answer"),
      error: z.string().nullable(),
      delivered: z.boolean(),
    }),
  ),
  next_cursor: z.string().nullable(),
});

export const RetryParams = z.object({
  id: z.string().min(1).max(100).describe("webhook id"),
  eventId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe("the event's eventId"),
});

export const RetryResultView = z.object({
  delivered: z.boolean(),
  attempted: z.boolean().describe("false: the circuit is open, nothing was sent"),
  circuit_open: z.boolean(),
});
