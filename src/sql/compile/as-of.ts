import type { CalendarUnit, DurationUnit, Window } from "../../plan/expression.js";

/**
 * Dates of a run. Windows end the day before as-of and start N calendar
 * units earlier (a 12-month window at 2026-01-01 covers 2025-01-01 to
 * 2025-12-31); day boundaries are midnight in the policy's time zone,
 * given to SQL as UTC timestamps (the store's timestamps are UTC).
 */
export interface AsOf {
  /** The as-of calendar date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly timeZone: string;
}

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return [y, m, d];
}

const iso = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** `date` moved back by `amount` units; months clamp to the month's last day (03-31 − 1 month = 02-28). */
export function shiftBack(date: string, amount: number, unit: DurationUnit): string {
  const [y, m, d] = parts(date);
  if (unit === "day" || unit === "week") {
    const t = Date.UTC(y, m - 1, d) - amount * (unit === "week" ? 7 : 1) * 86_400_000;
    return new Date(t).toISOString().slice(0, 10);
  }
  const months = unit === "year" ? amount * 12 : amount;
  const total = y * 12 + (m - 1) - months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return iso(ny, nm, Math.min(d, last));
}

/** The first day of the calendar period (year, quarter, month) holding `date`. */
export function periodStart(date: string, unit: CalendarUnit): string {
  const [y, m] = parts(date);
  const first = unit === "year" ? 1 : unit === "quarter" ? m - ((m - 1) % 3) : m;
  return iso(y, first, 1);
}

/** The first day of the period after the one holding `date`. */
export function nextPeriodStart(date: string, unit: CalendarUnit): string {
  return shiftBack(periodStart(date, unit), -(unit === "year" ? 12 : unit === "quarter" ? 3 : 1), "month");
}

/** The start of a calendar window at as-of: the period holding the day before as-of. */
export function calendarWindowStart(asOf: string, unit: CalendarUnit): string {
  return periodStart(shiftBack(asOf, 1, "day"), unit);
}

/** The first day of a window at as-of (undefined: lifetime, no start). */
export function windowStartDate(asOf: string, w: Window): string | undefined {
  if (w.kind === "lifetime") return undefined;
  if (w.kind === "calendar") return calendarWindowStart(asOf, w.unit);
  return shiftBack(asOf, w.amount, w.unit as DurationUnit);
}

/** Offset of `zone` from UTC in minutes at the given UTC instant. */
function offsetMinutes(zone: string, utcMs: number): number {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const parts = f.formatToParts(new Date(utcMs));
  const p = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((x) => x.type === type)?.value);
  const local = Date.UTC(p("year"), p("month") - 1, p("day"), p("hour"), p("minute"), p("second"));
  return Math.round((local - utcMs) / 60_000);
}

/** Local midnight of `date` in `zone`, as a UTC timestamp text `YYYY-MM-DD HH:MM:SS`. */
export function midnightUtc(date: string, zone: string): string {
  const [y, m, d] = parts(date);
  const guess = Date.UTC(y, m - 1, d);
  let t = guess - offsetMinutes(zone, guess) * 60_000;
  t = guess - offsetMinutes(zone, t) * 60_000;
  return new Date(t).toISOString().replace("T", " ").slice(0, 19);
}
