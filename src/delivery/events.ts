import type { Engine } from "../engine/engine.js";
import type { AlertCondition } from "../plan/alert.js";
import { type EventRow, eventsSql, outboxExtentSql } from "../sql/delivery/events.js";
import { eventKey } from "./event-id.js";

/** What every event of the outbox (`tw_events`) carries, as delivered to webhooks. */
interface EventFields {
  readonly eventId: number;
  readonly runId: number;
  readonly asOf: string;
  readonly scheme: string;
  readonly entityId: string;
  /** Null: the entity entered the scheme's scope in this run. */
  readonly fromTier: string | null;
  /** Null: the entity left the scheme's scope in this run. */
  readonly toTier: string | null;
  /**
   * Why: for a tier change the id of the rule that placed the entity now (the
   * kind such as `thresholds`, a rule id, `lifecycle`, `override:<mode>`) or
   * `left scope`; for an alert its condition. Null for events written before
   * reasons were recorded.
   */
  readonly reason: string | null;
  /**
   * The event's id for receivers: `evt_` + 64 hex digits, unique per event and the same on every
   * delivery (the `webhook-id` and `Idempotency-Key` headers); see deliverer/event-id.ts.
   */
  readonly idempotencyKey: string;
  readonly createdAt: string;
}

/** An entity's tier in a scheme changed since the scheme's previous run. */
export interface TierChangeEvent extends EventFields {
  readonly kind: "tier_change";
}

/**
 * A policy alert (policy `alerts:`): a customer newly met the alert's
 * condition. `tier` (= `fromTier`) is the
 * tier watched, held at the scheme's previous run; `toTier` the tier of this
 * run (null: not graded now).
 */
export interface AlertEvent extends EventFields {
  readonly kind: "alert";
  readonly alert: string;
  readonly when: AlertCondition;
  readonly tier: string;
}

/**
 * A notice to a member (a scheme's `notices:`, docs/policy.md): the upgrade to
 * `toTier` is within the scheme's distance, or a downgrade to `toTier` is
 * pending (its due date in `reason`). Stored with `kind` `notice:<notice>`.
 */
export interface NoticeEvent extends EventFields {
  readonly kind: "notice";
  readonly notice: "upgrade-approaching" | "downgrade-pending";
}

/** One event of the outbox: a tier change, an alert or a notice. */
export type TierEvent = TierChangeEvent | AlertEvent | NoticeEvent;

export interface EventsOptions {
  /** Only events of runs after this run id. */
  readonly since?: number;
}

export function toEvent(r: EventRow): TierEvent {
  const fields = {
    eventId: r.event_id,
    runId: r.run_id,
    asOf: r.as_of,
    scheme: r.scheme,
    entityId: r.entity_id,
    fromTier: r.from_tier ?? null,
    toTier: r.to_tier ?? null,
    reason: r.reason ?? null,
  };
  // The stored `idempotency_key` (`run:scheme:entity`, ambiguous when names hold a colon) is kept for
  // old readers of tw_events; receivers get the unambiguous id.
  const stamp = { idempotencyKey: eventKey(fields.runId, r.kind, r.scheme, r.entity_id), createdAt: r.created_at };
  // Alerts are stored as `alert:<condition>:<name>` (neither holds a colon).
  const [kind, when, alert] = r.kind.split(":");
  if (kind === "alert" && when !== undefined && alert !== undefined)
    return { ...fields, kind: "alert", alert, when: when as AlertCondition, tier: fields.fromTier ?? "", ...stamp };
  if (kind === "notice" && (when === "upgrade-approaching" || when === "downgrade-pending"))
    return { ...fields, kind: "notice", notice: when, ...stamp };
  return { ...fields, kind: "tier_change", ...stamp };
}

/**
 * The events of the outbox, in event order: one tier change per entity whose
 * tier in a scheme differs from the scheme's previous run (entered, left,
 * moved), then the run's policy alerts. Written in the run's snapshot
 * transaction.
 * @example
 * const changes = await events(store, { since: 41 });
 */
export async function events(engine: Engine, options: EventsOptions = {}): Promise<TierEvent[]> {
  return (await engine.query(eventsSql(options.since))).map(toEvent);
}

/** How far the outbox goes: the run of its last event and the latest run (null: none). */
export interface OutboxExtent {
  readonly lastEventRun: number | null;
  readonly latestRun: number | null;
}

export async function outboxExtent(engine: Engine): Promise<OutboxExtent> {
  const row = (await engine.query(outboxExtentSql()))[0];
  return { lastEventRun: row?.last_event_run ?? null, latestRun: row?.latest_run ?? null };
}

/**
 * Why a list of events is empty, in one line: no runs yet, an empty outbox,
 * or nothing after the run asked for (with the run of the last event).
 */
export function noEventsLine(since: number | undefined, extent: OutboxExtent): string {
  if (extent.latestRun === null) return "no events: the store has no runs yet";
  if (extent.lastEventRun === null)
    return `no events: the outbox is empty (tier changes are recorded from a scheme's second run on; the latest run is ${extent.latestRun})`;
  return `no events after run ${since ?? 0} (the last event is of run ${extent.lastEventRun}; the latest run is ${extent.latestRun})`;
}
