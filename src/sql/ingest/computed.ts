import { InternalError } from "../../errors/index.js";
import type { CheckedExpression, DecimalMark, SourceRef, TablePlan } from "../../plan/index.js";
import type { Dialect } from "../dialect/dialect.js";
import { compileExpression } from "../expression.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { normaliseNumberText, parseNumber } from "./parse-value.js";

/**
 * Mapping expressions (`compute:`, `skip:`) over a staged file's text
 * columns c1…cN. A source column is its trimmed text, or that text read as
 * a number with the file's decimal mark where the expression needs one
 * (NULL when it is not a number; the validation rejects such rows).
 */

/**
 * Trimmed text of a source column of the staged file, NULL when empty; with
 * `trimmed`, the column of `trimmedRowsSql` that already holds it.
 */
export function sourceText(d: Dialect, index: number, trimmed = false): SqlFragment {
  const column = ident(`c${index + 1}`);
  return trimmed ? column : d.trimmedOrNull(column);
}

/**
 * The staged rows (`__rec`, c1…cN) with every source column trimmed once,
 * the rows a skip filter holds for left out. Expressions over it read the
 * columns with `trimmed` = true: a column read many times (a number parsed
 * for a check and for a sum) is then trimmed once per row, not per use.
 */
export function trimmedRowsSql(d: Dialect, plan: TablePlan, stage: string, mark: DecimalMark): SqlFragment {
  const kept = plan.skips.length > 0 ? sql` WHERE ${skipNumberSql(d, plan, mark)} IS NULL` : raw("");
  const columns = plan.sourceColumns.map((_, i) => sql`${sourceText(d, i)} AS ${ident(`c${i + 1}`)}`);
  return sql`SELECT ${join([raw("__rec"), ...columns])} FROM ${ident(stage)}${kept}`;
}

/** Number text (trimmed) → DECIMAL with the file's decimal mark, or NULL; as the validation reads numbers. */
export function numberOf(d: Dialect, text: SqlFragment, mark: DecimalMark): SqlFragment {
  // Plain numbers take the fast cast; only the rest are normalised (separators, decimal comma).
  return mark === "."
    ? sql`coalesce(${parseNumber(d, text)}, ${parseNumber(d, normaliseNumberText(d, text, mark))})`
    : parseNumber(d, normaliseNumberText(d, text, mark));
}

/** A mapping expression over the staged row. */
export function mappingExpressionSql(
  d: Dialect,
  plan: TablePlan,
  expression: CheckedExpression,
  mark: DecimalMark,
  trimmed = false,
  /** A column already read as a number (e.g. once per row in a CTE), when there is one. */
  readNumber: (index: number) => SqlFragment | undefined = () => undefined,
): SqlFragment {
  return compileExpression(expression, {
    dialect: d,
    resolveSource: (column, type) => {
      const index = plan.sourceColumns.findIndex((c) => c.name === column);
      if (index < 0) throw new InternalError(`source column ${column} is not in the plan`);
      const text = sourceText(d, index, trimmed);
      return type === "number" ? (readNumber(index) ?? numberOf(d, text, mark)) : text;
    },
    resolve: () => {
      throw new InternalError("a mapping expression names only source columns");
    },
    aggregate: () => {
      throw new InternalError("a mapping expression has no windowed aggregates");
    },
  });
}

/** A computed column as text, to be validated like a value read from the file. */
export function computedTextSql(
  d: Dialect,
  plan: TablePlan,
  expression: CheckedExpression,
  mark: DecimalMark,
  trimmed = false,
): SqlFragment {
  return sql`CAST(${mappingExpressionSql(d, plan, expression, mark, trimmed)} AS VARCHAR)`;
}

/**
 * The number of the first skip filter that holds for a row (1-based, in
 * mapping order), NULL when none does. A filter that cannot be decided
 * (NULL, e.g. a comparison with an empty field) does not skip.
 */
export function skipNumberSql(d: Dialect, plan: TablePlan, mark: DecimalMark): SqlFragment {
  if (plan.skips.length === 0) return raw("CAST(NULL AS INTEGER)");
  const whens = plan.skips.map(
    (s, i) => sql`WHEN coalesce(${mappingExpressionSql(d, plan, s.condition, mark)}, false) THEN ${integer(i + 1)}`,
  );
  return sql`CASE ${join(whens, " ")} END`;
}

/** Rows skipped per filter number over a staged file. */
export function skipCountsSql(d: Dialect, plan: TablePlan, stage: string, mark: DecimalMark) {
  return select(
    { skip: col.integer, n: col.integer },
    sql`SELECT skip, count(*) AS n FROM (SELECT ${skipNumberSql(d, plan, mark)} AS skip FROM ${ident(stage)}) s
WHERE skip IS NOT NULL GROUP BY skip`,
  );
}

/** Source columns read as numbers by the computed columns (each once), with the canonical column that reads it first. */
export function numberSourcesOf(plan: TablePlan): ReadonlyArray<SourceRef & { readonly column: string }> {
  const seen = new Map<number, SourceRef & { column: string }>();
  for (const c of plan.columns) {
    if (c.source.kind !== "computed") continue;
    for (const r of c.source.numberSources) if (!seen.has(r.index)) seen.set(r.index, { ...r, column: c.column.name });
  }
  return [...seen.values()];
}
