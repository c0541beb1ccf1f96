import { InternalError } from "../errors/index.js";
import type {
  AggregateFn,
  CheckedExpression,
  DurationLiteral,
  DurationUnit,
  Expression,
  ValueType,
  Window,
} from "../plan/expression.js";
import { join, raw, type SqlFragment, sql } from "./fragment.js";

/**
 * Turns a checked expression tree into a SQL fragment. Literal values become
 * bound parameters; names reach SQL only through the caller's `resolve`;
 * every keyword, operator and function name is fixed text chosen here.
 */

/** A name the checker bound: the caller decides which SQL it stands for. */
export type Reference =
  | { readonly kind: "metric"; readonly name: string; readonly type: ValueType }
  | { readonly kind: "column"; readonly table: string; readonly column: string; readonly type: ValueType };

/** The few date and number forms where engines might disagree. */
export interface ExpressionDialect {
  /** An ISO date text (bound parameter) as a date value. */
  dateLiteral(text: SqlFragment): SqlFragment;
  /** `date` moved forwards (`+`) or backwards (`-`) by `amount` calendar units. */
  shiftDate(date: SqlFragment, sign: "+" | "-", amount: SqlFragment, unit: DurationUnit): SqlFragment;
  /** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
  daysBetween(from: SqlFragment, to: SqlFragment): SqlFragment;
  /** Division as a fraction (never integer division); NULL when dividing by zero. */
  divide(left: SqlFragment, right: SqlFragment): SqlFragment;
  /** Aggregate: `value` of the row that sorts first by `order` (e.g. `at DESC, id DESC`) among rows matching `filter`. */
  latest(value: SqlFragment, order: SqlFragment, filter: SqlFragment): SqlFragment;
  /**
   * Aggregate: `value` (NULL too) of the row with the smallest `keys`, or the
   * largest when `descending`, among rows matching `filter`; the keys
   * (compared in order) are never NULL and unique within the group.
   */
  firstBy(value: SqlFragment, keys: readonly SqlFragment[], descending: boolean, filter: SqlFragment): SqlFragment;
  /** Whole-number division of two integers, rounded down for non-negative operands. */
  intDiv(left: SqlFragment, right: SqlFragment): SqlFragment;
  /** Aggregate: `value` of the row with the smallest `key` (keys unique within the group). */
  argMin(value: SqlFragment, key: SqlFragment): SqlFragment;
  /** A number rounded half away from zero, to `digits` decimals (an integer) or to a whole number. */
  round(value: SqlFragment, digits?: SqlFragment): SqlFragment;
}

const INTERVALS: Readonly<Record<DurationUnit, SqlFragment>> = {
  day: raw("INTERVAL '1 day'"),
  week: raw("INTERVAL '7 days'"),
  month: raw("INTERVAL '1 month'"),
  year: raw("INTERVAL '1 year'"),
};

/** Forms valid on DuckDB; all but `divide` are valid on PostgreSQL too. */
export const duckdbExpressionDialect: ExpressionDialect = {
  dateLiteral: (text) => sql`CAST(${text} AS DATE)`,
  shiftDate: (date, sign, amount, unit) => sql`(${date} ${raw(sign)} CAST(${amount} AS INTEGER) * ${INTERVALS[unit]})`,
  daysBetween: (from, to) => sql`(CAST(${to} AS DATE) - CAST(${from} AS DATE))`,
  // DuckDB's `/` always gives a fraction; x / 0 would be infinity, NULLIF makes it NULL.
  divide: (left, right) => sql`(${left} / NULLIF(${right}, 0))`,
  latest: (value, order, filter) => sql`first(${value} ORDER BY ${order}) FILTER (WHERE ${filter})`,
  // arg_min_null keeps a NULL value; unlike an ordered aggregate it sorts nothing.
  firstBy: (value, keys, descending, filter) => {
    const key =
      keys.length === 1
        ? (keys[0] as SqlFragment)
        : sql`struct_pack(${join(keys.map((k, i) => sql`${raw(`k${i + 1}`)} := ${k}`))})`;
    return sql`${raw(descending ? "arg_max_null" : "arg_min_null")}(${value}, ${key}) FILTER (WHERE ${filter})`;
  },
  intDiv: (left, right) => sql`(${left} // ${right})`,
  argMin: (value, key) => sql`arg_min(${value}, ${key})`,
  round: (value, digits) => (digits ? sql`round(${value}, CAST(${digits} AS INTEGER))` : sql`round(${value})`),
};

/**
 * PostgreSQL. `/` on integers truncates and on numerics is (nearly) exact,
 * while DuckDB divides in double precision; dividing doubles here too gives
 * bit-identical fractions, so equal values tie alike in rankings. round()
 * exists for numeric only and, on doubles, would round half to even.
 */
export const postgresExpressionDialect: ExpressionDialect = {
  ...duckdbExpressionDialect,
  divide: (left, right) => sql`(CAST(${left} AS DOUBLE PRECISION) / NULLIF(CAST(${right} AS DOUBLE PRECISION), 0))`,
  round: (value, digits) =>
    digits ? sql`round(CAST(${value} AS NUMERIC), CAST(${digits} AS INTEGER))` : sql`round(CAST(${value} AS NUMERIC))`,
  latest: (value, order, filter) => sql`(array_agg(${value} ORDER BY ${order}) FILTER (WHERE ${filter}))[1]`,
  firstBy: (value, keys, descending, filter) =>
    sql`(array_agg(${value} ORDER BY ${join(keys.map((k) => (descending ? sql`${k} DESC` : k)))}) FILTER (WHERE ${filter}))[1]`,
  intDiv: (left, right) => sql`div(${left}, ${right})`,
  argMin: (value, key) => sql`(array_agg(${value} ORDER BY ${key}))[1]`,
};

/** The expression forms of an engine, by its dialect name. */
export function expressionDialectFor(name: "duckdb" | "postgres"): ExpressionDialect {
  return name === "postgres" ? postgresExpressionDialect : duckdbExpressionDialect;
}

/** What the caller supplies: how names and windowed aggregates become SQL. */
export interface ExpressionSqlHooks {
  /** SQL for a metric or column (the caller quotes it with `ident`). */
  resolve(ref: Reference): SqlFragment;
  /** SQL for a column of the file being ingested (mapping expressions), as text or read as a number. */
  resolveSource?(column: string, type: ValueType): SqlFragment;
  /**
   * SQL for an aggregate over the rows of a group (`sum(x)`, `first(x)`, …
   * in a grouped mapping table); `arg` is its checked argument.
   */
  rowAggregate?(name: string, arg: CheckedExpression): SqlFragment;
  /** SQL for a windowed aggregate; `filter` is the compiled row condition, if any. */
  aggregate(
    fn: AggregateFn,
    table: string,
    column: string | undefined,
    window: Window,
    filter: SqlFragment | undefined,
  ): SqlFragment;
  /**
   * SQL for a parameterised metric call (`spend(12 months)`). `args` are the
   * checked argument nodes; `compile` turns a number argument into SQL.
   */
  metricCall?(name: string, args: readonly Expression[], compile: (e: Expression) => SqlFragment): SqlFragment;
  /** Engine-specific forms; DuckDB when omitted. */
  readonly dialect?: ExpressionDialect;
}

/** Fixed SQL names of the language's scalar functions. */
const FUNCTION_SQL: Readonly<Record<string, string>> = {
  abs: "abs",
  round: "round",
  least: "least",
  greatest: "greatest",
  coalesce: "COALESCE",
  starts_with: "starts_with",
};

const COMPARE_SQL: Readonly<Record<string, string>> = {
  "=": " = ",
  "<>": " <> ",
  "<": " < ",
  "<=": " <= ",
  ">": " > ",
  ">=": " >= ",
};

/**
 * Compile a checked expression to SQL.
 * @throws Error (internal) when the tree was not checked.
 * @example
 * compileExpression(checked, {
 *   resolve: (ref) => ref.kind === "metric" ? ident("m", ref.name) : ident(ref.table, ref.column),
 *   aggregate: () => { throw new Error("none expected"); },
 * })
 */
export function compileExpression(expr: CheckedExpression, hooks: ExpressionSqlHooks): SqlFragment {
  return new Compiler(hooks, hooks.dialect ?? duckdbExpressionDialect).compile(expr);
}

class Compiler {
  constructor(
    private readonly hooks: ExpressionSqlHooks,
    private readonly dialect: ExpressionDialect,
  ) {}

  compile(e: Expression): SqlFragment {
    const type = e.type;
    if (!type) throw new InternalError(`expression node ${e.kind} was not type-checked`);
    switch (e.kind) {
      case "number":
      case "text":
      case "boolean":
        return sql`${e.value}`;
      case "date":
        return this.dialect.dateLiteral(sql`${e.value}`);
      case "duration":
        throw new InternalError("a duration outside date arithmetic");
      case "name": {
        const b = e.binding;
        if (!b) throw new InternalError(`name ${e.name} was not bound`);
        if (b.kind === "source") {
          if (!this.hooks.resolveSource) throw new InternalError(`no SQL for source column ${b.column}`);
          return this.hooks.resolveSource(b.column, type);
        }
        return this.hooks.resolve({ ...b, type });
      }
      case "column":
        return this.hooks.resolve({ kind: "column", table: e.table, column: e.column, type });
      case "negate":
        return sql`(- ${this.compile(e.operand)})`;
      case "not":
        return sql`(NOT ${this.compile(e.operand)})`;
      case "logical":
        return sql`(${this.compile(e.left)} ${raw(e.op === "and" ? "AND" : "OR")} ${this.compile(e.right)})`;
      case "arithmetic":
        return this.arithmetic(e);
      case "compare": {
        const op = COMPARE_SQL[e.op];
        if (!op) throw new InternalError(`operator ${e.op}`);
        return sql`(${this.compile(e.left)}${raw(op)}${this.compile(e.right)})`;
      }
      case "between": {
        const not = raw(e.negated ? " NOT BETWEEN " : " BETWEEN ");
        return sql`(${this.compile(e.value)}${not}${this.compile(e.low)} AND ${this.compile(e.high)})`;
      }
      case "in": {
        const items = join(e.list.map((x) => this.compile(x)));
        return sql`(${this.compile(e.value)}${raw(e.negated ? " NOT IN " : " IN ")}(${items}))`;
      }
      case "is_null":
        return sql`(${this.compile(e.value)}${raw(e.negated ? " IS NOT NULL" : " IS NULL")})`;
      case "like":
        // The escape character is given, so both engines read `\%` and `\_` alike.
        return sql`(${this.compile(e.value)}${raw(e.negated ? " NOT LIKE " : " LIKE ")}${this.compile(e.pattern)} ESCAPE '\\')`;
      case "case": {
        const whens = e.whens.map((w) => sql`WHEN ${this.compile(w.when)} THEN ${this.compile(w.value)}`);
        const otherwise = e.otherwise ? sql` ELSE ${this.compile(e.otherwise)}` : raw("");
        return sql`(CASE ${join(whens, " ")}${otherwise} END)`;
      }
      case "call":
        return this.call(e);
      case "aggregate": {
        const filter = e.filter && this.compile(e.filter);
        return this.hooks.aggregate(e.fn, e.table, e.column, e.window, filter);
      }
    }
  }

  private arithmetic(e: Extract<Expression, { kind: "arithmetic" }>): SqlFragment {
    const { left, right } = e;
    if (left.type === "date" && right.type === "date") {
      return this.dialect.daysBetween(this.compile(right), this.compile(left));
    }
    if (right.kind === "duration") return this.shift(left, e.op === "-" ? "-" : "+", right);
    if (left.kind === "duration") return this.shift(right, "+", left);
    if (left.type === "duration" || right.type === "duration") {
      throw new InternalError("durations are literals only");
    }
    if (e.op === "/") return this.dialect.divide(this.compile(left), this.compile(right));
    return sql`(${this.compile(left)} ${raw(e.op)} ${this.compile(right)})`;
  }

  private shift(date: Expression, sign: "+" | "-", d: DurationLiteral): SqlFragment {
    return this.dialect.shiftDate(this.compile(date), sign, sql`${d.amount}`, d.unit);
  }

  private call(e: Extract<Expression, { kind: "call" }>): SqlFragment {
    if (e.binding?.kind === "metric") {
      if (!this.hooks.metricCall) throw new InternalError(`no SQL for metric call ${e.name}`);
      return this.hooks.metricCall(e.name, e.args, (x) => this.compile(x));
    }
    if (this.hooks.rowAggregate && FUNCTION_SQL[e.name] === undefined && e.name !== "days_between") {
      return this.hooks.rowAggregate(e.name, e.args[0] as CheckedExpression);
    }
    const args = e.args.map((a) => this.compile(a));
    if (e.name === "days_between") {
      const [from, to] = args;
      if (!from || !to) throw new InternalError("days_between arity");
      return this.dialect.daysBetween(from, to);
    }
    const name = FUNCTION_SQL[e.name];
    if (!name) throw new InternalError(`no SQL for function ${e.name}`);
    if (e.name === "round") return this.dialect.round(args[0] as SqlFragment, args[1]);
    if (e.name === "least" || e.name === "greatest") {
      // Both engines skip NULL arguments (least(100, NULL) is 100); in the language a missing
      // value stays missing, as in arithmetic.
      const anyNull = join(
        args.map((a) => sql`${a} IS NULL`),
        " OR ",
      );
      return sql`CASE WHEN ${anyNull} THEN NULL ELSE ${raw(name)}(${join(args)}) END`;
    }
    return sql`${raw(name)}(${join(args)})`;
  }
}
