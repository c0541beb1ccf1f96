import { createHash } from "node:crypto";

/**
 * The id of an event as receivers see it (`webhook-id`, `Idempotency-Key`,
 * the body's `data.idempotencyKey`): `evt_` and the hex SHA-256 of the
 * event's identifying parts (run id, stored kind, scheme, entity id), each
 * prefixed by its length in bytes. Length prefixes make the parts
 * unambiguous whatever they contain (a colon, a digit, any script), so
 * distinct events never share an id; the id is the same on every delivery of
 * an event; and it is plain ASCII, fit for an HTTP header.
 * @example
 * eventKey(3, "tier_change", "value-grades", "C0042"); // "evt_5b1d…" (64 hex digits)
 */
export function eventKey(runId: number, kind: string, scheme: string, entityId: string): string {
  const hash = createHash("sha256");
  for (const part of [String(runId), kind, scheme, entityId]) {
    const bytes = Buffer.from(part, "utf8");
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return `evt_${hash.digest("hex")}`;
}
