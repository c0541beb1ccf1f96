import type { Engine } from "../engine/engine.js";
import { TierwiseError, UsageError } from "../errors/index.js";
import { isCalendarDate } from "../plan/calendar-date.js";
import type { LoadedPolicy } from "../policy/load-policy.js";
import { shiftBack } from "../sql/compile/as-of.js";
import { type RunResult, runWith } from "./run.js";
import { dropSharedWork, prepareSharedWork, type SharedWork, sourcesAt } from "./shared-work.js";

/** How far apart backfilled snapshots are. */
export type BackfillEvery = "week" | "month" | "quarter";

/** The most snapshots one backfill writes (10 years of weeks). */
export const BACKFILL_MAX_DATES = 520;

export interface BackfillOptions {
  /** First as-of date, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last possible as-of date, `YYYY-MM-DD` (included when a step lands on it). */
  readonly to: string;
  readonly every: BackfillEvery;
  /**
   * Called as the backfill goes: the as-of date being graded, its index
   * (0-based; also the number of dates already written), the number of
   * dates, and the current step with its fraction done (0..1). A step of
   * the date's run has its number among the run's steps (`stepNo` of
   * `steps`); the work before the run (the facts shared by all dates, the
   * rolling facts) has `steps` 0.
   */
  readonly onProgress?: (progress: BackfillProgress) => void;
  /** Called after each snapshot is written (committed). */
  readonly onSnapshot?: (result: RunResult, index: number, total: number) => void;
  /** Test hook: make the run at this as-of date fail at the named step. */
  readonly failAt?: { readonly asOf: string; readonly step: string };
}

export interface BackfillProgress {
  readonly asOf: string;
  readonly index: number;
  readonly total: number;
  readonly step: string;
  readonly fraction: number;
  /** The step's number (1-based) among the run's `steps`; 0 before the run. */
  readonly stepNo: number;
  readonly steps: number;
}

export interface BackfillResult {
  /** One result per snapshot written, oldest first. */
  readonly runs: readonly RunResult[];
  readonly durationMs: number;
}

function checkDate(name: string, value: string): void {
  if (!isCalendarDate(value)) throw new UsageError(`${name} must be a date YYYY-MM-DD, not ${value}`);
}

/**
 * The as-of dates of a backfill: `from`, then `from` plus 1, 2, … periods,
 * up to and including `to`. Months and quarters are calendar steps from
 * `from`, clamped to the month's last day (from 2025-01-31 monthly:
 * 2025-02-28, 2025-03-31, …).
 * @throws UsageError for bad dates, `from` after `to`, an unknown period or more than 520 dates.
 */
export function backfillDates(from: string, to: string, every: string): string[] {
  checkDate("--from", from);
  checkDate("--to", to);
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const step =
    every === "week"
      ? { n: 1, unit: "week" as const }
      : every === "month"
        ? { n: 1, unit: "month" as const }
        : every === "quarter"
          ? { n: 3, unit: "month" as const }
          : undefined;
  if (!step) throw new UsageError(`--every must be week, month or quarter, not ${every}`);
  const dates: string[] = [];
  for (let k = 0; ; k++) {
    const date = shiftBack(from, -k * step.n, step.unit);
    if (date > to) break;
    if (dates.length === BACKFILL_MAX_DATES)
      throw new UsageError(
        `${from} to ${to} every ${every} is more than ${BACKFILL_MAX_DATES} snapshots; backfill a shorter span or a longer period`,
      );
    dates.push(date);
  }
  return dates;
}

/**
 * Write one snapshot per as-of date from `from` to `to`, oldest first, each
 * exactly as `run` writes it and each atomic on its own. Work that does not
 * depend on the date (the fingerprint, order lines joined to orders and
 * products) is done once for all dates; grading stays one date at a time. A backfill that
 * fails part way keeps the snapshots already written and throws
 * BACKFILL_FAILED naming the date that failed (the cause is the run's error).
 * @example
 * await backfill(store, await loadPolicy({ presets: ["value-grades"] }), { from: "2025-01-01", to: "2025-12-31", every: "month" });
 */
export async function backfill(
  engine: Engine,
  policy: LoadedPolicy,
  options: BackfillOptions,
): Promise<BackfillResult> {
  const started = Date.now();
  const dates = backfillDates(options.from, options.to, options.every);
  const runs: RunResult[] = [];
  const failed = (asOf: string, error: unknown) => {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const wrapped = new TierwiseError("BACKFILL_FAILED", {
      date: asOf,
      detail: detail ?? "",
      written: runs.length,
      total: dates.length,
    });
    Object.defineProperty(wrapped, "cause", { value: error });
    return wrapped;
  };
  let shared: SharedWork;
  try {
    options.onProgress?.({
      asOf: dates[0] ?? options.from,
      index: 0,
      total: dates.length,
      step: "facts shared by all dates",
      fraction: 0,
      stepNo: 0,
      steps: 0,
    });
    shared = await prepareSharedWork(engine, policy, dates);
  } catch (error) {
    throw failed(dates[0] ?? options.from, error);
  }
  try {
    for (const [index, asOf] of dates.entries()) {
      let result: RunResult;
      try {
        options.onProgress?.({
          asOf,
          index,
          total: dates.length,
          step: "rolling facts",
          fraction: 0,
          stepNo: 0,
          steps: 0,
        });
        const sources = await sourcesAt(engine, shared, index);
        // Each date is still its own run and transaction, committed before the next date is graded.
        result = await runWith(
          engine,
          policy,
          {
            asOf,
            onStep: (step, done, steps) =>
              options.onProgress?.({
                asOf,
                index,
                total: dates.length,
                step,
                fraction: steps > 0 ? done / steps : 0,
                stepNo: done + 1,
                steps,
              }),
            ...(options.failAt?.asOf === asOf ? { failAt: options.failAt.step } : {}),
          },
          { ...shared, sources },
        );
      } catch (error) {
        throw failed(asOf, error);
      }
      runs.push(result);
      options.onSnapshot?.(result, index, dates.length);
    }
  } finally {
    await dropSharedWork(engine, shared).catch(() => undefined);
  }
  return { runs, durationMs: Date.now() - started };
}
