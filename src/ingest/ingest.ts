import type { Engine } from "../engine/engine.js";
import { TierwiseErrors } from "../errors/index.js";
import type { TablePlan } from "../plan/index.js";
import { createRejectsTableSql, rejectReasonsSql } from "../sql/ingest/rejects.js";
import { logIngestSql, nextIngestIdSql } from "../sql/store/schema.js";
import { ensureStoreSchema } from "../store/schema.js";
import { expandDerivedTables } from "./derived-table.js";
import { discoverFiles } from "./discover.js";
import { EMPTY_MAPPING, loadMapping, type Mapping } from "./mapping.js";
import { missingCoreTables, planFiles } from "./plan-files.js";
import { progressReporter, type StepReporter } from "./progress.js";
import { checkRejectsWritable, type StagedRejects, stageRejectsFile } from "./rejects-file.js";
import type { IngestProgress, IngestResult, RejectReason, TableIngestResult } from "./result.js";
import { commitTable, dropTempTables, type PreparedTable, prepareTable, type StagedFiles } from "./table-load.js";
import { resolveTimeZone } from "./time-zone.js";

export interface IngestOptions {
  /** Directory holding one file per table. */
  readonly dir: string;
  /** Mapping file path, or an already parsed mapping. */
  readonly mapping?: string | Mapping;
  /** Zone for timestamps without an offset; overrides the mapping's; default UTC. */
  readonly timeZone?: string;
  /** Where to write the rejects CSV (overwritten by every ingest). */
  readonly rejectsPath: string;
  /** Write the rejects file's text cells as they are (no formula guard, docs/exports.md). */
  readonly raw?: boolean;
  readonly onProgress?: (progress: IngestProgress) => void;
}

/**
 * Ingest a directory of files into the store behind `engine`. Bad rows are
 * rejected with a reason and location; good rows are inserted or update their
 * key; all store changes happen in one transaction. Throws `TierwiseErrors`
 * (store untouched) when a file is unusable.
 *
 * @example
 * const result = await ingestDirectory(store, { dir: "./exports", rejectsPath: "shop.rejects.csv" });
 */
export async function ingestDirectory(engine: Engine, options: IngestOptions): Promise<IngestResult> {
  const given =
    typeof options.mapping === "string" ? await loadMapping(options.mapping) : (options.mapping ?? EMPTY_MAPPING);
  const { mapping, problems: derivedProblems } = expandDerivedTables(given);
  if (derivedProblems.length > 0) throw new TierwiseErrors(derivedProblems);
  const timeZone = await resolveTimeZone(engine, options.timeZone ?? mapping.time_zone ?? "UTC");
  // Before any heavy work: an ingest whose rejects cannot be recorded is refused.
  await checkRejectsWritable(options.rejectsPath);
  const { files, problems, tablesWithInput } = await discoverFiles(options.dir, mapping);
  await engine.transaction(() => ensureStoreSchema(engine));
  const planned = await planFiles(engine, files, mapping);
  const all = [...problems, ...planned.problems, ...(await missingCoreTables(engine, tablesWithInput))];
  if (all.length > 0) throw new TierwiseErrors(all);

  const step = await progressReporter(engine, planned.plans, options.onProgress);
  try {
    // The session zone is how timestamps without an offset are read.
    await engine.exec(engine.dialect.setTimeZone(timeZone));
    await engine.exec(createRejectsTableSql(engine.dialect));
    return await load(engine, planned.plans, timeZone, step, options.rejectsPath, options.raw === true);
  } finally {
    engine.watchProgress(null);
    await engine.exec(engine.dialect.setTimeZone("UTC"));
    for (const plan of planned.plans) await dropTempTables(engine, plan.table.name);
  }
}

async function load(
  engine: Engine,
  plans: readonly TablePlan[],
  timeZone: string,
  step: StepReporter,
  rejectsPath: string,
  raw = false,
): Promise<IngestResult> {
  const prepared: PreparedTable[] = [];
  const staged: StagedFiles = new Map();
  for (const plan of plans) prepared.push(await prepareTable(engine, plan, timeZone === "UTC", step, staged));

  let rejectsFile: StagedRejects | null = null;
  const tables = await engine
    .transaction(async () => {
      const ingestId = (await engine.query(nextIngestIdSql()))[0]?.id ?? 1;
      const results: TableIngestResult[] = [];
      for (const table of prepared) {
        const result = await commitTable(engine, table, step);
        await engine.exec(logIngestSql(ingestId, result.table, result.file, result));
        results.push(result);
      }
      // The rejects file is on disk before the store commits; if it cannot be written, nothing is.
      rejectsFile = await stageRejectsFile(engine, rejectsPath, !raw);
      // Fault injection for the test that proves a killed ingest changes nothing.
      if (process.env["TIERWISE_FAULT_BEFORE_COMMIT"] === "1") process.kill(process.pid, "SIGKILL");
      return results;
    })
    .catch(async (error: unknown) => {
      await (rejectsFile as StagedRejects | null)?.discard();
      throw error;
    });
  await (rejectsFile as StagedRejects | null)?.place();
  const reasons = await engine.query(rejectReasonsSql());
  const withReasons = tables.map((t) => ({
    ...t,
    reasons: reasons
      .filter((r) => r.table_name === t.table)
      .map((r): RejectReason => ({ code: r.code, field: r.field, reason: r.reason, count: r.n })),
  }));
  return { tables: withReasons, rejectsPath, timeZone };
}
