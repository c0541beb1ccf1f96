import { randomUUID } from "node:crypto";
import type { Engine } from "../engine/engine.js";
import { UsageError } from "../errors/index.js";
import {
  claimSql,
  type EventFilter,
  nextClaimableSql,
  releaseClaimSql,
  undeliveredFilteredCountSql,
} from "../sql/delivery/claims.js";
import { endpointStateSql, writeEndpointStateSql } from "../sql/delivery/endpoints.js";
import { type EventRow, eventsForDeliverySql, insertDeliverySql } from "../sql/delivery/events.js";
import { backoffDelay } from "./backoff.js";
import { type TierEvent, toEvent } from "./events.js";
import { type SigningSecret, signingSecrets, webhookHeaders } from "./standard-webhooks.js";
import { webhookBody } from "./webhook-body.js";

/** A webhook as the policy lists it: the secret is read from the named environment variable at delivery. */
export interface Webhook {
  readonly url: string;
  readonly secretEnv: string;
}

/**
 * A webhook registered through the API (`POST /webhooks`): its secret
 * (opened from the store by the caller) and the events it takes.
 */
export interface SecretWebhook {
  readonly url: string;
  readonly secret: string;
  readonly filter?: EventFilter;
}

/** Where events go: a policy webhook or a registered one. */
export type WebhookTarget = Webhook | SecretWebhook;

export interface DeliverOptions {
  readonly webhooks: readonly WebhookTarget[];
  /** More webhooks, asked for at the start of every pass (the continuous deliverer: registrations change). */
  readonly targets?: () => Promise<readonly WebhookTarget[]>;
  /** Who claims the events (tw_delivery_claims.owner); default a random id per deliverer. */
  readonly owner?: string;
  /** Attempts per event and pass (default 5). */
  readonly attempts?: number;
  /** Wait before the 2nd attempt, doubled before each further one, with jitter (default 500 ms). */
  readonly backoffMs?: number;
  /** Longest wait between two attempts (default 30 s). */
  readonly maxBackoffMs?: number;
  /** Per-request time limit (default 10 s). */
  readonly timeoutMs?: number;
  /** Requests in flight at once per webhook url (default 4). */
  readonly concurrency?: number;
  /** Events taken per webhook and pass, oldest first (default 1000). */
  readonly maxEvents?: number;
  /** Consecutive failed attempts to a url that open its circuit (default 5). */
  readonly failureThreshold?: number;
  /** How long an open circuit skips its url (default 60 s); then one trial event decides. */
  readonly cooldownMs?: number;
  /** start(): pause between two passes (default 5 s). */
  readonly intervalMs?: number;
  /** Where secrets are read from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Clock (ms since the epoch) and random source in [0, 1): injectable for tests. */
  readonly now?: () => number;
  readonly random?: () => number;
}

export interface DeliverResult {
  /** Events delivered in this pass (per webhook). */
  readonly delivered: number;
  /** Events attempted in this pass and still undelivered (per webhook). */
  readonly failed: number;
  /** HTTP requests made. */
  readonly attempts: number;
  /** Events undelivered after the pass (per webhook): failed, skipped at an open circuit, or beyond --max-events. */
  readonly undelivered: number;
  /** The urls whose circuit is open after the pass (skipped until the cool-down passes). */
  readonly openCircuits: readonly string[];
}

/** A deliverer: one pass at a time (`deliverOnce`), or passes every `intervalMs` between start() and stop(). */
export interface Deliverer {
  deliverOnce(): Promise<DeliverResult>;
  start(onPass?: (result: DeliverResult) => void, onError?: (error: unknown) => void): void;
  /** Start the next pass now (new events were written) instead of after the interval. */
  wake(): void;
  stop(): Promise<void>;
}

/** UTC `YYYY-MM-DD HH:MM:SS.mmm`, the form the store's timestamps take. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 23);
}

function fromStamp(text: string | null | undefined): number | null {
  return text ? Date.parse(`${text.replace(" ", "T")}Z`) : null;
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number | null; error: string | null }> {
  try {
    // A redirect is not followed (the signed event would go where the policy does not say): a failure.
    const response = await fetch(url, {
      method: "POST",
      body,
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    return { status: response.status, error: ok ? null : `HTTP ${response.status}` };
  } catch (e) {
    const name = e instanceof Error ? e.name : "";
    if (name === "TimeoutError") return { status: null, error: `timeout after ${timeoutMs} ms` };
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
    return { status: null, error: `${e instanceof Error ? e.message : String(e)}${cause}` };
  }
}

/**
 * Deliver the outbox (tier changes and alerts) to webhooks, apart from
 * grading: a run only writes events; a deliverer sends them, at least once.
 * Each pass takes per webhook up to `maxEvents` undelivered events (oldest
 * first) and sends them with at most `concurrency` requests in flight,
 * signed the Standard Webhooks way (standard-webhooks.ts) with the event's
 * id; a non-2xx answer, an error or a timeout is retried up to `attempts`
 * times with exponential backoff and jitter. Every attempt is recorded in
 * `tw_event_deliveries`. After `failureThreshold` consecutive failed
 * attempts to a url its circuit opens: the url is skipped (by this pass and
 * by every deliverer on the store) until `cooldownMs` has passed, then one
 * trial event decides whether it closes. So a dead receiver costs at most
 * `failureThreshold + concurrency - 1` requests per cool-down.
 * @example
 * const d = createDeliverer(store, { webhooks: [{ url: "https://crm.example/hooks", secretEnv: "CRM_SECRET" }] });
 * const result = await d.deliverOnce();
 */
export function createDeliverer(engine: Engine, options: DeliverOptions): Deliverer {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const attempts = Math.max(1, Math.trunc(options.attempts ?? 5));
  const backoffMs = Math.max(0, options.backoffMs ?? 500);
  const maxBackoffMs = Math.max(backoffMs, options.maxBackoffMs ?? 30_000);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = Math.max(1, Math.trunc(options.concurrency ?? 4));
  const maxEvents = Math.max(1, Math.trunc(options.maxEvents ?? 1000));
  const threshold = Math.max(1, Math.trunc(options.failureThreshold ?? 5));
  const cooldownMs = Math.max(0, options.cooldownMs ?? 60_000);
  // Statements on the store one at a time (one connection), whatever the requests in flight.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = chain.then(f, f);
    chain = next.catch(() => undefined);
    return next;
  };

  const owner = options.owner ?? randomUUID();
  // stop(): no new event is claimed, no further attempt made; a request in flight finishes (or times out).
  let stopping = false;
  const sleepers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });
  // A claim outlives every attempt of its event (each waits at most maxBackoff, then times out), with a margin.
  const leaseMs = attempts * (timeoutMs + maxBackoffMs) + 60_000;

  async function deliverOnce(): Promise<DeliverResult> {
    const hooks = [...options.webhooks, ...((await options.targets?.()) ?? [])];
    const keys = new Map<string, SigningSecret[]>();
    const filters = new Map<string, EventFilter | undefined>();
    for (const hook of hooks) {
      if (keys.has(hook.url)) continue;
      if ("secret" in hook) {
        keys.set(hook.url, signingSecrets(hook.secret, "the webhook's secret"));
        filters.set(hook.url, hook.filter);
        continue;
      }
      const value = env[hook.secretEnv];
      if (!value?.trim()) throw new UsageError(`webhook secret: the environment variable ${hook.secretEnv} is not set`);
      keys.set(hook.url, signingSecrets(value, hook.secretEnv));
    }
    let delivered = 0;
    let failed = 0;
    let requests = 0;
    let undelivered = 0;
    const openCircuits: string[] = [];
    // A url listed twice is one endpoint (the first listing's secret and filter).
    const urls = [...keys.keys()];
    await Promise.all(
      urls.map(async (url) => {
        const secrets = keys.get(url) ?? [];
        const filter = filters.get(url);
        const row = (await serial(() => engine.query(endpointStateSql(url))))[0];
        let failures = row?.failures ?? 0;
        const openUntil = fromStamp(row?.open_until);
        let open = openUntil !== null && openUntil > now();
        const save = (until: number | null) =>
          serial(() =>
            engine.exec(writeEndpointStateSql(url, failures, until === null ? null : stamp(until), stamp(now()))),
          );
        // Events are claimed in event order, `4 × concurrency` at a time (fewer statements per event): `after`
        // is the last one this pass looked at, so a pass never takes an event twice, and skips those another
        // deliverer holds. An event is sent only within half its lease of being claimed (the other half covers
        // its attempts); one that waited longer is given back for a later pass.
        let after = 0;
        let taken = 0;
        let exhausted = false;
        const ready: { readonly row: EventRow & { readonly attempts: number }; readonly at: number }[] = [];
        const release = (eventId: number) => engine.exec(releaseClaimSql(eventId, url, owner));
        const claimNext = (): Promise<(EventRow & { readonly attempts: number }) | undefined> =>
          serial(async () => {
            for (;;) {
              const next = ready.shift();
              if (next !== undefined) {
                if (!stopping && now() - next.at <= leaseMs / 2) return next.row;
                await release(next.row.event_id);
                continue;
              }
              if (exhausted || taken >= maxEvents || stopping) return undefined;
              const at = now();
              const want = Math.min(4 * concurrency, maxEvents - taken);
              const candidates = await engine.query(nextClaimableSql(url, filter, after, stamp(at), want));
              if (candidates.length < want) exhausted = true;
              const last = candidates.at(-1);
              if (last === undefined) return undefined;
              after = last.event_id;
              let won: number[] = [];
              try {
                const ids = candidates.map((c) => c.event_id);
                won = (await engine.query(claimSql(ids, url, owner, stamp(at), stamp(at + leaseMs)))).map(
                  (r) => r.event_id,
                );
              } catch {
                // A write conflict with another connection (DuckDB): the other one has them.
              }
              if (won.length === 0) continue;
              const rows = await engine.query(eventsForDeliverySql(url, won));
              taken += rows.length;
              for (const row of rows) ready.push({ row, at });
            }
          });

        async function deliverOne(row: EventRow & { readonly attempts: number }): Promise<void> {
          const event: TierEvent = toEvent(row);
          const body = webhookBody(event);
          for (let i = 1; i <= attempts && !open && !stopping; i++) {
            const wait = backoffDelay(i, backoffMs, maxBackoffMs, random);
            if (wait > 0) await sleep(wait);
            if (open || stopping) break;
            const headers = webhookHeaders(secrets, event.idempotencyKey, Math.floor(now() / 1000), body);
            const { status, error } = await post(url, body, headers, timeoutMs);
            requests++;
            await serial(() =>
              engine.exec(
                insertDeliverySql({
                  eventId: event.eventId,
                  url,
                  attempt: row.attempts + i,
                  at: stamp(now()),
                  status,
                  error,
                  delivered: error === null,
                }),
              ),
            );
            if (error === null) {
              if (failures > 0) {
                failures = 0;
                await save(null);
              }
              delivered++;
              return;
            }
            failures++;
            if (failures >= threshold && !open) open = true;
            await save(open ? now() + cooldownMs : null);
          }
          failed++;
          // Undelivered: give the claim up so that the next pass (of any deliverer) retries it.
          await serial(() => engine.exec(releaseClaimSql(event.eventId, url, owner)));
        }

        if (!open) {
          // A circuit past its cool-down (still `threshold` failures recorded) is half-open: one trial event first.
          if (failures >= threshold) {
            const first = await claimNext();
            if (first !== undefined) await deliverOne(first);
          }
          const worker = async () => {
            while (!open) {
              const next = await claimNext();
              if (next === undefined) return;
              await deliverOne(next);
            }
          };
          await Promise.all(Array.from({ length: concurrency }, worker));
        }
        // Claimed but not sent (the circuit opened, or stop()): given back at once, not held until the lease ends.
        for (const left of ready.splice(0)) await serial(() => release(left.row.event_id));
        if (open) openCircuits.push(url);
        undelivered += (await serial(() => engine.query(undeliveredFilteredCountSql(url, filter))))[0]?.n ?? 0;
      }),
    );
    return { delivered, failed, attempts: requests, undelivered, openCircuits };
  }

  let running: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  // A wake-up during a pass: the pass may have missed the new events, so the next one starts at once.
  let woken = false;
  return {
    deliverOnce,
    start(onPass, onError) {
      if (running) return;
      stopping = false;
      running = (async () => {
        while (!stopping) {
          woken = false;
          try {
            onPass?.(await deliverOnce());
          } catch (e) {
            onError?.(e);
          }
          if (stopping) break;
          if (woken) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.intervalMs ?? 5_000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
        }
      })();
    },
    wake() {
      woken = true;
      wake?.();
    },
    async stop() {
      stopping = true;
      wake?.();
      for (const done of [...sleepers]) done();
      await running;
      running = null;
    },
  };
}
