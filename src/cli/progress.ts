import cliProgress from "cli-progress";

export interface Progress {
  update(done: number, total: number, step: string): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal; silent otherwise, so logs
 * and pipes stay clean.
 */
export function createProgress(enabled = Boolean(process.stderr.isTTY) && !process.env.CI): Progress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: " {bar} {percentage}% | {step}", stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, step) {
      // Steps may be fractional (progress within a statement): scale to whole units.
      const scaledTotal = Math.round(total * 100);
      const scaledDone = Math.round(done * 100);
      if (!started) {
        bar.start(scaledTotal, scaledDone, { step });
        started = true;
      } else {
        bar.setTotal(scaledTotal);
        bar.update(scaledDone, { step });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
