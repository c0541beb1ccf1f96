import type { Engine } from "../engine/engine.js";
import { deliveriesSql } from "../sql/delivery/events.js";
import { createDeliverer, type DeliverOptions, type DeliverResult } from "./deliverer.js";
import { legacySignature } from "./standard-webhooks.js";

export {
  createDeliverer,
  type Deliverer,
  type DeliverOptions,
  type DeliverResult,
  type SecretWebhook,
  type Webhook,
  type WebhookTarget,
} from "./deliverer.js";
export { eventKey } from "./event-id.js";
export { signingSecrets, webhookSignature } from "./standard-webhooks.js";
export { webhookBody } from "./webhook-body.js";

/**
 * Deprecated (kept one release): `sha256=<hex HMAC-SHA256 of the body>`, the
 * value of `X-Tierwise-Signature`. Receivers should verify `webhook-signature`.
 */
export function signature(secret: string, body: string): string {
  return legacySignature(secret, body);
}

/**
 * One delivery pass of the outbox to the webhooks (see createDeliverer):
 * every undelivered event (up to `maxEvents` per webhook) sent, signed the
 * Standard Webhooks way, retried with backoff, every attempt recorded in
 * `tw_event_deliveries`, a failing url's circuit opened. At-least-once: a
 * send that succeeded but was not recorded is sent again, with the same id
 * and body. `tierwise events deliver` runs one pass.
 * @example
 * await deliverEvents(store, { webhooks: [{ url: "https://crm.example/hooks/tiers", secretEnv: "CRM_SECRET" }] });
 */
export function deliverEvents(engine: Engine, options: DeliverOptions): Promise<DeliverResult> {
  return createDeliverer(engine, options).deliverOnce();
}

/** One recorded delivery attempt. */
export interface DeliveryAttempt {
  readonly eventId: number;
  readonly url: string;
  readonly attempt: number;
  readonly attemptedAt: string;
  readonly status: number | null;
  readonly error: string | null;
  readonly delivered: boolean;
}

/** Every recorded delivery attempt, by event, url and attempt. */
export async function deliveries(engine: Engine): Promise<DeliveryAttempt[]> {
  const rows = await engine.query(deliveriesSql());
  return rows.map((r) => ({
    eventId: r.event_id,
    url: r.url,
    attempt: r.attempt,
    attemptedAt: r.attempted_at,
    status: r.status,
    error: r.error,
    delivered: r.delivered,
  }));
}
