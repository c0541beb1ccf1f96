import type { Engine, RawLoad } from "../engine/engine.js";
import type { DecimalMark, TablePlan } from "../plan/index.js";
import type { Query } from "../sql/index.js";
import {
  countBadRowsSql,
  countDuplicateKeysSql,
  countEmptySql,
  countGoodRowsSql,
  createCheckedSql,
  markDuplicatesSql,
  markUnknownReferencesSql,
  markUnknownSelfReferencesSql,
  rowProblemsSql,
} from "../sql/ingest/checked.js";
import { numberSourcesOf, skipCountsSql } from "../sql/ingest/computed.js";
import { decimalMarkVotesSql } from "../sql/ingest/decimal-mark.js";
import { classCountsSql, classifySql, insertNewSql, type MergeRule, updateChangedSql } from "../sql/ingest/merge.js";
import {
  countRejectedSql,
  createChecksTableSql,
  createLineTableSql,
  hasLineBreaksSql,
  insertReaderRejectsSql,
  insertRowRejectsSql,
  type LineMode,
} from "../sql/ingest/rejects.js";
import { dropStagingSql } from "../sql/ingest/staging.js";
import { type CompiledValidation, compileValidation } from "../sql/ingest/validate.js";
import { countRowsSql } from "../sql/store/schema.js";
import type { StepReporter } from "./progress.js";
import type { SkipCount, TableIngestResult } from "./result.js";

/** The session's temporary tables for one input file. */
function tempNames(table: string) {
  const stage = `tw_stage_${table}`;
  return {
    stage,
    stageRaw: `${stage}_raw`,
    readerRejects: `${stage}_reader_rejects`,
    readerScans: `${stage}_reader_scans`,
    checked: `tw_checked_${table}`,
    classified: `tw_classified_${table}`,
    checks: `tw_checks_${table}`,
    lines: `tw_lines_${table}`,
    keys: `tw_keys_${table}`,
  };
}

/**
 * Files already staged in this ingest, by file and reader options: tables
 * reading one file (a raw line-item export) stage it once.
 */
export type StagedFiles = Map<string, { readonly table: string; readonly load: RawLoad }>;

/** The names of a table's staged file (shared by the tables that read the same file). */
function stageNames(table: string) {
  const { stage, stageRaw, readerRejects, readerScans } = tempNames(table);
  return { stage, stageRaw, readerRejects, readerScans };
}

/** A file staged and field-checked, ready to be merged. */
export interface PreparedTable {
  readonly plan: TablePlan;
  /** The table whose temporary stage holds the file (this one, or the first table that read the same file). */
  readonly stagedAs: string;
  readonly validation: CompiledValidation;
  readonly load: RawLoad;
  readonly mark: DecimalMark;
  /** Rows left out by each skip filter of the mapping, in mapping order. */
  readonly skipped: readonly SkipCount[];
}

/**
 * Phase 1, outside the store transaction (it only builds session-private
 * temporary tables): stage the file with the engine's reader and check every
 * field. Tables built inside an open transaction are markedly slower to scan
 * in DuckDB, and nothing here touches the store.
 */
export async function prepareTable(
  engine: Engine,
  plan: TablePlan,
  zoneIsUtc: boolean,
  step: StepReporter,
  staged: StagedFiles = new Map(),
): Promise<PreparedTable> {
  const name = plan.table.name;
  const own = tempNames(name);
  const key = JSON.stringify([plan.source, plan.sourceColumns.map((c) => [c.name, c.type])]);
  const earlier = staged.get(key);
  // The stage of the first table that read this file, else this table's own.
  const t = { ...own, ...(earlier ? stageNames(earlier.table) : {}) };
  let load: RawLoad;
  step(name, `reading ${plan.file}`);
  if (earlier) {
    load = earlier.load;
  } else {
    load = await engine.loadRaw(t.stage, plan.source, plan.sourceColumns);
    staged.set(key, { table: name, load });
  }
  const mark = await resolveMark(engine, plan, t.stageRaw);
  step(name, `checking ${plan.file}`);
  const validation = compileValidation(engine.dialect, plan, t.stage, mark, zoneIsUtc);
  const numberLines = plan.table.name === "order_lines" && (await hasUnnumberedLines(engine, plan, t.stageRaw));
  await engine.exec(createCheckedSql(engine.dialect, plan, validation, t.checked, numberLines));
  const skipped = await skipCounts(engine, plan, t.stage, mark);
  return { plan, stagedAs: earlier?.table ?? name, validation, load, mark, skipped };
}

/**
 * Phase 1 for rows the caller staged itself (the server's events: a temp
 * table `tw_stage_<table>_raw` of `c1 … cN` and `__rec` with the stage view
 * `tw_stage_<table>` over it, see src/sql/realtime/stage-events.ts): the
 * same field checks as a file's rows.
 */
export function prepareStagedTable(engine: Engine, plan: TablePlan, rows: number): Promise<PreparedTable> {
  const key = JSON.stringify([plan.source, plan.sourceColumns.map((c) => [c.name, c.type])]);
  const staged: StagedFiles = new Map([[key, { table: plan.table.name, load: { rows, rejects: [] } }]]);
  return prepareTable(engine, plan, true, () => undefined, staged);
}

/** The stage view of a table's rows (`prepareStagedTable`). */
export function stageNameOf(table: string): string {
  return tempNames(table).stage;
}

/**
 * Phase 2, inside the store transaction, tables in model order so that
 * referenced rows are already merged: reject orphans, then duplicates among
 * the rows still good, merge by natural key and collect every reject.
 */
export async function commitTable(
  engine: Engine,
  prepared: PreparedTable,
  step: StepReporter,
): Promise<TableIngestResult> {
  const { plan, validation: v, load, mark, skipped } = prepared;
  const name = plan.table.name;
  const t = { ...tempNames(name), ...stageNames(prepared.stagedAs) };
  step(name, `writing ${name}`);
  for (const ref of v.references) {
    const target = ref.column.references;
    if (!target) continue;
    if (target.table === name) {
      // A credit note refunds an order of the store or of this load.
      await engine.exec(
        markUnknownSelfReferencesSql(
          engine.dialect,
          t.checked,
          name,
          ref.column.name,
          target.column,
          ref.def.id,
          t.keys,
        ),
      );
      continue;
    }
    // An optional reference (owner rep, product) is only checked once its table has rows.
    if (target.optional && (await count(engine, countRowsSql(target.table))) === 0) continue;
    await engine.exec(
      markUnknownReferencesSql(engine.dialect, t.checked, ref.column.name, target.table, target.column, ref.def.id),
    );
  }
  // Duplicates are looked for among rows still good, so an orphan never shadows a good row with its key.
  if ((await count(engine, countDuplicateKeysSql(plan, t.checked))) > 0) {
    await engine.exec(markDuplicatesSql(plan, t.checked, v.duplicate.id));
  }

  const storeEmpty = (await count(engine, countRowsSql(name))) === 0;
  const counts = await merge(engine, plan, t.checked, t.classified, storeEmpty);

  const badRows = await count(engine, countBadRowsSql(t.checked));
  const readerRejects = load.rejects.length > 0;
  if (badRows > 0 || readerRejects) {
    const mode = await lineModeOf(engine, plan, t.stageRaw, readerRejects ? t.readerRejects : null);
    await engine.exec(createLineTableSql(engine.dialect, t.lines, t.stage, t.checked, mode));
  }
  if (badRows > 0) {
    const defs = [...v.checks.map((c) => c.def), v.duplicate, ...v.references.map((r) => r.def)];
    await engine.exec(createChecksTableSql(engine.dialect, t.checks, defs));
    await engine.exec(
      insertRowRejectsSql(engine.dialect, plan, rowProblemsSql(v, t.checked), t.checks, t.checked, t.stage, t.lines),
    );
  }
  if (readerRejects) await engine.exec(insertReaderRejectsSql(plan, t.readerRejects, t.lines));
  const rejected = badRows > 0 || readerRejects ? await count(engine, countRejectedSql(name)) : 0;

  const readerLines = new Set(load.rejects.map((r) => r.line)).size;
  const skippedRows = skipped.reduce((sum, s) => sum + s.count, 0);
  // A grouped table reads groups: read = groups built + rows skipped before grouping + lines the reader rejected.
  const grouped = plan.groupBy.length > 0;
  const groups = grouped ? await count(engine, countRowsSql(t.checked)) : 0;
  return {
    table: name,
    file: plan.file,
    format: plan.source.format,
    read: grouped ? groups + skippedRows + readerLines : load.rows + readerLines,
    ...(grouped ? { groups, sourceRows: load.rows + readerLines } : {}),
    ...counts,
    rejected,
    skipped: skippedRows,
    skips: skipped,
    decimalMark: mark,
    ignoredColumns: plan.ignoredColumns,
    reasons: [],
  };
}

/** Drop the temporary tables of one file (also after a failure). */
export async function dropTempTables(engine: Engine, table: string): Promise<void> {
  const t = tempNames(table);
  await engine.exec(
    dropStagingSql(t.stage, [
      t.classified,
      t.checked,
      t.checks,
      t.lines,
      t.stageRaw,
      t.readerRejects,
      t.readerScans,
      t.keys,
    ]),
  );
}

/** Whether some order line has no line_no, so lines must be numbered by position (a window over the file). */
async function hasUnnumberedLines(engine: Engine, plan: TablePlan, stageRaw: string): Promise<boolean> {
  const lineNo = plan.columns.find((c) => c.column.name === "line_no")?.source;
  if (lineNo?.kind !== "source") return true;
  return (await count(engine, countEmptySql(stageRaw, lineNo.index))) > 0;
}

async function count(engine: Engine, query: Query<{ readonly n: number }>): Promise<number> {
  return (await engine.query(query))[0]?.n ?? 0;
}

/** How many rows each skip filter left out (every filter listed, also with 0). */
async function skipCounts(engine: Engine, plan: TablePlan, stage: string, mark: DecimalMark): Promise<SkipCount[]> {
  if (plan.skips.length === 0) return [];
  const rows = await engine.query(skipCountsSql(engine.dialect, plan, stage, mark));
  return plan.skips.map((s, i) => ({
    name: s.name,
    count: rows.find((r) => r.skip === i + 1)?.n ?? 0,
  }));
}

async function resolveMark(engine: Engine, plan: TablePlan, stageRaw: string): Promise<DecimalMark> {
  if (plan.decimalMark !== "auto") return plan.decimalMark;
  if (plan.source.format !== "csv") return ".";
  const numeric = [
    ...plan.columns.flatMap((c) =>
      ["money", "number", "integer"].includes(c.column.type) && c.source.kind === "source" ? [c.source.index] : [],
    ),
    ...numberSourcesOf(plan).map((r) => r.index),
    ...plan.skips.flatMap((s) => s.numberSources.map((r) => r.index)),
  ];
  if (numeric.length === 0) return ".";
  const votes = (await engine.query(decimalMarkVotesSql(engine.dialect, stageRaw, numeric)))[0];
  return (votes?.comma ?? 0) > (votes?.dot ?? 0) ? "," : ".";
}

async function lineModeOf(
  engine: Engine,
  plan: TablePlan,
  stageRaw: string,
  readerRejects: string | null,
): Promise<LineMode> {
  if (plan.source.format === "ndjson") return { kind: "record" };
  if (plan.source.format !== "csv") return { kind: "none" };
  const columnCount = plan.sourceColumns.length;
  const breaks = await count(engine, hasLineBreaksSql(stageRaw, columnCount, readerRejects));
  return { kind: "csv", readerRejects, lineBreaks: breaks > 0, columnCount };
}

async function merge(
  engine: Engine,
  plan: TablePlan,
  checked: string,
  classified: string,
  storeEmpty: boolean,
): Promise<{ inserted: number; unchanged: number; updated: number }> {
  if (storeEmpty) {
    await engine.exec(insertNewSql(plan.table, checked, false));
    const inserted = await count(engine, countGoodRowsSql(checked));
    return { inserted, unchanged: 0, updated: 0 };
  }
  const rule: MergeRule = plan.derived
    ? {
        derives: plan.columns.filter((c) => c.source.kind !== "absent").map((c) => c.column.name),
        earliest: ["created_at"],
      }
    : {};
  await engine.exec(classifySql(engine.dialect, plan.table, checked, classified, rule));
  const c = (await engine.query(classCountsSql(classified)))[0];
  await engine.exec(insertNewSql(plan.table, classified, true));
  if ((c?.updated ?? 0) > 0) await engine.exec(updateChangedSql(plan.table, classified, rule));
  return { inserted: c?.inserted ?? 0, unchanged: c?.unchanged ?? 0, updated: c?.updated ?? 0 };
}
