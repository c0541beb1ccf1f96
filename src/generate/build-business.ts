import { rename, rm } from "node:fs/promises";
import { DuckDbEngine } from "../engine/duckdb-engine.js";
import { makeFolder } from "../files/make-folder.js";
import { copyToFileSql, type OutputFormat } from "../sql/generate/index.js";
import type { SqlFragment } from "../sql/index.js";
import type { GeneratePlan } from "./plan.js";

/** One step of building the hidden business in memory, reported as progress. */
export interface BuildStep {
  readonly label: string;
  readonly statements: readonly SqlFragment[];
}

export type GenerateProgress = (step: string, done: number, total: number) => void;

/**
 * Build the business of `plan` in an in-memory DuckDB (the plan's thread count), reporting each of
 * `steps` as progress out of `steps + writeSteps`, then hand the engine to `write` and close it
 * whatever happens. `write` gets how many steps are done and the total, to go on reporting.
 */
export async function withBuiltBusiness<T>(
  plan: GeneratePlan,
  steps: readonly BuildStep[],
  writeSteps: number,
  progress: GenerateProgress,
  write: (engine: DuckDbEngine, done: number, total: number) => Promise<T>,
): Promise<T> {
  await makeFolder(plan.outDir);
  const engine = await DuckDbEngine.open(
    plan.threads === undefined ? { path: ":memory:" } : { path: ":memory:", threads: plan.threads },
  );
  try {
    const total = steps.length + writeSteps;
    let done = 0;
    for (const step of steps) {
      progress(step.label, done, total);
      for (const statement of step.statements) await engine.exec(statement);
      done += 1;
    }
    return await write(engine, done, total);
  } finally {
    await engine.close();
  }
}

/**
 * Write the rows of `select` to `file` through `file.partial`, renamed only when complete, so a
 * failed or killed generation never leaves a half file under the real name. Returns the rows written.
 */
export async function copyToFileWhole(
  engine: DuckDbEngine,
  select: SqlFragment,
  file: string,
  format: OutputFormat,
): Promise<number> {
  const partial = `${file}.partial`;
  try {
    const [result] = await engine.query(copyToFileSql(select, partial, format));
    await rename(partial, file);
    return result?.Count ?? 0;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
