import type { Engine, SourceColumn } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { type TableName, tableDef } from "../model/index.js";
import type { TablePlan } from "../plan/index.js";
import { countRowsSql } from "../sql/store/schema.js";
import { readCsvHeader } from "./csv-header.js";
import { type DiscoveredFile, isEmptyFile, rawSourceOf } from "./discover.js";
import { gzipDamage } from "./gzip-check.js";
import type { Mapping } from "./mapping.js";
import { planTable } from "./plan-table.js";

/**
 * Plan every discovered file: read its header (CSV) or schema (JSON,
 * Parquet) and decide where each canonical column comes from. Every
 * unusable-file problem is collected, none stops the others.
 */
export async function planFiles(
  engine: Engine,
  files: readonly DiscoveredFile[],
  mapping: Mapping,
): Promise<{ plans: TablePlan[]; problems: TierwiseError[] }> {
  const plans: TablePlan[] = [];
  const problems: TierwiseError[] = [];
  for (const file of files) {
    const source = rawSourceOf(file, mapping);
    const damage = /\.gz$/i.test(file.path) ? await gzipDamage(file.path) : null;
    if (damage) {
      problems.push(new TierwiseError("FILE_DAMAGED", { file: file.name, detail: damage }, { file: file.path }));
      continue;
    }
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
    const { plan, problems: tableProblems } = planTable(tableDef(file.table), file, source, columns, mapping);
    problems.push(...tableProblems);
    if (plan) {
      problems.push(...dateFormatProblems(engine, plan));
      plans.push(plan);
    }
  }
  return { plans, problems };
}

/** Date formats of the mapping that the engine cannot read (PostgreSQL reads a subset of strptime). */
function dateFormatProblems(engine: Engine, plan: TablePlan): TierwiseError[] {
  return plan.columns.flatMap((c) =>
    c.dateFormats.flatMap((format) => {
      const detail = engine.dialect.dateFormatProblem(format);
      return detail === null
        ? []
        : [
            new TierwiseError("DATE_FORMAT_UNSUPPORTED", {
              format,
              table: plan.table.name,
              column: c.column.name,
              detail,
            }),
          ];
    }),
  );
}

/** A store needs customers and orders: from this load or from earlier ones. */
export async function missingCoreTables(
  engine: Engine,
  tablesWithInput: readonly TableName[],
): Promise<TierwiseError[]> {
  const problems: TierwiseError[] = [];
  for (const table of ["customers", "orders"] as const) {
    if (tablesWithInput.includes(table)) continue;
    const n = (await engine.query(countRowsSql(table)))[0]?.n ?? 0;
    if (n === 0) problems.push(new TierwiseError("MISSING_REQUIRED_TABLE", { table }));
  }
  return problems;
}
