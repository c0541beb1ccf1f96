import { readFile } from "node:fs/promises";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import { z } from "zod";
import { didYouMean, type SourceLocation, TierwiseError, TierwiseErrors } from "../errors/index.js";
import { TABLE_NAMES, tableDef } from "../model/index.js";
import type { Expression } from "../plan/index.js";
import { ExpressionError } from "../policy/expression/codes.js";
import { parseExpression } from "../policy/expression/parser.js";
import { SourceMap, type YamlPath } from "../policy/source-map.js";

/**
 * The mapping file adapts a user's own export to the canonical model without
 * editing it: file names, renamed columns, date formats, value maps,
 * constant columns, CSV dialect and time zone; computed columns and named
 * row filters in the expression language (names are the file's columns).
 */

const formats = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const tableMapping = z
  .object({
    file: z.string().min(1).optional(),
    delimiter: z.string().length(1).optional(),
    quote: z.string().length(1).optional(),
    encoding: z.enum(["utf-8", "utf-16", "latin-1"]).optional(),
    decimal: z.enum([".", ","]).optional(),
    date_format: formats.optional(),
    columns: z.record(z.string(), z.string().min(1)).optional(),
    date_formats: z.record(z.string(), formats).optional(),
    values: z.record(z.string(), z.record(z.string(), z.string())).optional(),
    constants: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    compute: z.record(z.string(), z.string().min(1)).optional(),
    /** `from: orders` (customers only): derived from the orders' file, see derived-table.ts. */
    from: z.literal("orders").optional(),
    group_by: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    skip: z.record(z.string(), z.string().min(1)).optional(),
  })
  .strict();

const mappingSchema = z
  .object({
    version: z.literal(1).optional(),
    time_zone: z.string().min(1).optional(),
    delimiter: z.string().length(1).optional(),
    decimal: z.enum([".", ","]).optional(),
    date_format: formats.optional(),
    tables: z.record(z.string(), tableMapping).optional(),
  })
  .strict();

export type TableMapping = z.infer<typeof tableMapping>;
export type Mapping = z.infer<typeof mappingSchema>;

export const EMPTY_MAPPING: Mapping = {};

/** The YAML text of each mapping parsed from a file, to place expression problems at their line and column. */
const sourceMaps = new WeakMap<Mapping, SourceMap>();

/**
 * Where a position inside the expression at `path` (e.g. `tables.orders.compute.amount`)
 * is in the mapping file; undefined for a mapping given as an object.
 */
export function expressionLocation(
  mapping: Mapping,
  path: YamlPath,
  line: number,
  column: number,
): SourceLocation | undefined {
  return sourceMaps.get(mapping)?.locateInScalar(path, line, column);
}

/** Let a mapping derived from `from` (e.g. with derived tables written out) locate problems in the same file. */
export function copySourceMap(from: Mapping, to: Mapping): void {
  const map = sourceMaps.get(from);
  if (map) sourceMaps.set(to, map);
}

/** Parse the expression at `path`; a syntax error becomes a located mapping problem. */
export function parseMappingExpression(
  mapping: Mapping,
  path: YamlPath,
  text: string,
): { expression: Expression } | { problem: TierwiseError } {
  try {
    return { expression: parseExpression(text, { rowAggregates: true }) };
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return { problem: expressionProblem(mapping, path, error) };
  }
}

/** A problem of a mapping expression, at its place in the mapping file. */
export function expressionProblem(mapping: Mapping, path: YamlPath, error: ExpressionError): TierwiseError {
  return TierwiseError.of(
    "mapping.invalid-value",
    { where: path.slice(1).join("."), problem: error.reason },
    expressionLocation(mapping, path, error.line, error.column),
    error.hint,
  );
}

/** Read and check a mapping file; every problem is reported with its line and column. */
export async function loadMapping(path: string): Promise<Mapping> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw TierwiseError.of("mapping.unreadable", { reason: (error as Error).message }, { file: path });
  }
  return parseMapping(text, path);
}

/** Parse mapping YAML text; `file` is used in error locations. */
export function parseMapping(text: string, file: string): Mapping {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    throw new TierwiseErrors(
      doc.errors.map((e) =>
        TierwiseError.of("mapping.yaml", { reason: e.message.split("\n")[0] ?? "YAML error" }, at(e.pos[0])),
      ),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS() ?? {};
  } catch (error) {
    // e.g. aliases that expand without bound ("billion laughs")
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "YAML error") : "YAML error";
    throw new TierwiseErrors([TierwiseError.of("mapping.yaml", { reason }, at(0))]);
  }
  const parsed = mappingSchema.safeParse(value);
  const problems: TierwiseError[] = [];
  const locate = (path: readonly PropertyKey[]) => at(nodeAt(doc.contents, path, "value")?.range?.[0]);
  const locateKey = (path: readonly PropertyKey[]) => at(nodeAt(doc.contents, path, "key")?.range?.[0]);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const problem = issue.message;
      const where = locate(issue.path);
      problems.push(
        issue.path.length
          ? TierwiseError.of("mapping.invalid-value", { where: issue.path.join("."), problem }, where)
          : TierwiseError.of("mapping.invalid", { problem }, where),
      );
    }
    throw new TierwiseErrors(problems);
  }
  sourceMaps.set(parsed.data, new SourceMap(file, text));
  problems.push(...semanticProblems(parsed.data, locateKey, locate));
  if (problems.length > 0) throw new TierwiseErrors(problems);
  return parsed.data;
}

type Locate = (path: readonly PropertyKey[]) => { file: string; line: number; column: number };

/** Problems zod cannot see; `locate` points at a key, `locateValue` at its value. */
function semanticProblems(mapping: Mapping, locate: Locate, locateValue: Locate): TierwiseError[] {
  const problems: TierwiseError[] = [];
  for (const [table, tm] of Object.entries(mapping.tables ?? {})) {
    const def = TABLE_NAMES.find((t) => t === table);
    if (!def) {
      problems.push(
        TierwiseError.of("mapping.unknown-table", { table }, locate(["tables", table]), didYouMean(table, TABLE_NAMES)),
      );
      continue;
    }
    const columns = tableDef(def).columns;
    const names = columns.map((c) => c.name);
    const sections = ["columns", "date_formats", "values", "constants", "compute"] as const;
    for (const section of sections) {
      for (const column of Object.keys(tm[section] ?? {})) {
        const col = columns.find((c) => c.name === column);
        if (!col) {
          problems.push(
            TierwiseError.of(
              "mapping.unknown-column",
              { table, column },
              locate(["tables", table, section, column]),
              didYouMean(column, names),
            ),
          );
        } else if (section === "date_formats" && col.type !== "timestamp") {
          problems.push(
            TierwiseError.of("mapping.not-a-timestamp", { table, column }, locate(["tables", table, section, column])),
          );
        } else if (section === "values" && col.enumValues) {
          for (const [from, to] of Object.entries(tm.values?.[column] ?? {})) {
            if (!col.enumValues.includes(to)) {
              problems.push(
                TierwiseError.of(
                  "mapping.value-not-allowed",
                  {
                    table,
                    column,
                    from: JSON.stringify(from),
                    to: JSON.stringify(to),
                    values: col.enumValues.join(", "),
                  },
                  locateValue(["tables", table, section, column, from]),
                  didYouMean(to, col.enumValues),
                ),
              );
            }
          }
        }
      }
    }
    if (tm.from !== undefined && table !== "customers") {
      problems.push(TierwiseError.of("mapping.derived-not-customers", { table }, locate(["tables", table, "from"])));
    }
    for (const column of Object.keys(tm.compute ?? {})) {
      const other =
        tm.columns && column in tm.columns ? "renamed" : tm.constants && column in tm.constants ? "constant" : null;
      if (other) {
        problems.push(
          TierwiseError.of(
            "mapping.computed-and-other",
            { table, column, other },
            locate(["tables", table, "compute", column]),
          ),
        );
      }
    }
    for (const [section, exprs] of [
      ["compute", tm.compute],
      ["skip", tm.skip],
    ] as const) {
      for (const [name, text] of Object.entries(exprs ?? {})) {
        const parsed = parseMappingExpression(mapping, ["tables", table, section, name], text);
        if ("problem" in parsed) problems.push(parsed.problem);
      }
    }
    for (const column of Object.keys(tm.columns ?? {})) {
      if (tm.constants && column in tm.constants) {
        problems.push(
          TierwiseError.of(
            "mapping.renamed-and-constant",
            { table, column },
            locate(["tables", table, "constants", column]),
          ),
        );
      }
    }
  }
  return problems;
}

/**
 * The YAML node at `path`: the key of its last step (to point at a misspelt
 * name) or its value (to point at a wrong value); the nearest parent when the
 * path does not exist.
 */
function nodeAt(node: unknown, path: readonly PropertyKey[], want: "key" | "value"): YamlNode | undefined {
  let current: unknown = node;
  let last: YamlNode | undefined;
  for (const [i, key] of path.entries()) {
    if (isMap(current)) {
      const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) return last;
      last = (isScalar(pair.key) ? pair.key : last) as YamlNode | undefined;
      if (want === "key" && i === path.length - 1) return last;
      current = pair.value;
    } else if (isSeq(current) && typeof key === "number") {
      current = current.items[key];
      if (current) last = current as YamlNode;
    } else {
      return last;
    }
  }
  return (current as YamlNode | undefined) && isScalar(current) ? (current as YamlNode) : last;
}
