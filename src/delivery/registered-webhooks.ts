import { randomBytes } from "node:crypto";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { type EventKind, eventDeliveryStateSql } from "../sql/delivery/claims.js";
import { endpointStateSql } from "../sql/delivery/endpoints.js";
import { eventsForDeliverySql } from "../sql/delivery/events.js";
import {
  deleteWebhookSql,
  insertWebhookSql,
  type WebhookRow,
  webhookByIdSql,
  webhookByUrlSql,
  webhooksSql,
} from "../sql/delivery/webhooks.js";
import { createDeliverer, type DeliverOptions, type SecretWebhook } from "./deliverer.js";
import { openSecret, SECRET_KEY_ENV, sealSecret } from "./secret-box.js";
import { signingSecrets } from "./standard-webhooks.js";
import type { WebhookType } from "./webhook-body.js";

/**
 * Webhook endpoints registered through the API (`POST /webhooks`), kept in
 * the store (`tw_webhooks`) beside the policy's webhooks. The signing secret
 * is sealed with AES-256-GCM under the server's key (secret-box.ts) and
 * opened only to sign deliveries; it is never returned after registration.
 */

export const WEBHOOK_TYPES = [
  "tier.changed",
  "alert.triggered",
  "notice.upgrade_approaching",
  "notice.downgrade_pending",
] as const satisfies readonly WebhookType[];

/** A registered endpoint as the API shows it: never its secret. */
export interface RegisteredWebhook {
  readonly id: string;
  readonly url: string;
  readonly events: readonly WebhookType[];
  /** Only these schemes; null: every scheme. */
  readonly schemes: readonly string[] | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

function toWebhook(row: WebhookRow): RegisteredWebhook {
  return {
    id: row.webhook_id,
    url: row.url,
    events: row.types.split(",").filter((t): t is WebhookType => (WEBHOOK_TYPES as readonly string[]).includes(t)),
    schemes: row.schemes === null ? null : (JSON.parse(row.schemes) as string[]),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

const stamp = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 23);

export interface Registration {
  /** A checked url (webhook-url.ts). */
  readonly url: string;
  /** A Standard Webhooks secret (`whsec_…`) or raw text; none: the server makes one. */
  readonly secret?: string;
  readonly events?: readonly WebhookType[];
  readonly schemes?: readonly string[];
}

/**
 * Register an endpoint; the secret comes back only when the server made it
 * (once: it is never shown again). Refused without the sealing key
 * (WEBHOOK_KEY_MISSING) and for a url registered already (WEBHOOK_URL_TAKEN).
 */
export async function registerWebhook(
  engine: Engine,
  input: Registration,
  key: Buffer | undefined,
  createdBy: string,
): Promise<{ webhook: RegisteredWebhook; secret: string | null }> {
  if (key === undefined) throw new TierwiseError("WEBHOOK_KEY_MISSING", { variable: SECRET_KEY_ENV });
  const taken = (await engine.query(webhookByUrlSql(input.url)))[0];
  if (taken) throw new TierwiseError("WEBHOOK_URL_TAKEN", { id: taken.webhook_id });
  const made = input.secret === undefined ? `whsec_${randomBytes(32).toString("base64")}` : null;
  const secret = input.secret ?? made ?? "";
  signingSecrets(secret, "secret");
  const id = `wh_${randomBytes(8).toString("hex")}`;
  const types = [...new Set(input.events ?? WEBHOOK_TYPES)];
  const schemes = input.schemes === undefined ? null : JSON.stringify([...new Set(input.schemes)]);
  await engine.exec(
    insertWebhookSql({
      id,
      url: input.url,
      secretEnc: sealSecret(secret, key, id),
      types: types.join(","),
      schemes,
      createdBy,
      createdAt: stamp(Date.now()),
    }),
  );
  const row = (await engine.query(webhookByIdSql(id)))[0];
  if (!row) throw new TierwiseError("WEBHOOK_NOT_FOUND", { id });
  return { webhook: toWebhook(row), secret: made };
}

export async function listWebhooks(engine: Engine): Promise<RegisteredWebhook[]> {
  return (await engine.query(webhooksSql())).map(toWebhook);
}

/** One endpoint; WEBHOOK_NOT_FOUND when there is none. */
export async function getWebhook(engine: Engine, id: string): Promise<RegisteredWebhook> {
  const row = (await engine.query(webhookByIdSql(id)))[0];
  if (!row) throw new TierwiseError("WEBHOOK_NOT_FOUND", { id });
  return toWebhook(row);
}

/** Remove an endpoint: nothing more is sent to it; its delivery log stays. */
export async function deleteWebhook(engine: Engine, id: string): Promise<void> {
  await getWebhook(engine, id);
  await engine.exec(deleteWebhookSql(id));
}

/** The outbox kind behind a webhook type. */
function kindOfType(type: WebhookType): EventKind {
  switch (type) {
    case "tier.changed":
      return "tier_change";
    case "alert.triggered":
      return "alert";
    case "notice.upgrade_approaching":
      return "notice:upgrade-approaching";
    case "notice.downgrade_pending":
      return "notice:downgrade-pending";
  }
}

function target(row: WebhookRow, key: Buffer): SecretWebhook | undefined {
  const secret = openSecret(row.secret_enc, key, row.webhook_id);
  if (secret === undefined) return undefined;
  const hook = toWebhook(row);
  return {
    url: row.url,
    secret,
    filter: {
      kinds: hook.events.map(kindOfType),
      ...(hook.schemes === null ? {} : { schemes: hook.schemes }),
    },
  };
}

/**
 * The registered endpoints as delivery targets, secrets opened. Those whose
 * secret does not open under this key (sealed under another) are left out
 * and their ids returned in `unopened`.
 */
export async function registeredTargets(
  engine: Engine,
  key: Buffer | undefined,
): Promise<{ targets: SecretWebhook[]; unopened: string[] }> {
  const rows = await engine.query(webhooksSql());
  if (key === undefined) return { targets: [], unopened: rows.map((r) => r.webhook_id) };
  const targets: SecretWebhook[] = [];
  const unopened: string[] = [];
  for (const row of rows) {
    const t = target(row, key);
    if (t) targets.push(t);
    else unopened.push(row.webhook_id);
  }
  return { targets, unopened };
}

/** The circuit breaker of an endpoint's url: consecutive failures, open until (null: closed). */
export async function circuitOf(engine: Engine, url: string): Promise<{ failures: number; openUntil: string | null }> {
  const row = (await engine.query(endpointStateSql(url)))[0];
  return { failures: row?.failures ?? 0, openUntil: row?.open_until ?? null };
}

/** What a manual retry did: one attempt, or none (the circuit is open). */
export interface RetryResult {
  readonly delivered: boolean;
  readonly attempted: boolean;
  readonly circuitOpen: boolean;
}

/**
 * Send one event to one registered endpoint now, once (a manual retry),
 * claiming it as the deliverers do so that no deliverer sends it at the same
 * time. EVENT_NOT_FOUND, EVENT_DELIVERED (already delivered there) or
 * EVENT_IN_FLIGHT (a deliverer holds it).
 */
export async function retryDelivery(
  engine: Engine,
  webhookId: string,
  eventId: number,
  key: Buffer | undefined,
  options: Pick<DeliverOptions, "timeoutMs" | "failureThreshold" | "cooldownMs"> = {},
): Promise<RetryResult> {
  const row = (await engine.query(webhookByIdSql(webhookId)))[0];
  if (!row) throw new TierwiseError("WEBHOOK_NOT_FOUND", { id: webhookId });
  if ((await engine.query(eventsForDeliverySql(row.url, [eventId]))).length === 0)
    throw new TierwiseError("EVENT_NOT_FOUND", { id: eventId });
  if (key === undefined) throw new TierwiseError("WEBHOOK_KEY_MISSING", { variable: SECRET_KEY_ENV });
  const state = (await engine.query(eventDeliveryStateSql(eventId, row.url, stamp(Date.now()))))[0];
  if (state?.delivered) throw new TierwiseError("EVENT_DELIVERED", { id: eventId, webhook: webhookId });
  if (state?.claimed) throw new TierwiseError("EVENT_IN_FLIGHT", { id: eventId, webhook: webhookId });
  const hook = target(row, key);
  if (!hook) throw new TierwiseError("WEBHOOK_KEY_MISSING", { variable: SECRET_KEY_ENV });
  // The event is sent even when the endpoint's filter would not take it: it was asked for by id.
  const result = await createDeliverer(engine, {
    ...options,
    webhooks: [{ url: hook.url, secret: hook.secret, filter: { only: eventId } }],
    attempts: 1,
    maxEvents: 1,
    concurrency: 1,
  }).deliverOnce();
  const circuitOpen = result.openCircuits.length > 0;
  if (result.attempts === 0 && !circuitOpen)
    throw new TierwiseError("EVENT_IN_FLIGHT", { id: eventId, webhook: webhookId });
  return { delivered: result.delivered > 0, attempted: result.attempts > 0, circuitOpen };
}
