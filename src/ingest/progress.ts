import { stat } from "node:fs/promises";
import type { Engine } from "../engine/engine.js";
import type { TablePlan } from "../plan/index.js";
import type { IngestProgress } from "./result.js";

/** The steps every table goes through, in order. */
export const STEPS_PER_TABLE = 3;

export type StepReporter = (table: string, step: string) => void;

/**
 * Reports steps, and within a step the running statement's progress, so a
 * single large file still moves the bar. Each table's share of the bar
 * follows its file size; its steps split that share evenly.
 */
export async function progressReporter(
  engine: Engine,
  plans: readonly TablePlan[],
  onProgress: ((progress: IngestProgress) => void) | undefined,
): Promise<StepReporter> {
  const sizes = await Promise.all(plans.map(async (p) => Math.max(1, (await stat(p.source.path)).size)));
  const sum = sizes.reduce((a, b) => a + b, 0);
  const total = 100;
  const share = new Map(plans.map((p, i) => [p.table.name as string, ((sizes[i] ?? 1) / sum) * total]));
  let base = 0;
  let width = 0;
  let current = { table: "", step: "" };
  // A step may run several statements, each reporting from 0 again: the bar never moves back.
  let reached = 0;
  const report = (done: number) => {
    reached = Math.max(reached, done);
    onProgress?.({ ...current, done: reached, total });
  };
  if (onProgress) engine.watchProgress((fraction) => report(base + fraction * width * 0.99));
  return (table, step) => {
    if (current.table) base += width;
    width = (share.get(table) ?? 0) / STEPS_PER_TABLE;
    current = { table, step };
    report(base);
  };
}
