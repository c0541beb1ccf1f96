import type { RawSource, SourceColumn } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import type { ColumnDef, TableDef } from "../model/index.js";
import type { ColumnPlan, ColumnSourcePlan, TablePlan } from "../plan/index.js";
import type { DiscoveredFile } from "./discover.js";
import type { Mapping } from "./mapping.js";

/** Normalise a header for matching: `Order ID` ≈ `order_id`. */
function normaliseHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, "_");
}

function asList(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}

/**
 * Decide where each canonical column of `table` comes from in a file with
 * `sourceColumns`. Collects every problem (missing required columns, mapping
 * names that the file lacks) instead of stopping at the first.
 */
export function planTable(
  table: TableDef,
  file: DiscoveredFile,
  source: RawSource,
  sourceColumns: readonly SourceColumn[],
  mapping: Mapping,
): { plan: TablePlan | null; problems: TierwiseError[] } {
  const tm = mapping.tables?.[table.name];
  const problems: TierwiseError[] = [];
  const used = new Set<number>();
  const byName = new Map<string, number>();
  sourceColumns.forEach((c, i) => {
    const key = normaliseHeader(c.name);
    if (!byName.has(key)) byName.set(key, i);
  });

  const columns: ColumnPlan[] = table.columns.map((column: ColumnDef) => {
    let source: ColumnSourcePlan = { kind: "absent" };
    const renamed = tm?.columns?.[column.name];
    const constant = tm?.constants?.[column.name];
    if (constant !== undefined) {
      source = { kind: "constant", value: String(constant) };
    } else if (renamed !== undefined) {
      const exact = sourceColumns.findIndex((c) => c.name === renamed);
      const index = exact >= 0 ? exact : (byName.get(normaliseHeader(renamed)) ?? -1);
      if (index < 0) {
        problems.push(
          new TierwiseError("MAPPING_SOURCE_COLUMN_MISSING", { file: file.name, source: renamed, column: column.name }),
        );
      } else {
        source = { kind: "source", index, name: sourceColumns[index]?.name ?? renamed };
      }
    } else {
      const index = byName.get(column.name);
      if (index !== undefined) source = { kind: "source", index, name: sourceColumns[index]?.name ?? column.name };
    }
    if (source.kind === "source") used.add(source.index);
    if (source.kind === "absent" && column.required && column.default === undefined && renamed === undefined) {
      problems.push(
        new TierwiseError("MISSING_REQUIRED_COLUMN", {
          file: file.name,
          column: column.name,
          table: table.name,
          hint: delimiterHint(sourceColumns),
        }),
      );
    }
    return {
      column,
      source,
      valueMap: tm?.values?.[column.name] ?? {},
      dateFormats:
        column.type === "timestamp"
          ? asList(tm?.date_formats?.[column.name] ?? tm?.date_format ?? mapping.date_format)
          : [],
    };
  });

  const ignoredColumns = sourceColumns.filter((_, i) => !used.has(i)).map((c) => c.name);
  if (problems.length > 0) return { plan: null, problems };
  return {
    plan: {
      table,
      file: file.name,
      source,
      sourceColumns,
      columns,
      decimalMark: tm?.decimal ?? mapping.decimal ?? "auto",
      ignoredColumns,
    },
    problems,
  };
}

/** A one-column header holding `;`, tab or `|` usually means the wrong delimiter. */
function delimiterHint(sourceColumns: readonly SourceColumn[]): string {
  const only = sourceColumns.length === 1 ? sourceColumns[0]?.name : undefined;
  if (only === undefined) return "";
  const found = [";", "\t", "|", ","].find((d) => only.includes(d));
  if (!found) return "";
  const shown = found === "\t" ? "tab" : `'${found}'`;
  return `; the header is one column containing ${shown}: set delimiter: ${JSON.stringify(found)} in the mapping`;
}
