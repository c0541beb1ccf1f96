import { UsageError } from "../errors/index.js";

/** How long a command waits for a busy store when `--wait` is not given. */
export const DEFAULT_WAIT = "30s";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `--wait` as milliseconds: `0`, `500ms`, `30s`, `2m`, `1h` (a bare number is seconds). */
export function parseWait(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  const amount = Number(match?.[1]);
  if (!match || !Number.isFinite(amount) || amount * (UNIT_MS[match[2] ?? "s"] ?? 1000) > 24 * 3_600_000) {
    throw new UsageError(
      `--wait must be a duration such as 0, 30s, 2m or 1h (at most 24h), got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(amount * (UNIT_MS[match[2] ?? "s"] ?? 1000));
}
