import { stat } from "node:fs/promises";
import type { Engine, SourceColumn } from "../engine/engine.js";
import { TierwiseError, TierwiseErrors } from "../errors/index.js";
import { type TableDef, type TableName, tableDef } from "../model/index.js";
import type { DecimalMark, TablePlan } from "../plan/index.js";
import { ident, raw, sql } from "../sql/index.js";
import {
  countBadRowsSql,
  countDuplicateKeysSql,
  createCheckedSql,
  markDuplicatesSql,
  markUnknownReferencesSql,
  rowProblemsSql,
} from "../sql/ingest/checked.js";
import { decimalMarkVotesSql } from "../sql/ingest/decimal-mark.js";
import { classCountsSql, classifySql, insertNewSql, updateChangedSql } from "../sql/ingest/merge.js";
import {
  countRejectedSql,
  createChecksTableSql,
  createLineTableSql,
  createRejectsTableSql,
  exportRejectsSql,
  hasLineBreaksSql,
  insertReaderRejectsSql,
  insertRowRejectsSql,
  type LineMode,
  rejectReasonsSql,
} from "../sql/ingest/rejects.js";
import { compileValidation } from "../sql/ingest/validate.js";
import { countRowsSql, logIngestSql, nextIngestIdSql } from "../sql/store/schema.js";
import { ensureStoreSchema } from "../store/schema.js";
import { readCsvHeader } from "./csv-header.js";
import { type DiscoveredFile, discoverFiles, isEmptyFile, rawSourceOf } from "./discover.js";
import { EMPTY_MAPPING, loadMapping, type Mapping } from "./mapping.js";
import { planTable } from "./plan-table.js";
import type { IngestProgress, IngestResult, RejectReason, TableIngestResult } from "./result.js";
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
  readonly onProgress?: (progress: IngestProgress) => void;
}

const STEPS_PER_TABLE = 3;

/**
 * Ingest a directory of files into the store behind `engine`, in one
 * transaction. Bad rows are rejected with a reason and location; good rows
 * are inserted or update their key. Throws `TierwiseErrors` (store untouched)
 * when a file is unusable.
 */
export async function ingestDirectory(engine: Engine, options: IngestOptions): Promise<IngestResult> {
  const mapping =
    typeof options.mapping === "string" ? await loadMapping(options.mapping) : (options.mapping ?? EMPTY_MAPPING);
  const timeZone = await resolveTimeZone(engine, options.timeZone ?? mapping.time_zone ?? "UTC");
  const { files, problems, tablesWithInput } = await discoverFiles(options.dir, mapping);
  await engine.transaction(() => ensureStoreSchema(engine));
  const planned = await planAll(engine, files, mapping);
  const all = [...problems, ...planned.problems, ...(await missingCoreTables(engine, tablesWithInput))];
  if (all.length > 0) throw new TierwiseErrors(all);
  const plans = planned.plans;
  const progress = await progressReporter(engine, plans, options.onProgress);
  try {
    return await ingestPlans(engine, plans, timeZone, progress, options);
  } finally {
    engine.watchProgress(null);
  }
}

async function ingestPlans(
  engine: Engine,
  plans: readonly TablePlan[],
  timeZone: string,
  progress: (table: string, step: string) => void,
  options: IngestOptions,
): Promise<IngestResult> {
  const tables = await engine.transaction(async () => {
    await engine.exec(sql`SET TimeZone = ${timeZone}`);
    await engine.exec(createRejectsTableSql());
    const ingestId = Number((await engine.query<{ id: string }>(nextIngestIdSql()))[0]?.id ?? 1);
    const results: TableIngestResult[] = [];
    for (const plan of plans) {
      const result = await ingestTable(engine, plan, timeZone, progress);
      await engine.exec(logIngestSql(ingestId, plan.table.name, plan.file, result));
      results.push(result);
    }
    if (process.env.TIERWISE_FAULT_BEFORE_COMMIT === "1") process.kill(process.pid, "SIGKILL");
    return results;
  });

  await engine.exec(sql`SET TimeZone = 'UTC'`);
  await engine.exec(
    exportRejectsSql(
      options.rejectsPath,
      plans.map((p) => p.table.name),
    ),
  );
  const reasons = await engine.query<{
    table_name: string;
    code: string;
    field: string | null;
    reason: string;
    n: string;
  }>(rejectReasonsSql());
  const withReasons = tables.map((t) => ({
    ...t,
    reasons: reasons
      .filter((r) => r.table_name === t.table)
      .map((r): RejectReason => ({ code: r.code, field: r.field, reason: r.reason, count: Number(r.n) })),
  }));
  return { tables: withReasons, rejectsPath: options.rejectsPath, timeZone };
}

/** Plan every file, collecting every unusable-file problem before touching the store. */
async function planAll(
  engine: Engine,
  files: readonly DiscoveredFile[],
  mapping: Mapping,
): Promise<{ plans: TablePlan[]; problems: TierwiseError[] }> {
  const plans: TablePlan[] = [];
  const problems: TierwiseError[] = [];
  for (const file of files) {
    const table = tableDef(file.table);
    const source = rawSourceOf(file, mapping);
    let columns: SourceColumn[];
    try {
      if (file.format === "csv") {
        const header = await readCsvHeader(file.path, source);
        if (!header) {
          problems.push(new TierwiseError("EMPTY_FILE", { file: file.name }, { file: file.path }));
          continue;
        }
        columns = header.columns.map((name) => ({ name, type: "VARCHAR" }));
        source.delimiter = header.delimiter;
      } else {
        if (await isEmptyFile(file.path)) {
          problems.push(new TierwiseError("EMPTY_FILE", { file: file.name }, { file: file.path }));
          continue;
        }
        columns = await engine.describeSource(source);
      }
    } catch (error) {
      const detail = ((error as Error).message.split("\n")[0] ?? "").replace(/^[A-Za-z ]+Error: /, "");
      problems.push(
        new TierwiseError("UNREADABLE_FILE", { file: file.name, format: file.format, detail }, { file: file.path }),
      );
      continue;
    }
    const { plan, problems: tableProblems } = planTable(table, file, source, columns, mapping);
    problems.push(...tableProblems);
    if (plan) plans.push(plan);
  }
  return { plans, problems };
}

/** A store needs customers and orders: from this load or from earlier ones. */
async function missingCoreTables(engine: Engine, tablesWithInput: readonly TableName[]): Promise<TierwiseError[]> {
  const problems: TierwiseError[] = [];
  for (const table of ["customers", "orders"] as const) {
    if (tablesWithInput.includes(table)) continue;
    const n = Number((await engine.query<{ n: string }>(countRowsSql(table)))[0]?.n ?? 0);
    if (n === 0) problems.push(new TierwiseError("MISSING_REQUIRED_TABLE", { table }));
  }
  return problems;
}

async function resolveMark(engine: Engine, plan: TablePlan, stageRaw: string): Promise<DecimalMark> {
  if (plan.decimalMark !== "auto") return plan.decimalMark;
  if (plan.source.format !== "csv") return ".";
  const numeric = plan.columns
    .filter((c) => ["money", "number", "integer"].includes(c.column.type) && c.source.kind === "source")
    .map((c) => (c.source.kind === "source" ? c.source.index : -1));
  if (numeric.length === 0) return ".";
  const votes = (
    await engine.query<{ comma: string; dot: string }>(decimalMarkVotesSql(engine.dialect, stageRaw, numeric))
  )[0];
  return Number(votes?.comma ?? 0) > Number(votes?.dot ?? 0) ? "," : ".";
}

async function ingestTable(
  engine: Engine,
  plan: TablePlan,
  zone: string,
  progress: (table: string, step: string) => void,
): Promise<TableIngestResult> {
  const name = plan.table.name;
  const stage = `tw_stage_${name}`;
  const checked = `tw_checked_${name}`;
  const classified = `tw_classified_${name}`;
  const checksTable = `tw_checks_${name}`;
  const readerRejects = `${stage}_reader_rejects`;

  progress(name, `reading ${plan.file}`);
  const load = await engine.loadRaw(stage, plan.source, plan.sourceColumns);
  const mark = await resolveMark(engine, plan, `${stage}_raw`);

  progress(name, `checking ${plan.file}`);
  const v = compileValidation(engine.dialect, plan, stage, mark, zone === "UTC");
  await engine.exec(createCheckedSql(engine.dialect, plan, v, checked));
  for (const ref of v.references) {
    const target = ref.column.references;
    if (!target) continue;
    if (target.optional) {
      const n = Number((await engine.query<{ n: string }>(countRowsSql(target.table)))[0]?.n ?? 0);
      if (n === 0) continue; // an optional reference is only checked once its table has rows
    }
    await engine.exec(markUnknownReferencesSql(checked, ref.column.name, target.table, target.column, ref.def.id));
  }
  // Duplicates are looked for among rows still good, so an orphan never shadows a good row with its key.
  const dupKeys = Number((await engine.query<{ n: string }>(countDuplicateKeysSql(plan, checked)))[0]?.n ?? 0);
  if (dupKeys > 0) await engine.exec(markDuplicatesSql(plan, checked, v.duplicate.id));

  progress(name, `writing ${name}`);
  const storeRows = Number((await engine.query<{ n: string }>(countRowsSql(name)))[0]?.n ?? 0);
  const counts = await merge(engine, plan.table, checked, classified, storeRows === 0);

  const badRows = Number((await engine.query<{ n: string }>(countBadRowsSql(checked)))[0]?.n ?? 0);
  const lines = `tw_lines_${name}`;
  if (badRows > 0 || load.rejects.length > 0) {
    const lineMode = await lineModeOf(engine, plan, stage, load.rejects.length > 0 ? readerRejects : null);
    await engine.exec(createLineTableSql(lines, stage, checked, lineMode));
  }
  if (badRows > 0) {
    const defs = [...v.checks.map((c) => c.def), v.duplicate, ...v.references.map((r) => r.def)];
    await engine.exec(createChecksTableSql(checksTable, defs));
    await engine.exec(insertRowRejectsSql(plan, rowProblemsSql(v, checked), checksTable, checked, stage, lines));
  }
  if (load.rejects.length > 0) await engine.exec(insertReaderRejectsSql(plan, readerRejects, lines));
  const rejected =
    badRows > 0 || load.rejects.length > 0
      ? Number((await engine.query<{ n: string }>(countRejectedSql(name)))[0]?.n ?? 0)
      : 0;
  const readerLines = new Set(load.rejects.map((r) => r.line)).size;

  for (const t of [classified, checked, checksTable, lines, `${stage}_raw`, readerRejects, `${stage}_reader_scans`]) {
    await engine.exec(sql`DROP TABLE IF EXISTS ${ident(t)}`);
  }
  await engine.exec(sql`DROP VIEW IF EXISTS ${ident(stage)}`);

  return {
    table: name,
    file: plan.file,
    format: plan.source.format,
    read: load.rows + readerLines,
    ...counts,
    rejected,
    decimalMark: mark,
    ignoredColumns: plan.ignoredColumns,
    reasons: [],
  };
}

async function lineModeOf(
  engine: Engine,
  plan: TablePlan,
  stage: string,
  readerRejects: string | null,
): Promise<LineMode> {
  if (plan.source.format === "ndjson") return { kind: "record" };
  if (plan.source.format !== "csv") return { kind: "none" };
  const columnCount = plan.sourceColumns.length;
  const breaks = Number(
    (await engine.query<{ n: string }>(hasLineBreaksSql(`${stage}_raw`, columnCount, readerRejects)))[0]?.n ?? 0,
  );
  return { kind: "csv", readerRejects, lineBreaks: breaks > 0, columnCount };
}

async function merge(
  engine: Engine,
  table: TableDef,
  checked: string,
  classified: string,
  storeEmpty: boolean,
): Promise<{ inserted: number; unchanged: number; updated: number }> {
  if (storeEmpty) {
    await engine.exec(insertNewSql(table, checked, false));
    const n = Number(
      (await engine.query<{ n: string }>(sql`SELECT count(*) AS n FROM ${raw(checked)} WHERE __err IS NULL`))[0]?.n ??
        0,
    );
    return { inserted: n, unchanged: 0, updated: 0 };
  }
  await engine.exec(classifySql(table, checked, classified));
  const c = (
    await engine.query<{ inserted: string; unchanged: string; updated: string }>(classCountsSql(classified))
  )[0];
  await engine.exec(insertNewSql(table, classified, true));
  if (Number(c?.updated ?? 0) > 0) await engine.exec(updateChangedSql(table, classified));
  return { inserted: Number(c?.inserted ?? 0), unchanged: Number(c?.unchanged ?? 0), updated: Number(c?.updated ?? 0) };
}

/**
 * Reports steps, and within a step the running statement's progress, so a
 * single large file still moves the bar.
 */
async function progressReporter(engine: Engine, plans: readonly TablePlan[], onProgress: IngestOptions["onProgress"]) {
  // Each table's share of the bar follows its file size; its steps split that share evenly.
  const sizes = await Promise.all(plans.map(async (p) => Math.max(1, (await stat(p.source.path)).size)));
  const sum = sizes.reduce((a, b) => a + b, 0);
  const total = 100;
  const share = new Map(plans.map((p, i) => [p.table.name as string, ((sizes[i] ?? 1) / sum) * total]));
  let base = 0;
  let width = 0;
  let current = { table: "", step: "" };
  if (onProgress) {
    engine.watchProgress((fraction) => onProgress({ ...current, done: base + fraction * width * 0.99, total }));
  }
  return (table: string, step: string) => {
    if (current.table) base += width;
    width = (share.get(table) ?? 0) / STEPS_PER_TABLE;
    current = { table, step };
    onProgress?.({ table, step, done: base, total });
  };
}
