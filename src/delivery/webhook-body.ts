import type { TierEvent } from "./events.js";

/** The Standard Webhooks event types Tierwise sends. */
export type WebhookType =
  | "tier.changed"
  | "alert.triggered"
  | "notice.upgrade_approaching"
  | "notice.downgrade_pending";

/** `2025-07-01 06:00:00.000` (UTC, as stored) as ISO 8601 `2025-07-01T06:00:00.000Z`. */
function isoUtc(stored: string): string {
  const [date, time = "00:00:00"] = stored.split(" ");
  const [hms = "00:00:00", frac = ""] = time.split(".");
  return `${date}T${hms}.${frac.padEnd(3, "0").slice(0, 3)}Z`;
}

/**
 * The JSON body of an event's delivery, the Standard Webhooks way: an
 * object with `type`, `timestamp` (when the event was written, ISO 8601 UTC)
 * and `data` (the event as `tierwise events` prints it). The same bytes on
 * every delivery of the event.
 */
export function webhookBody(event: TierEvent): string {
  const type: WebhookType =
    event.kind === "notice"
      ? event.notice === "upgrade-approaching"
        ? "notice.upgrade_approaching"
        : "notice.downgrade_pending"
      : event.kind === "alert"
        ? "alert.triggered"
        : "tier.changed";
  return JSON.stringify({ type, timestamp: isoUtc(event.createdAt), data: event });
}
