import { fstatSync } from "node:fs";
import { displayWidth } from "./text-table.js";

/** Where progress is drawn and lines are printed: process.stderr and process.stdout, or a test's fake terminal. */
export interface TerminalStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Progress counted in whole units (a backfill's dates): how many are done
 * of how many, and within the current one the step running now (with its
 * number of the unit's steps when known).
 */
export interface CountState {
  /** Units finished. */
  readonly done: number;
  readonly total: number;
  /** The units' noun, plural: `dates`. */
  readonly unit: string;
  /** The unit being worked on, e.g. its as-of date. */
  readonly current?: string;
  /** The step running now. */
  readonly step: string;
  /** The step's number (1-based) among the unit's `steps`, when known. */
  readonly stepNo?: number;
  readonly steps?: number;
}

export interface Progress {
  /**
   * Fraction-style progress (ingest, generate, run): a bar, the percentage
   * and the step with its elapsed time; a lone step (0 of 1) shows only its
   * name and elapsed time.
   */
  update(done: number, total: number, step: string): void;
  /** Count-style progress: `3/12 dates`, a bar, the ETA, the current unit and step with its elapsed time. */
  count(state: CountState): void;
  /** Print one line of output (stdout) above the bar: the bar is cleared, the line printed, the bar drawn again. */
  log(line: string): void;
  /** Clear the bar (the output printed stays). */
  stop(): void;
}

export interface ProgressOptions {
  /** Where the bar goes (default: process.stderr). */
  readonly err?: TerminalStream;
  /** Where `log` lines go (default: process.stdout). */
  readonly out?: TerminalStream;
  /** Draw a bar at all (default: see `barWanted`). */
  readonly enabled?: boolean;
  /** The clock (milliseconds). */
  readonly now?: () => number;
  /** Redraw this often so elapsed times tick during one long statement (default 1000 ms; 0: only on updates). */
  readonly tickMs?: number;
}

/** Erase from the cursor to the end of the line. */
const ERASE_LINE = "\x1b[K";

/** `42s`, `3m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

function bar(fraction: number, width: number): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
}

/** `text` cut to at most `width` terminal cells, ending in … when cut. */
function cut(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  for (const ch of text) {
    if (displayWidth(`${out}${ch}…`) > width) break;
    out += ch;
  }
  return width > 0 ? `${out}…` : "";
}

/**
 * `head │ text time` (no head: `text time`) in at most `width` terminal
 * cells: `text` is shortened first (with …), then the whole line.
 */
function fitLine(head: string, text: string, time: string, width: number): string {
  const lead = head ? `${head} │ ` : "";
  const room = width - displayWidth(lead) - displayWidth(time) - 1;
  const line = `${lead}${room > 1 ? cut(text, room) : ""} ${time}`;
  return cut(line, width);
}

/**
 * Estimated time left from the units done so far: the pace of the units
 * after the first (the first also carries any shared set-up), or of the
 * first alone while it is the only one done, less the time already spent
 * on the current unit. Undefined before the first unit is done.
 */
class Eta {
  private started: number | undefined;
  private base = 0;
  private firstDone: number | undefined;
  private lastDone: number | undefined;
  private done = 0;

  see(done: number, now: number): void {
    if (this.started === undefined) {
      // Units done before we watched tell nothing about the pace.
      this.started = now;
      this.base = done;
      this.done = done;
    } else if (done > this.done) {
      if (this.done === this.base) this.firstDone = now;
      this.lastDone = now;
      this.done = done;
    }
  }

  left(total: number, now: number): number | undefined {
    const watched = this.done - this.base;
    if (watched === 0 || this.started === undefined || this.firstDone === undefined || this.lastDone === undefined)
      return undefined;
    const pace = watched >= 2 ? (this.lastDone - this.firstDone) / (watched - 1) : this.firstDone - this.started;
    return Math.max(0, pace * (total - this.done) - (now - this.lastDone));
  }
}

/** What stdout is: a terminal, a pipe or socket (`| tee`, `| less`), or something else (a file). */
export type OutputKind = "terminal" | "pipe" | "file";

function stdoutKind(): OutputKind {
  if (process.stdout.isTTY) return "terminal";
  try {
    const stat = fstatSync(1);
    return stat.isFIFO() || stat.isSocket() ? "pipe" : "file";
  } catch {
    return "file";
  }
}

/**
 * Whether to draw a progress line: on a terminal stderr, unless CI is set,
 * and not when stdout is a pipe — what a pipe prints (`| tee log.txt`)
 * reaches the same screen whenever the reader gets to it, in the middle of
 * the bar, and cannot be kept above it.
 */
export function barWanted(stderrIsTerminal: boolean, stdout: OutputKind, ci: boolean): boolean {
  return stderrIsTerminal && !ci && stdout !== "pipe";
}

/**
 * A progress line on stderr when `barWanted`; nothing otherwise, so logs
 * and pipes get plain lines without control characters. The line is
 * redrawn in place (carriage return, erase to end of line), never wider
 * than the terminal, and every second so the step's elapsed time ticks
 * while one long statement runs. Output printed while the bar shows must
 * go through `log`, which prints it on its own line above the bar.
 */
export function createProgress(options: ProgressOptions = {}): Progress {
  const err = options.err ?? process.stderr;
  const out = options.out ?? process.stdout;
  const enabled =
    options.enabled ??
    barWanted(
      Boolean(err.isTTY),
      out === process.stdout ? stdoutKind() : out.isTTY ? "terminal" : "file",
      Boolean(process.env["CI"]),
    );
  const now = options.now ?? Date.now;
  const tickMs = options.tickMs ?? 1000;
  if (!enabled)
    return {
      update: () => undefined,
      count: () => undefined,
      log: (line) => {
        out.write(`${line}\n`);
      },
      stop: () => undefined,
    };

  let render: (() => string) | undefined;
  let shown = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let step = "";
  let stepSince = now();
  const eta = new Eta();

  const width = () => Math.max(20, (err.columns ?? 80) - 1);
  const draw = () => {
    if (!render) return;
    err.write(`\r${render()}${ERASE_LINE}`);
    shown = true;
  };
  const clear = () => {
    if (shown) err.write(`\r${ERASE_LINE}`);
    shown = false;
  };
  const enterStep = (name: string) => {
    if (name !== step) {
      step = name;
      stepSince = now();
    }
    if (!timer && tickMs > 0) {
      timer = setInterval(draw, tickMs);
      timer.unref?.();
    }
  };
  const elapsed = () => formatDuration(now() - stepSince);

  return {
    update(done, total, name) {
      enterStep(name);
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      // A lone step (done 0 of 1: clv, recommend) has no share to show, only its name and elapsed time.
      const head =
        total <= 1 && done === 0 ? "" : `${bar(fraction, 20)} ${String(Math.floor(fraction * 100)).padStart(3)}%`;
      render = () => fitLine(head, name, elapsed(), width());
      draw();
    },
    count(state) {
      const current = state.current ? `${state.current} ` : "";
      const of = state.steps && state.stepNo ? `step ${state.stepNo}/${state.steps} ` : "";
      enterStep(`${current}${of}${state.step}`);
      eta.see(state.done, now());
      render = () => {
        const left = eta.left(state.total, now());
        const head = `${state.done}/${state.total} ${state.unit} ${bar(state.total > 0 ? state.done / state.total : 0, 12)} ETA ${left === undefined ? "…" : formatDuration(left)}`;
        return fitLine(head, step, elapsed(), width());
      };
      draw();
    },
    log(line) {
      const again = shown;
      clear();
      out.write(`${line}\n`);
      if (again) draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
      render = undefined;
      step = "";
    },
  };
}
