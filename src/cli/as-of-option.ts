import { Option } from "commander";
import { UsageError } from "../errors/index.js";
import { isoDate } from "./run-command.js";

/** The flags the as-of options add. */
export interface AsOfFlags {
  asOf?: string;
  allowFuture?: boolean;
}

/** Today's calendar date on this machine (local time zone), YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The `--as-of <date>` option (checked to be a calendar date); pair it with `allowFutureOption()`. */
export function asOfOption(description: string, flag = "--as-of"): Option {
  return new Option(`${flag} <date>`, description).argParser(isoDate(flag));
}

/** The `--allow-future` option that lets `refuseFutureAsOf` accept a date after today. */
export function allowFutureOption(): Option {
  return new Option("--allow-future", "accept an as-of date after today");
}

/**
 * Refuse (usage error, exit 2) an as-of date after today unless `--allow-future`:
 * a future as-of grades data that cannot exist yet, almost always a typo.
 * Today is the local date (or the UTC date, when that is later).
 */
export function refuseFutureAsOf(date: string | undefined, allowFuture: boolean | undefined, flag = "--as-of"): void {
  if (date === undefined || allowFuture) return;
  const now = new Date();
  const utc = now.toISOString().slice(0, 10);
  const local = localToday(now);
  if (date > utc && date > local) {
    throw new UsageError(`${flag} ${date} is after today (${local}); pass --allow-future to grade a future date`);
  }
}
