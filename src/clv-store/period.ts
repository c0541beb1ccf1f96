import type { TimeUnit } from "../clv/index.js";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { isCalendarDate } from "../plan/calendar-date.js";
import { type ClvPeriod, latestOrderDaySql } from "../sql/clv-store/stats.js";
import { midnightUtc, shiftBack } from "../sql/compile/as-of.js";

/** Days per time unit. */
export const UNIT_DAYS: Readonly<Record<TimeUnit, number>> = { day: 1, week: 7 };

/** The UTC instant that ends a day (inclusive) in `zone`: the next day's local midnight. */
export function endOfDayUtc(date: string, zone: string): string {
  return midnightUtc(shiftBack(date, -1, "day"), zone);
}

/** Throws UNKNOWN_TIME_ZONE unless `zone` is an IANA zone. */
export function checkTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new TierwiseError("UNKNOWN_TIME_ZONE", { zone });
  }
}

/** Whole days from `from` to `to` (ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The calibration period: the given end date, or the local day of the latest completed order. */
export async function resolvePeriod(
  engine: Engine,
  calibrationEnd: string | undefined,
  zone: string,
): Promise<ClvPeriod> {
  checkTimeZone(zone);
  let end = calibrationEnd;
  if (end !== undefined && !isCalendarDate(end)) {
    throw TierwiseError.of("clv.calibration-end", { value: JSON.stringify(end) });
  }
  if (end === undefined) {
    const latest = (await engine.query(latestOrderDaySql(zone)))[0]?.latest;
    if (!latest) throw new TierwiseError("CLV_NO_ORDERS", { date: "today" });
    end = latest.slice(0, 10);
  }
  return { calibrationEnd: end, calibrationCut: endOfDayUtc(end, zone), timeZone: zone };
}
