import { InternalError } from "../errors/index.js";
import type {
  AggregateFn,
  CheckedExpression,
  DurationLiteral,
  Expression,
  ValueType,
  Window,
} from "../plan/expression.js";
import type { Dialect } from "./dialect/dialect.js";
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
  /** The engine's dialect: the forms engines spell differently (dates, division, ordered aggregates). */
  readonly dialect: Dialect;
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
 *   dialect: engine.dialect,
 * })
 */
export function compileExpression(expr: CheckedExpression, hooks: ExpressionSqlHooks): SqlFragment {
  return new Compiler(hooks, hooks.dialect).compile(expr);
}

class Compiler {
  constructor(
    private readonly hooks: ExpressionSqlHooks,
    private readonly dialect: Dialect,
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
