import { createHmac } from "node:crypto";
import type { Engine } from "../engine/engine.js";
import { UsageError } from "../errors/index.js";
import { deliveriesSql, insertDeliverySql, undeliveredEventsSql } from "../sql/policy/events-sql.js";
import { type EventRow, type TierEvent, toEvent } from "./events.js";

/** A webhook as the policy lists it: the secret is read from the named environment variable at delivery. */
export interface Webhook {
  readonly url: string;
  readonly secretEnv: string;
}

export interface DeliverOptions {
  readonly webhooks: readonly Webhook[];
  /** Attempts per event and call (default 5). */
  readonly attempts?: number;
  /** Wait before the 2nd attempt; doubled before each further one (default 500 ms). */
  readonly backoffMs?: number;
  /** Per-request time limit (default 10 s). */
  readonly timeoutMs?: number;
  /** Where secrets are read from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface DeliverResult {
  /** Events delivered in this call (per webhook). */
  readonly delivered: number;
  /** Events still undelivered after this call's attempts (per webhook). */
  readonly failed: number;
  /** HTTP requests made. */
  readonly attempts: number;
}

/** `sha256=<hex HMAC-SHA256 of the body>`, the value of `X-Tierwise-Signature`. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function stamp(): string {
  return new Date().toISOString().replace("T", " ").slice(0, 23);
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number | null; error: string | null }> {
  try {
    const response = await fetch(url, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { status: response.status, error: response.ok ? null : `HTTP ${response.status}` };
  } catch (e) {
    const name = e instanceof Error ? e.name : "";
    return { status: null, error: name === "TimeoutError" ? `timeout after ${timeoutMs} ms` : String(e) };
  }
}

/**
 * POST every event (tier change or alert) not yet delivered to each webhook, as JSON, signed with
 * the webhook's secret (`X-Tierwise-Signature`) and carrying the event's
 * `Idempotency-Key`; a non-2xx answer, an error or a timeout is retried with
 * exponential backoff. Every attempt is recorded in `tw_event_deliveries`; an
 * event that keeps failing stays undelivered and the next call (`tierwise
 * events retry`) sends it again. At-least-once: a send that succeeded but was
 * not recorded is sent again, with the same key.
 * @example
 * await deliverEvents(store, { webhooks: [{ url: "https://crm.example/hooks/tiers", secretEnv: "CRM_SECRET" }] });
 */
export async function deliverEvents(engine: Engine, options: DeliverOptions): Promise<DeliverResult> {
  const env = options.env ?? process.env;
  const attempts = Math.max(1, Math.trunc(options.attempts ?? 5));
  const backoffMs = options.backoffMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let delivered = 0;
  let failed = 0;
  let requests = 0;
  for (const hook of options.webhooks) {
    const secret = env[hook.secretEnv];
    if (!secret) throw new UsageError(`webhook secret: the environment variable ${hook.secretEnv} is not set`);
    const pending = await engine.query<EventRow & { attempts: unknown }>(undeliveredEventsSql(hook.url));
    for (const row of pending) {
      const event: TierEvent = toEvent(row);
      const body = JSON.stringify(event);
      const headers = { "X-Tierwise-Signature": signature(secret, body), "Idempotency-Key": event.idempotencyKey };
      let ok = false;
      for (let i = 0; i < attempts && !ok; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (i - 1)));
        const { status, error } = await post(hook.url, body, headers, timeoutMs);
        requests++;
        ok = error === null;
        await engine.exec(
          insertDeliverySql({
            eventId: event.eventId,
            url: hook.url,
            attempt: Number(row.attempts) + i + 1,
            at: stamp(),
            status,
            error,
            delivered: ok,
          }),
        );
      }
      if (ok) delivered++;
      else failed++;
    }
  }
  return { delivered, failed, attempts: requests };
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
  const rows = await engine.query<{
    event_id: unknown;
    url: string;
    attempt: unknown;
    attempted_at: string;
    status: unknown;
    error: string | null;
    delivered: unknown;
  }>(deliveriesSql());
  return rows.map((r) => ({
    eventId: Number(r.event_id),
    url: r.url,
    attempt: Number(r.attempt),
    attemptedAt: r.attempted_at,
    status: r.status === null || r.status === undefined ? null : Number(r.status),
    error: r.error ?? null,
    delivered: r.delivered === true,
  }));
}
