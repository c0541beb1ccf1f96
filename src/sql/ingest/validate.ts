import { formatMessage, type RejectCode } from "../../errors/index.js";
import { type ColumnDef, MAX_ID_LENGTH } from "../../model/index.js";
import type { CheckDef, ColumnPlan, DecimalMark, TablePlan } from "../../plan/index.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { computedTextSql, numberOf, numberSourcesOf, sourceText, trimmedRowsSql } from "./computed.js";
import { groupedLevel1Sql } from "./grouped.js";
import { idForbiddenSql, idTrimmedSql } from "./id-text.js";
import { ISO_SHAPE, NOT_FINITE_TEXT, NUMBER_SHAPE, normaliseNumberText, parseTimestamp } from "./parse-value.js";

/** A check and the SQL condition (over the parsed row) that is true when it fails. */
export interface CompiledCheck {
  readonly def: CheckDef;
  readonly failed: SqlFragment;
}

/**
 * The checks of one field (or one row-level rule): `bad` is a cheap condition
 * that is true exactly when one of `checks` fails; the precise checks then
 * run only on bad rows.
 */
export interface CheckGroup {
  readonly bad: SqlFragment;
  readonly checks: readonly CompiledCheck[];
}

export interface CompiledValidation {
  /** SELECT of every staged row with s_/n_/p_ columns per canonical column. */
  readonly parsed: SqlFragment;
  /** Field checks in priority order. */
  readonly checks: readonly CompiledCheck[];
  /** The same checks grouped per field, each with its cheap `bad` condition. */
  readonly groups: readonly CheckGroup[];
  /** Checks decided after parsing: duplicate key and each reference. */
  readonly duplicate: CheckDef;
  readonly references: ReadonlyArray<{ readonly def: CheckDef; readonly column: ColumnDef }>;
}

const s = (c: ColumnDef) => ident(`s_${c.name}`);
const p = (c: ColumnDef) => ident(`p_${c.name}`);

/** A column's canonical text over the rows of `trimmedRowsSql`. */
function canonicalText(d: Dialect, table: TablePlan, plan: ColumnPlan, mark: DecimalMark): SqlFragment {
  const src = plan.source;
  const text: SqlFragment =
    src.kind === "source"
      ? sourceText(d, src.index, true)
      : src.kind === "constant"
        ? sql`CAST(${src.value} AS VARCHAR)`
        : src.kind === "computed"
          ? computedTextSql(d, table, src.expression, mark, true)
          : raw("CAST(NULL AS VARCHAR)");
  return decorated(plan, text, d);
}

/**
 * A column's text after the mapping's value map, enum case folding and the
 * column's default; an id also without invisible characters at its ends.
 */
function decorated(plan: ColumnPlan, base: SqlFragment, d: Dialect): SqlFragment {
  let text = plan.column.type === "id" ? idTrimmedSql(d, base) : base;
  const entries = Object.entries(plan.valueMap);
  const isEnum = plan.column.type === "enum";
  if (entries.length > 0) {
    // Enum values match case-insensitively, and so do the keys of their value maps.
    const whens = entries.map(([from, to]) => sql`WHEN ${isEnum ? from.trim().toLowerCase() : from} THEN ${to}`);
    const subject = isEnum ? sql`lower(${text})` : text;
    text = sql`CASE ${subject} ${join(whens, " ")} ELSE ${text} END`;
  }
  if (isEnum) text = sql`lower(${text})`;
  if (plan.column.default !== undefined) text = sql`coalesce(${text}, ${plan.column.default})`;
  return text;
}

/**
 * Compile the validation of one staged table. `stage` is the staging view
 * with `__rec` and text columns c1…cN. Rows a skip filter of the mapping
 * holds for are left out (they are counted, not checked).
 */
export function compileValidation(
  d: Dialect,
  plan: TablePlan,
  stage: string,
  mark: DecimalMark,
  zoneIsUtc: boolean,
): CompiledValidation {
  const cols = plan.columns;
  const numberSources = numberSourcesOf(plan);
  const grouped =
    plan.groupBy.length > 0 ? groupedLevel1Sql(d, plan, stage, mark, zoneIsUtc, (c, t) => decorated(c, t, d)) : null;
  const level1 =
    grouped?.query ??
    sql`SELECT ${join([
      raw("__rec"),
      ...cols.map((c) => sql`${canonicalText(d, plan, c, mark)} AS ${s(c.column)}`),
      ...numberSources.map((r) => sql`${sourceText(d, r.index, true)} AS ${ident(`t_${r.index + 1}`)}`),
    ])} FROM (${trimmedRowsSql(d, plan, stage, mark)}) trimmed`;
  const level2 = join([raw("*"), ...cols.map((c) => sql`${typedValue(d, c, mark, zoneIsUtc)} AS ${p(c.column)}`)]);
  const parsed = d.computedOnce(sql`SELECT ${level2} FROM (${d.computedOnce(level1)}) l1`);

  const checks: CompiledCheck[] = [];
  const groups: CheckGroup[] = [];
  const group = (bad: SqlFragment, fill: () => void) => {
    const from = checks.length;
    fill();
    if (checks.length > from) groups.push({ bad, checks: checks.slice(from) });
  };
  const add = (
    code: RejectCode,
    column: ColumnPlan | null,
    failed: SqlFragment,
    params: Record<string, string> = {},
    reason?: string,
  ) => {
    const def: CheckDef = {
      id: checks.length + 1,
      code,
      column: column?.column.name ?? null,
      sourceIndex: column?.source.kind === "source" ? column.source.index : null,
      reason: reason ?? formatMessage(code, { field: column?.column.name ?? "row", ...params }),
    };
    checks.push({ def, failed });
  };
  // A source column a computed column reads as a number: its bad value is the reason, at its own column.
  const badSource = (r: { index: number }) => {
    const text = ident(`t_${r.index + 1}`);
    return sql`${text} IS NOT NULL AND ${numberOf(d, text, mark)} IS NULL`;
  };
  for (const r of numberSources) {
    const failed = badSource(r);
    const column = cols.find((c) => c.column.name === r.column) ?? null;
    group(sql`coalesce(${failed}, false)`, () => {
      const def: CheckDef = {
        id: checks.length + 1,
        code: "NOT_A_NUMBER",
        column: r.column,
        sourceIndex: r.index,
        reason: formatMessage("NOT_A_NUMBER", { field: `${r.name} (read for ${column?.column.name})` }),
      };
      checks.push({ def, failed });
    });
  }
  // A date a min/max of a grouped table could not read: the group is rejected at that line.
  for (const check of grouped?.dateChecks ?? []) {
    const text = ident(check.alias);
    const failed = sql`${text} IS NOT NULL`;
    group(sql`coalesce(${failed}, false)`, () => {
      const formats = check.column.dateFormats.length > 0 ? check.column.dateFormats.join(" or ") : "ISO 8601";
      const def: CheckDef = {
        id: checks.length + 1,
        code: "INVALID_DATE",
        column: check.column.column.name,
        sourceIndex: check.sourceIndex,
        reason: formatMessage("INVALID_DATE", { field: check.column.column.name, formats }),
      };
      checks.push({ def, failed });
    });
  }
  for (const c of cols) {
    // A computed value is empty because a source it reads is not a number: that reject says so already.
    const reads = c.source.kind === "computed" ? c.source.numberSources : [];
    const excused = reads.length > 0 ? sql`coalesce(${join(reads.map(badSource), " OR ")}, false)` : null;
    group(badValue(d, c, excused), () => addColumnChecks(d, c, add, mark, excused));
  }
  addRowChecks(plan, add, group);

  let nextId = checks.length;
  const decided = (code: RejectCode, column: ColumnPlan | null, params: Record<string, string>): CheckDef => ({
    id: ++nextId,
    code,
    column: column?.column.name ?? null,
    sourceIndex: column?.source.kind === "source" ? column.source.index : null,
    reason: formatMessage(code, { field: column?.column.name ?? "row", ...params }),
  });
  const keyColumn = cols.find((c) => c.column.name === plan.table.key[0]) ?? null;
  // `{first}` is filled per row with the record of the first occurrence (rejects.ts).
  const duplicate = decided("DUPLICATE_KEY", keyColumn, { field: plan.table.key.join(" + "), first: "{first}" });
  const references: Array<{ def: CheckDef; column: ColumnDef }> = [];
  for (const c of cols) {
    const ref = c.column.references;
    if (ref && c.source.kind !== "absent") {
      references.push({
        def: decided("UNKNOWN_REFERENCE", c, { target: `${ref.table}.${ref.column}` }),
        column: c.column,
      });
    }
  }
  return { parsed, checks, groups, duplicate, references };
}

function typedValue(d: Dialect, c: ColumnPlan, mark: DecimalMark, zoneIsUtc: boolean): SqlFragment {
  const text = s(c.column);
  switch (c.column.type) {
    case "money":
    case "number":
    case "integer":
      return numberOf(d, text, mark);
    case "timestamp":
      return parseTimestamp(d, text, c.dateFormats, zoneIsUtc);
    default:
      return s(c.column);
  }
}

type Add = (
  code: RejectCode,
  column: ColumnPlan | null,
  failed: SqlFragment,
  params?: Record<string, string>,
  reason?: string,
) => void;

/**
 * Money negative on a row the file marks as a sale (`kind` = `order`): a
 * refund is a credit note. An empty kind reads as credit when negative.
 */
const negativeOnOrder = (value: SqlFragment) => sql`(${value} < 0 AND ${ident("p_kind")} = 'order')`;

/** True when the field fails any of its checks; cheap, because it looks at the parsed value. */
function badValue(d: Dialect, c: ColumnPlan, excused: SqlFragment | null): SqlFragment {
  const col = c.column;
  const text = s(col);
  const value = p(col);
  const terms: SqlFragment[] = [];
  if (col.required) terms.push(missing(text, excused));
  switch (col.type) {
    case "id":
      terms.push(sql`length(${text}) > ${integer(MAX_ID_LENGTH)}`, idForbiddenSql(d, text));
      break;
    case "enum":
      terms.push(sql`NOT ${oneOf(value, col.enumValues ?? [])}`);
      break;
    case "money":
    case "number":
    case "integer":
      terms.push(sql`(${text} IS NOT NULL AND ${value} IS NULL)`);
      if (col.min !== undefined) terms.push(sql`${value} < ${col.min}`);
      if (col.negativeOnCredit) terms.push(negativeOnOrder(value));
      if (col.max !== undefined) terms.push(sql`${value} > ${col.max}`);
      if (col.type === "integer") terms.push(sql`${value} <> trunc(${value})`);
      break;
    case "timestamp":
      terms.push(
        sql`(${text} IS NOT NULL AND ${value} IS NULL)`,
        sql`${value} < TIMESTAMP '1900-01-01'`,
        sql`${value} >= TIMESTAMP '2200-01-01'`,
      );
      break;
    case "json":
      terms.push(sql`(${text} IS NOT NULL AND NOT ${d.isJsonObject(text)})`);
      break;
    case "text":
      break;
  }
  return terms.length ? sql`coalesce(${join(terms, " OR ")}, false)` : raw("false");
}

/**
 * `value = a OR value = b …`: written out because engines may turn a long IN
 * list into a join that runs on every row, outside the CASE that guards it.
 */
function oneOf(value: SqlFragment, options: readonly string[]): SqlFragment {
  return sql`(${join(
    options.map((o) => sql`${value} = ${o}`),
    " OR ",
  )})`;
}

/** An empty required value, unless `excused` (its computation already failed on a source value). */
function missing(text: SqlFragment, excused: SqlFragment | null): SqlFragment {
  return excused ? sql`(${text} IS NULL AND NOT ${excused})` : sql`${text} IS NULL`;
}

function addColumnChecks(d: Dialect, c: ColumnPlan, add: Add, mark: DecimalMark, excused: SqlFragment | null): void {
  const col = c.column;
  const text = s(col);
  const value = p(col);
  if (col.required) add("MISSING_VALUE", c, missing(text, excused));
  switch (col.type) {
    case "id":
      // `{char}` is filled per row with the code point (rejects.ts).
      add(
        "INVALID_ID",
        c,
        idForbiddenSql(d, text),
        {},
        `${col.name} contains the invisible or control character {char}`,
      );
      add(
        "INVALID_ID",
        c,
        sql`length(${text}) > ${integer(MAX_ID_LENGTH)}`,
        {},
        `${col.name} is longer than ${MAX_ID_LENGTH} characters`,
      );
      break;
    case "enum":
      add("UNKNOWN_VALUE", c, sql`NOT ${oneOf(value, col.enumValues ?? [])}`, {
        values: (col.enumValues ?? []).join(", "),
      });
      break;
    case "money":
    case "number":
    case "integer": {
      add("NOT_FINITE", c, d.regexFullMatch(sql`lower(${text})`, NOT_FINITE_TEXT));
      const normalised = normaliseNumberText(d, text, mark);
      add(
        "NOT_A_NUMBER",
        c,
        sql`${text} IS NOT NULL AND ${value} IS NULL AND NOT ${d.regexFullMatch(normalised, NUMBER_SHAPE)}`,
      );
      add("OUT_OF_RANGE", c, sql`${text} IS NOT NULL AND ${value} IS NULL`, { range: "of ±99,999,999,999,999" });
      if (col.min === 0) add("NEGATIVE", c, sql`${value} < 0`);
      if (col.negativeOnCredit)
        add(
          "NEGATIVE",
          c,
          negativeOnOrder(value),
          {},
          `${col.name} is negative on kind order: a refund needs kind credit (or an empty kind)`,
        );
      if (col.type === "integer") add("NOT_AN_INTEGER", c, sql`${value} <> trunc(${value})`);
      if ((col.min !== undefined && col.min !== 0) || col.max !== undefined) {
        const lo = col.min ?? Number.MIN_SAFE_INTEGER;
        const hi = col.max ?? Number.MAX_SAFE_INTEGER;
        const range = col.max !== undefined ? `${lo}..${hi}` : `of at least ${lo}`;
        add("OUT_OF_RANGE", c, sql`(${value} < ${lo} OR ${value} > ${hi})`, { range });
      }
      break;
    }
    case "timestamp": {
      const formats =
        c.dateFormats.length > 0
          ? c.dateFormats.join(" or ")
          : "ISO 8601, e.g. 2025-03-31 or 2025-03-31T14:05:00+01:00";
      if (c.dateFormats.length === 0)
        add(
          "IMPOSSIBLE_DATE",
          c,
          sql`${text} IS NOT NULL AND ${value} IS NULL AND ${d.regexFullMatch(text, ISO_SHAPE)}`,
        );
      add("INVALID_DATE", c, sql`${text} IS NOT NULL AND ${value} IS NULL`, { formats });
      add("DATE_OUT_OF_RANGE", c, sql`(${value} < TIMESTAMP '1900-01-01' OR ${value} >= TIMESTAMP '2200-01-01')`);
      break;
    }
    case "json":
      add("INVALID_JSON", c, sql`${text} IS NOT NULL AND NOT ${d.isJsonObject(text)}`);
      break;
    case "text":
      break;
  }
}

function addRowChecks(plan: TablePlan, add: Add, group: (bad: SqlFragment, fill: () => void) => void): void {
  const find = (name: string) => plan.columns.find((c) => c.column.name === name);
  if (plan.table.name === "invoices") {
    const due = find("due_at");
    const issued = find("issued_at");
    if (due && issued) {
      const failed = sql`${p(due.column)} < ${p(issued.column)}`;
      group(sql`coalesce(${failed}, false)`, () => add("DUE_BEFORE_ISSUED", due, failed));
    }
  }
  if (plan.table.name === "interactions") {
    const kind = find("kind");
    const score = find("score");
    if (kind && score) {
      const failed = sql`${p(kind.column)} = 'survey' AND ${s(score.column)} IS NULL`;
      group(sql`coalesce(${failed}, false)`, () => add("SCORE_REQUIRED", score, failed));
    }
  }
}

/**
 * The first failed check of a row: the cheap `bad` condition of each group
 * picks the field; the precise checks of that field then name the problem.
 */
export function firstFailureOfRow(groups: readonly CheckGroup[]): SqlFragment {
  if (groups.length === 0) return raw("CAST(NULL AS INTEGER)");
  return sql`CASE ${join(
    groups.map(
      (g) => sql`WHEN ${g.bad} THEN coalesce(${firstFailure(g.checks)}, ${integer(g.checks[0]?.def.id ?? 0)})`,
    ),
    " ",
  )} END`;
}

/** `CASE WHEN failed1 THEN 1 WHEN failed2 THEN 2 … END`: the first failing check of a row. */
export function firstFailure(checks: readonly CompiledCheck[]): SqlFragment {
  if (checks.length === 0) return raw("CAST(NULL AS INTEGER)");
  return sql`CASE ${join(
    checks.map((c) => sql`WHEN ${c.failed} THEN ${integer(c.def.id)}`),
    " ",
  )} END`;
}
