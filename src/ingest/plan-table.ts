import type { RawSource, SourceColumn } from "../engine/engine.js";
import { didYouMean, TierwiseError } from "../errors/index.js";
import type { ColumnDef, TableDef } from "../model/index.js";
import type {
  CheckedExpression,
  ColumnPlan,
  ColumnSourcePlan,
  SkipPlan,
  SourceRef,
  TablePlan,
  ValueType,
} from "../plan/index.js";
import { checkExpression, sourceScope } from "../policy/expression/check.js";
import { ExpressionError } from "../policy/expression/codes.js";
import { someNode } from "../policy/expression/some-node.js";
import type { DiscoveredFile } from "./discover.js";
import { expressionLocation, expressionProblem, type Mapping, parseMappingExpression } from "./mapping.js";

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

  const headers = sourceColumns.map((c) => c.name);
  const groupBy: SourceRef[] = [];
  for (const name of asList(tm?.group_by)) {
    const index = sourceColumns.findIndex((c) => c.name === name);
    const found = index >= 0 ? index : (byName.get(normaliseHeader(name)) ?? -1);
    if (found < 0) {
      problems.push(
        TierwiseError.of(
          "mapping.group-by-unknown",
          { table: table.name, column: name, file: file.name },
          expressionLocation(mapping, ["tables", table.name, "group_by"], 1, 1),
          didYouMean(name, headers),
        ),
      );
    } else {
      groupBy.push({ index: found, name: sourceColumns[found]?.name ?? name });
      used.add(found);
    }
  }
  const grouped = tm?.group_by !== undefined;
  /** Check one mapping expression against the file's header; problems are collected. */
  const checked = (section: "compute" | "skip", name: string, text: string, want: ValueType[]): Checked | null => {
    const path = ["tables", table.name, section, name];
    const parsed = parseMappingExpression(mapping, path, text);
    if ("problem" in parsed) {
      problems.push(parsed.problem);
      return null;
    }
    const result = checkExpression(parsed.expression, sourceScope(headers, grouped && section === "compute"));
    if (!result.ok) {
      problems.push(...result.errors.map((e) => expressionProblem(mapping, path, e)));
      return null;
    }
    if (!want.includes(result.expression.type)) {
      const span = result.expression.span;
      const what = section === "skip" ? "a skip condition" : `${table.name}.${name}`;
      const params = { what, expected: String(want[0]), actual: result.expression.type };
      problems.push(expressionProblem(mapping, path, new ExpressionError("expr.mapping-value-type", params, span)));
      return null;
    }
    const refs = sourcesOf(result.expression, sourceColumns);
    for (const r of refs.all) used.add(r.index);
    return { expression: result.expression, numberSources: refs.numbers };
  };
  const skips: SkipPlan[] = [];
  for (const [name, text] of Object.entries(tm?.skip ?? {})) {
    const c = checked("skip", name, text, ["boolean"]);
    if (c) skips.push({ name, condition: c.expression, numberSources: c.numberSources });
  }

  const columns: ColumnPlan[] = table.columns.map((column: ColumnDef) => {
    let source: ColumnSourcePlan = { kind: "absent" };
    const renamed = tm?.columns?.[column.name];
    const constant = tm?.constants?.[column.name];
    const computed = tm?.compute?.[column.name];
    if (computed !== undefined) {
      const c = checked("compute", column.name, computed, resultTypes(column));
      source = c ? { kind: "computed", ...c } : { kind: "computed", expression: PLACEHOLDER, numberSources: [] };
    } else if (constant !== undefined) {
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
    } else if (tm?.from === undefined) {
      // A derived table reads only what its mapping names: the orders' file's `Name` is not the customer's.
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
      skips,
      groupBy,
      derived: tm?.from !== undefined,
    },
    problems,
  };
}

interface Checked {
  readonly expression: CheckedExpression;
  readonly numberSources: readonly SourceRef[];
}

/** Stands in for a computed column whose expression has problems (the plan is then discarded). */
const PLACEHOLDER: CheckedExpression = {
  kind: "text",
  value: "",
  type: "text",
  span: { offset: 0, end: 0, line: 1, column: 1 },
};

/** What a computed column may give: text is read like a value of the file (numbers, dates in the mapping's format). */
function resultTypes(column: ColumnDef): ValueType[] {
  switch (column.type) {
    case "money":
    case "number":
    case "integer":
      return ["number", "text"];
    case "timestamp":
      return ["text", "date"];
    default:
      return ["text", "number"];
  }
}

/** The source columns an expression reads, and those it reads as numbers (whose bad values are rejects). */
function sourcesOf(e: CheckedExpression, columns: readonly SourceColumn[]): { all: SourceRef[]; numbers: SourceRef[] } {
  const all = new Map<number, SourceRef>();
  const numbers = new Map<number, SourceRef>();
  someNode(e, (n) => {
    if (n.kind === "name" && n.binding?.kind === "source") {
      const name = n.binding.column;
      const index = columns.findIndex((c) => c.name === name);
      if (index >= 0) {
        all.set(index, { index, name });
        if (n.type === "number") numbers.set(index, { index, name });
      }
    }
    return false;
  });
  const sorted = (m: Map<number, SourceRef>) => [...m.values()].sort((a, b) => a.index - b.index);
  return { all: sorted(all), numbers: sorted(numbers) };
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
