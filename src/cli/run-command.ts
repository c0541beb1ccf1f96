import {
  engineRangeError,
  fileSystemError,
  InternalError,
  TierwiseError,
  TierwiseErrors,
  UsageError,
} from "../errors/index.js";
import { isCalendarDate } from "../plan/calendar-date.js";
import { PolicyErrors } from "../policy/codes.js";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Whether `--debug` was given anywhere on the command line. */
export function debugRequested(argv: readonly string[] = process.argv): boolean {
  return argv.includes("--debug") || process.env["TIERWISE_DEBUG"] === "1";
}

/**
 * Print an error the way the CLI promises: one clear line per problem, no
 * stack trace unless --debug. Returns the exit code.
 */
export function reportError(error: unknown, debug: boolean): number {
  if (error instanceof PolicyErrors) {
    for (const p of error.problems) process.stderr.write(`error: ${p.oneLine()}\n`);
    const errors = error.problems.filter((p) => p.severity === "error").length;
    process.stderr.write(`${errors} problem${errors === 1 ? "" : "s"} in the policy\n`);
    return EXIT_FAILED;
  }
  if (error instanceof TierwiseErrors) {
    for (const e of error.errors) process.stderr.write(`error: ${e.oneLine()}\n`);
    return EXIT_FAILED;
  }
  if (error instanceof TierwiseError) {
    process.stderr.write(`error: ${error.oneLine()}\n`);
    return EXIT_FAILED;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  // A path the user gave that cannot be read or written, or a policy's arithmetic the engine cannot hold: coded lines, not bugs.
  const coded = fileSystemError(error) ?? engineRangeError(error);
  if (coded) {
    process.stderr.write(`error: ${coded.oneLine()}\n`);
    return EXIT_FAILED;
  }
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  const kind = error instanceof InternalError ? "internal error" : "unexpected error";
  process.stderr.write(`${kind}: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write("(run again with --debug for details)\n");
  return EXIT_FAILED;
}

/** Largest whole number an option takes unless it says otherwise (the engines' 32-bit INTEGER). */
export const MAX_OPTION_INTEGER = 2_147_483_647;

/** Parse a positive whole number option, written in digits (`_` groups them), at most `max`. */
export function positiveInteger(name: string, max = MAX_OPTION_INTEGER) {
  return (value: string): number => {
    const digits = value.trim().replaceAll("_", "");
    const n = Number(digits);
    if (!/^\d+$/.test(digits) || n <= 0 || n > max)
      throw new UsageError(`${name} must be a positive whole number (at most ${max}), got ${JSON.stringify(value)}`);
    return n;
  };
}

/** Parse a YYYY-MM-DD date option. */
export function isoDate(name: string) {
  return (value: string): string => {
    if (!isCalendarDate(value)) {
      throw new UsageError(`${name} must be a date like 2026-01-31, got ${JSON.stringify(value)}`);
    }
    // The years the data may hold (DATE_OUT_OF_RANGE): windows and periods stay within what the engines hold.
    if (value < "1900-01-01" || value > "2199-12-31") {
      throw new UsageError(`${name} must be a date from 1900-01-01 to 2199-12-31, got ${JSON.stringify(value)}`);
    }
    return value;
  };
}
