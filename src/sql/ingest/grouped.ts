import { InternalError } from "../../errors/index.js";
import type { CheckedExpression, ColumnPlan, DecimalMark, TablePlan } from "../../plan/index.js";
import type { Dialect } from "../dialect/dialect.js";
import { compileExpression } from "../expression.js";
import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";
import { mappingExpressionSql, numberOf, numberSourcesOf, sourceText, trimmedRowsSql } from "./computed.js";
import { idTrimmedSql } from "./id-text.js";
import { parseTimestamp } from "./parse-value.js";

/**
 * A grouped mapping table (`group_by:`): one row per group of the file's
 * kept rows (skip filters apply to rows, before grouping). Each canonical
 * column is, as text, the group key, an aggregate over the group's rows, or
 * a plain source column's value on the group's first row in file order
 * (the staged row number `__rec`). The result has the shape of the row by
 * row level-1 query (`__rec` and `s_<column>`), so the same validation
 * types and checks it.
 *
 * A row whose value an aggregate cannot read (a number or, for a timestamp
 * column's min/max, a date) rejects its group: the group's `__rec` is then
 * that row, so the reject names its line; `t_<i>` / `d_<column>` hold the
 * unreadable text for the checks.
 */

/** A date an aggregate of a timestamp column could not read, for the INVALID_DATE check. */
export interface GroupDateCheck {
  readonly column: ColumnPlan;
  /** Column of the level-1 query holding the first unreadable text of the group. */
  readonly alias: string;
  /** 0-based source column when the aggregate reads one column directly. */
  readonly sourceIndex: number | null;
}

export interface GroupedLevel1 {
  readonly query: SqlFragment;
  readonly dateChecks: readonly GroupDateCheck[];
}

/**
 * The level-1 query of a grouped table. `decorate` turns a column's base
 * text into its canonical text (value maps, enum case, defaults).
 */
export function groupedLevel1Sql(
  d: Dialect,
  plan: TablePlan,
  stage: string,
  mark: DecimalMark,
  zoneIsUtc: boolean,
  decorate: (column: ColumnPlan, text: SqlFragment) => SqlFragment,
): GroupedLevel1 {
  const rec = raw("__rec");
  const firstRow = (value: SqlFragment) => d.firstBy(value, [rec], false, raw("true"));
  const keys = plan.groupBy.map((_, i) => ident(`__g${i + 1}`));
  const mostFrequent: SqlFragment[] = [];
  const dateChecks: GroupDateCheck[] = [];
  const unreadableDates: Array<{ alias: string; text: SqlFragment; unreadable: SqlFragment }> = [];
  const badRows: SqlFragment[] = [];
  const parsedDates: SqlFragment[] = [];
  // Source columns computed columns read as numbers are read once per row, in the rows CTE.
  const numbers = new Map(numberSourcesOf(plan).map((r) => [r.index, ident(`__num${r.index + 1}`)]));
  const row = (e: CheckedExpression) => mappingExpressionSql(d, plan, e, mark, true, (i) => numbers.get(i));
  // Source columns are read from trimmedRowsSql: trimmed once per row.
  const text = (index: number) => sourceText(d, index, true);

  const grouped = (column: ColumnPlan, e: CheckedExpression): SqlFragment =>
    compileExpression(e, {
      dialect: d,
      resolveSource: (name, type) => {
        const index = plan.sourceColumns.findIndex((c) => c.name === name);
        return firstRow(type === "number" ? numberOf(d, text(index), mark) : text(index));
      },
      rowAggregate: (name, arg) => {
        const a = row(arg);
        switch (name) {
          case "sum":
            return sql`sum(${a})`;
          case "count":
            return sql`count(${a})`;
          case "first":
            return d.firstBy(a, [rec], false, sql`${a} IS NOT NULL`);
          case "last":
            return d.firstBy(a, [rec], true, sql`${a} IS NOT NULL`);
          case "most_frequent":
            mostFrequent.push(a);
            return sql`min(${ident(`__mf${mostFrequent.length}`)})`;
          case "min":
          case "max": {
            if (column.column.type !== "timestamp" || arg.type !== "text") return sql`${raw(name)}(${a})`;
            // Dates written as text are compared as dates (12/9/2010 is before 12/10/2010).
            // Parsed once per row in the rows CTE; the filter, the order and the checks read it.
            const at = ident(`__at${parsedDates.length + 1}`);
            parsedDates.push(sql`${parseTimestamp(d, a, column.dateFormats, zoneIsUtc)} AS ${at}`);
            const alias = `d_${column.column.name}_${dateChecks.length + 1}`;
            const unreadable = sql`${a} IS NOT NULL AND ${at} IS NULL`;
            dateChecks.push({
              column,
              alias,
              sourceIndex:
                arg.kind === "name" && arg.binding?.kind === "source"
                  ? plan.sourceColumns.findIndex((c) => c.name === (arg.binding as { column: string }).column)
                  : null,
            });
            badRows.push(unreadable);
            unreadableDates.push({ alias, text: a, unreadable });
            // The earliest (latest) date, and of equal dates the first row: max orders by (at, -__rec).
            const keys = name === "max" ? [at, raw("-__rec")] : [at, rec];
            return d.firstBy(a, keys, name === "max", sql`${at} IS NOT NULL`);
          }
          default:
            throw new InternalError(`no SQL for row aggregate ${name}`);
        }
      },
      resolve: () => {
        throw new InternalError("a mapping expression names only source columns");
      },
      aggregate: () => {
        throw new InternalError("a mapping expression has no windowed aggregates");
      },
    });

  const texts: SqlFragment[] = [];
  for (const c of plan.columns) {
    const src = c.source;
    const base =
      src.kind === "source"
        ? firstRow(text(src.index))
        : src.kind === "constant"
          ? sql`CAST(${src.value} AS VARCHAR)`
          : src.kind === "computed"
            ? sql`CAST(${grouped(c, src.expression)} AS VARCHAR)`
            : raw("CAST(NULL AS VARCHAR)");
    texts.push(sql`${decorate(c, base)} AS ${ident(`s_${c.column.name}`)}`);
  }
  const extra: SqlFragment[] = [];
  for (const r of numberSourcesOf(plan)) {
    const t = text(r.index);
    const unreadable = sql`${t} IS NOT NULL AND ${numbers.get(r.index) ?? numberOf(d, t, mark)} IS NULL`;
    badRows.push(unreadable);
    extra.push(sql`${d.firstBy(t, [rec], false, unreadable)} AS ${ident(`t_${r.index + 1}`)}`);
  }
  // The first text of the group a date-reading aggregate could not read.
  for (const u of unreadableDates)
    extra.push(sql`${d.firstBy(u.text, [rec], false, u.unreadable)} AS ${ident(u.alias)}`);

  const groupRec =
    badRows.length > 0
      ? sql`coalesce(min(__rec) FILTER (WHERE coalesce(${join(badRows, " OR ")}, false)), min(__rec))`
      : sql`min(__rec)`;
  // A key an id column reads groups by the id as stored: `C1` and `C1` + U+200B are one group (id-text.ts).
  const idSources = new Set(
    plan.columns.flatMap((c) => (c.column.type === "id" && c.source.kind === "source" ? [c.source.index] : [])),
  );
  const groupKey = (index: number) => (idSources.has(index) ? idTrimmedSql(d, text(index)) : text(index));
  const keyed = join([
    raw("*"),
    ...plan.groupBy.map((g, i) => sql`${groupKey(g.index)} AS ${keys[i] as SqlFragment}`),
    ...parsedDates,
    ...[...numbers].map(([index, alias]) => sql`${numberOf(d, text(index), mark)} AS ${alias}`),
  ]);
  const ctes: SqlFragment[] = [sql`rows AS (SELECT ${keyed} FROM (${trimmedRowsSql(d, plan, stage, mark)}) trimmed)`];
  let from = raw("rows");
  if (mostFrequent.length > 0) {
    const joins: SqlFragment[] = [];
    const picked: SqlFragment[] = [];
    mostFrequent.forEach((a, j) => {
      const name = `mf${j + 1}`;
      const values = sql`SELECT ${join(keys)}, ${a} AS __v, __rec FROM rows`;
      const counted = sql`SELECT ${join(keys)}, __v, count(*) AS __n, min(__rec) AS __r FROM (${values}) v WHERE __v IS NOT NULL GROUP BY ${join(keys)}, __v`;
      ctes.push(
        sql`${ident(name)} AS (SELECT ${join(keys)}, ${d.firstBy(raw("__v"), [raw("__n"), raw("-__r")], true, raw("true"))} AS __v FROM (${counted}) c GROUP BY ${join(keys)})`,
      );
      const on = join(
        keys.map((k) => sql`rows.${k} = ${ident(name)}.${k}`),
        " AND ",
      );
      joins.push(sql` LEFT JOIN ${ident(name)} ON ${on}`);
      picked.push(sql`${ident(name)}.__v AS ${ident(`__mf${j + 1}`)}`);
    });
    ctes.push(sql`joined AS (SELECT rows.*, ${join(picked)} FROM rows${join(joins, "")})`);
    from = raw("joined");
  }
  const query = sql`WITH ${join(ctes)}
SELECT ${groupRec} AS __rec, ${join([...texts, ...extra])}
FROM ${from} GROUP BY ${join(keys)}`;
  return { query, dateChecks };
}
