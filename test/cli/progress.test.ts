import { afterEach, describe, expect, it, vi } from "vitest";
import { backfillReporter } from "../../src/cli/commands/backfill.js";
import { barWanted, createProgress } from "../../src/cli/progress.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { backfill } from "../../src/run/backfill.js";
import { completedOrders, memoryStore, seed } from "../run/support.js";
import { FakeTerminal } from "../support/terminal.js";

const FIXTURE = {
  customers: [
    { customer_id: "C1", name: "Ana", kind: "b2c" },
    { customer_id: "C2", name: "Bea", kind: "b2b" },
  ],
  orders: [
    ...completedOrders("C1", [["2025-02-10", 50000]]),
    ...completedOrders("C2", [
      ["2025-01-05", 20000],
      ["2025-05-02", 60000],
    ]),
  ],
};

const BAR = /^\d+\/\d+ dates [█░]+ ETA /;

/** Run a real backfill with its progress on `err` and its snapshot lines on `out`, checking the screen after each date. */
async function backfillOnto(
  err: { isTTY?: boolean; columns?: number; write: (text: string) => unknown },
  out: { isTTY?: boolean; columns?: number; write: (text: string) => unknown },
  afterEachDate: (printed: readonly string[]) => void = () => undefined,
): Promise<string[]> {
  const engine = await memoryStore();
  try {
    await seed(engine, FIXTURE);
    // on the fake terminal the bar is drawn even where CI is set (barWanted's CI rule is tested below)
    const progress = createProgress({ err, out, tickMs: 0, ...(err.isTTY ? { enabled: true } : {}) });
    const reporter = backfillReporter(progress, false);
    const printed: string[] = [];
    await backfill(engine, await loadPolicy({ presets: ["value-grades"] }), {
      from: "2025-01-31",
      to: "2025-06-30",
      every: "month",
      ...reporter,
      onSnapshot: (r, index, total) => {
        reporter.onSnapshot?.(r, index, total);
        printed.push(`run ${r.runId} as of ${r.asOf}, graded: value-grades ${r.schemes[0]?.graded}`);
        afterEachDate(printed);
      },
    });
    progress.stop();
    return printed;
  } finally {
    await engine.close();
  }
}

describe("progress on a terminal", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("prints each date's line on its own line above the bar, and clears the bar at the end", async () => {
    const screen = new FakeTerminal(80);
    const printed = await backfillOnto(screen.stream(), screen.stream(), (lines) => {
      const shown = screen.lines();
      // Every summary so far on a line of its own, in order; the bar alone on the line below them.
      expect(shown.slice(0, lines.length)).toEqual(lines);
      expect(shown.slice(lines.length)).toHaveLength(1);
      expect(shown.at(-1)).toMatch(BAR);
      expect(shown.at(-1)).toContain(`${lines.length}/6 dates`);
      expect(screen.row).toBe(lines.length);
    });
    expect(printed).toHaveLength(6);
    expect(screen.lines()).toEqual([...printed, ""]);
    expect(screen.col).toBe(0);
  });

  it("shows dates done of all, the date and its run's step n of m", async () => {
    const writes: string[] = [];
    const screen = new FakeTerminal(80);
    const err = screen.stream();
    await backfillOnto(
      {
        ...err,
        write: (text: string) => {
          writes.push(text);
          return err.write(text);
        },
      },
      screen.stream(),
    );
    const bars = writes.map((w) => w.replaceAll("\r", "").replaceAll("\x1b[K", "")).filter((w) => w !== "");
    expect(bars[0]).toMatch(/^0\/6 dates ░{12} ETA … │ 2025-01-31 facts shared by all dates 0s$/);
    expect(bars).toContainEqual(
      expect.stringMatching(/^2\/6 dates ████░{8} ETA \d+s │ 2025-03-31 rolling facts \d+s$/),
    );
    expect(bars).toContainEqual(
      expect.stringMatching(/^2\/6 dates ████░{8} ETA \d+s │ 2025-03-31 step \d+\/\d+ grading value-grades \d+s$/),
    );
    expect(bars.every((b) => !/%/.test(b))).toBe(true);
  });

  it("ticks the step's elapsed time during one long step and estimates the time left from the dates done", () => {
    vi.useFakeTimers({ now: 0 });
    const screen = new FakeTerminal(80);
    const progress = createProgress({ err: screen.stream(), out: screen.stream(), enabled: true });
    progress.count({ done: 0, total: 4, unit: "dates", current: "2025-01-31", step: "shared facts" });
    vi.advanceTimersByTime(10_000);
    progress.count({ done: 1, total: 4, unit: "dates", current: "2025-02-28", step: "grading", stepNo: 3, steps: 9 });
    vi.advanceTimersByTime(6_000);
    progress.count({ done: 2, total: 4, unit: "dates", current: "2025-03-31", step: "grading", stepNo: 3, steps: 9 });
    // Two dates left at 6 s each (the pace after the first date).
    expect(screen.lines().at(-1)).toBe("2/4 dates ██████░░░░░░ ETA 12s │ 2025-03-31 step 3/9 grading 0s");
    vi.advanceTimersByTime(14_000);
    // No update for 14 s: the line is redrawn every second with the step's elapsed time.
    expect(screen.lines().at(-1)).toBe("2/4 dates ██████░░░░░░ ETA 0s │ 2025-03-31 step 3/9 grading 14s");
    progress.stop();
    expect(screen.lines()).toEqual([""]);
    vi.advanceTimersByTime(5_000);
    expect(screen.lines()).toEqual([""]);
  });

  it("never draws a line wider than the terminal: the step is shortened", () => {
    const screen = new FakeTerminal(40);
    const progress = createProgress({ err: screen.stream(), out: screen.stream(), enabled: true, tickMs: 0 });
    progress.count({
      done: 3,
      total: 12,
      unit: "dates",
      current: "2025-04-30",
      step: "grading a-scheme-with-a-very-long-name",
    });
    expect(screen.lines()).toHaveLength(1);
    expect(screen.lines()[0]).toMatch(/^3\/12 dates ███░{9} ETA … │ 202… 0s$/);
    progress.update(1, 4, "facts for customers, a long step name again");
    expect(screen.lines()).toHaveLength(1);
    expect(screen.lines()[0]?.length).toBeLessThanOrEqual(39);
    progress.update(0, 1, "grading 顧客ランク, a scheme with a wide name");
    // 39 cells: the five wide characters take two each.
    expect(screen.lines()).toEqual(["grading 顧客ランク, a scheme with a… 0s"]);
    progress.update(0, 1, "fitting the model");
    expect(screen.lines()).toEqual(["fitting the model 0s"]);
    progress.update(2, 4, "facts");
    expect(screen.lines()).toEqual(["██████████░░░░░░░░░░  50% │ facts 0s"]);
    progress.log("a line of output");
    expect(screen.lines()[0]).toBe("a line of output");
    expect(screen.lines()).toHaveLength(2);
    progress.stop();
  });
});

describe("progress without a terminal", () => {
  it("draws no bar off a terminal, under CI, or when stdout is a pipe whose reader prints to the same screen", () => {
    expect(barWanted(true, "terminal", false)).toBe(true);
    expect(barWanted(true, "file", false)).toBe(true);
    expect(barWanted(true, "pipe", false)).toBe(false);
    expect(barWanted(true, "terminal", true)).toBe(false);
    expect(barWanted(false, "terminal", false)).toBe(false);
  });

  it("writes nothing to stderr and plain lines to stdout", async () => {
    let err = "";
    let out = "";
    const printed = await backfillOnto(
      {
        write: (t: string) => {
          err += t;
        },
      },
      {
        write: (t: string) => {
          out += t;
        },
      },
    );
    expect(err).toBe("");
    expect(out).toBe(`${printed.join("\n")}\n`);
    expect([...out].filter((c) => (c < " " && c !== "\n") || c === "\x7f")).toEqual([]);
  });
});
