import type { Engine } from "../engine/engine.js";
import { eventsSql } from "../sql/policy/events-sql.js";

/** One tier change in the outbox (`tw_events`), as delivered to webhooks. */
export interface TierEvent {
  readonly eventId: number;
  readonly runId: number;
  readonly asOf: string;
  readonly scheme: string;
  readonly entityId: string;
  /** Null: the entity entered the scheme's scope in this run. */
  readonly fromTier: string | null;
  /** Null: the entity left the scheme's scope in this run. */
  readonly toTier: string | null;
  readonly kind: "tier_change";
  /** `run_id:scheme:entity_id` — the same on every delivery of the event. */
  readonly idempotencyKey: string;
  readonly createdAt: string;
}

export interface EventsOptions {
  /** Only events of runs after this run id. */
  readonly since?: number;
}

export type EventRow = {
  event_id: unknown;
  run_id: unknown;
  as_of: string;
  scheme: string;
  entity_id: string;
  from_tier: string | null;
  to_tier: string | null;
  kind: string;
  idempotency_key: string;
  created_at: string;
};

export function toEvent(r: EventRow): TierEvent {
  return {
    eventId: Number(r.event_id),
    runId: Number(r.run_id),
    asOf: r.as_of,
    scheme: r.scheme,
    entityId: r.entity_id,
    fromTier: r.from_tier ?? null,
    toTier: r.to_tier ?? null,
    kind: "tier_change",
    idempotencyKey: r.idempotency_key,
    createdAt: r.created_at,
  };
}

/**
 * The tier-change events of the outbox, in event order: one per entity whose
 * tier in a scheme differs from the scheme's previous run (entered, left,
 * moved). Written in the run's snapshot transaction.
 * @example
 * const changes = await events(store, { since: 41 });
 */
export async function events(engine: Engine, options: EventsOptions = {}): Promise<TierEvent[]> {
  return (await engine.query<EventRow>(eventsSql(options.since))).map(toEvent);
}
