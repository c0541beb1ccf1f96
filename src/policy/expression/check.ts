import { didYouMean, type ExpressionMessageId, type MessageTextParams } from "../../errors/index.js";
import type { ColumnDef, TableDef } from "../../model/index.js";
import type { CheckedExpression, Expression, Span, ValueType } from "../../plan/expression.js";
import { CALENDAR_WINDOWS } from "../../plan/expression.js";
import { ExpressionError } from "./codes.js";
import { FUNCTIONS, ORDERED, ROW_AGGREGATES } from "./functions.js";
import { AGGREGATES, parseExpression } from "./parser.js";
import { columnValueType, type MetricSignature, type Scope } from "./scope.js";
import { someNode } from "./some-node.js";

export type { MetricParam, MetricSignature, Scope } from "./scope.js";
export { columnValueType, modelScope, sourceScope } from "./scope.js";

/** Whether `node` is a source column still read as text, which a number context may read as a number. */
const isSourceText = (node: Expression): boolean =>
  node.kind === "name" && node.binding?.kind === "source" && node.type === "text";

/** A source column read as a number where one is needed; any other node unchanged. */
function asNumber(node: Expression): Expression {
  return isSourceText(node) ? { ...node, type: "number" } : node;
}

/** Operands of a comparison: source columns compared with a number are read as numbers. */
function unifySources(nodes: readonly Expression[]): Expression[] {
  return nodes.some((n) => n.type === "number") ? nodes.map(asNumber) : [...nodes];
}

export type CheckResult =
  | { readonly ok: true; readonly expression: CheckedExpression }
  | { readonly ok: false; readonly errors: readonly ExpressionError[] };

/**
 * Type-check a parsed tree against a scope. Collects every problem in one
 * pass; on success returns a copy where every node has its `type` and every
 * bare name its `binding`.
 * @example checkExpression(parseExpression("spend > 5"), modelScope({ spend: "number" }), "boolean")
 */
export function checkExpression(expr: Expression, scope: Scope, expected?: ValueType): CheckResult {
  const checker = new Checker(scope);
  const checked = checker.visit(expr, null);
  if (expected && checked.type && checked.type !== expected) {
    checker.report("expr.wrong-result", { expected, actual: checked.type }, expr.span);
  }
  if (checker.errors.length > 0 || !checked.type) {
    return { ok: false, errors: [...checker.errors].sort((a, b) => a.offset - b.offset) };
  }
  return { ok: true, expression: checked as CheckedExpression };
}

/** Parse and check in one step; a syntax error is returned like any other error. */
export function parseAndCheck(source: string, scope: Scope, expected?: ValueType): CheckResult {
  let tree: Expression;
  try {
    tree = parseExpression(source);
  } catch (error: unknown) {
    if (error instanceof ExpressionError) return { ok: false, errors: [error] };
    throw error;
  }
  return checkExpression(tree, scope, expected);
}

const typed = <E extends Expression>(node: E, type: ValueType | false | undefined): E =>
  type ? { ...node, type } : node;

class Checker {
  readonly errors: ExpressionError[] = [];
  constructor(private readonly scope: Scope) {}

  report<M extends ExpressionMessageId>(id: M, params: MessageTextParams<M>, span: Span, hint?: string): undefined {
    this.errors.push(new ExpressionError(id, params, span, hint));
    return undefined;
  }

  /** `table` is the aggregated table inside an aggregate's filter, else null. */
  visit(e: Expression, table: string | null): Expression {
    switch (e.kind) {
      case "number":
      case "text":
      case "boolean":
      case "date":
      case "duration":
        return { ...e, type: e.kind };
      case "name":
        return this.name(e, table);
      case "column": {
        const def = this.column(e.table, e.column, e.span, table);
        return typed(e, def && this.columnType(def, e.span));
      }
      case "negate":
      case "not": {
        const visited = this.visit(e.operand, table);
        const operand = e.kind === "negate" ? asNumber(visited) : visited;
        const want = e.kind === "negate" ? "number" : "boolean";
        return typed({ ...e, operand }, this.expect(operand, want) && want);
      }
      case "logical": {
        const left = this.visit(e.left, table);
        const right = this.visit(e.right, table);
        const ok = this.expect(left, "boolean") && this.expect(right, "boolean");
        return typed({ ...e, left, right }, ok && "boolean");
      }
      case "arithmetic": {
        const left = asNumber(this.visit(e.left, table));
        const right = asNumber(this.visit(e.right, table));
        return typed({ ...e, left, right }, this.arithmetic(e.op, left, right));
      }
      case "compare": {
        const [left, right] = unifySources([this.visit(e.left, table), this.visit(e.right, table)]) as [
          Expression,
          Expression,
        ];
        const ordered = e.op !== "=" && e.op !== "<>";
        const ok = this.comparable([left, right], ordered);
        return typed({ ...e, left, right }, ok && "boolean");
      }
      case "between": {
        const [value, low, high] = unifySources([e.value, e.low, e.high].map((x) => this.visit(x, table))) as [
          Expression,
          Expression,
          Expression,
        ];
        return typed({ ...e, value, low, high }, this.comparable([value, low, high], true) && "boolean");
      }
      case "in": {
        const [value, ...list] = unifySources([e.value, ...e.list].map((x) => this.visit(x, table))) as [
          Expression,
          ...Expression[],
        ];
        return typed({ ...e, value, list }, this.comparable([value, ...list], false) && "boolean");
      }
      case "is_null": {
        const value = this.visit(e.value, table);
        return typed({ ...e, value }, value.type && "boolean");
      }
      case "like": {
        const value = this.visit(e.value, table);
        const pattern = this.visit(e.pattern, table);
        const ok = this.expect(value, "text") && this.expect(pattern, "text");
        return typed({ ...e, value, pattern }, ok && "boolean");
      }
      case "case":
        return this.caseWhen(e, table);
      case "call":
        return this.call(e, table);
      case "aggregate":
        if (table === null) return this.aggregate(e);
        this.report("expr.nested-aggregate-filter", {}, e.span);
        return e;
    }
  }

  /** Conditions are booleans; the values share one type (source columns read as numbers when another value is one). */
  private caseWhen(e: Extract<Expression, { kind: "case" }>, table: string | null): Expression {
    let ok = true;
    const conditions = e.whens.map((w) => {
      const when = this.visit(w.when, table);
      if (!this.expect(when, "boolean")) ok = false;
      return when;
    });
    const visited = [...e.whens.map((w) => this.visit(w.value, table))];
    if (e.otherwise) visited.push(this.visit(e.otherwise, table));
    const values = unifySources(visited);
    const whens = e.whens.map((_, i) => ({ when: conditions[i] as Expression, value: values[i] as Expression }));
    const otherwise = e.otherwise ? values[values.length - 1] : undefined;
    const node = { ...e, whens, ...(otherwise ? { otherwise } : {}) };
    if (!ok || values.some((v) => !v.type)) return node;
    const first = values[0] as Expression;
    const odd = values.find((v) => v.type !== first.type);
    if (odd) {
      this.report("expr.case-types", { first: String(first.type), other: String(odd.type) }, odd.span);
      return node;
    }
    return typed(node, first.type);
  }

  private expect(node: Expression, want: ValueType): boolean {
    if (!node.type) return false;
    if (node.type === want) return true;
    this.report("expr.expected-type", { expected: want, actual: String(node.type) }, node.span);
    return false;
  }

  private name(e: Extract<Expression, { kind: "name" }>, table: string | null): Expression {
    const sources = this.scope.sourceColumns;
    if (sources) {
      const column = sources.find((c) => c === e.name) ?? sources.find((c) => c.toLowerCase() === e.name.toLowerCase());
      if (column !== undefined) return { ...e, type: "text", binding: { kind: "source", column } };
      const quoteHint = /[^A-Za-z0-9_]/.test(e.name) ? undefined : "write text in single quotes";
      const hint = didYouMean(e.name, sources) ?? (e.quoted ? quoteHint : undefined);
      this.report("expr.not-a-source-column", { name: e.name }, e.span, hint);
      return e;
    }
    const rowTable = table ?? this.scope.rowTable;
    const def = rowTable === undefined ? undefined : this.tableDef(rowTable);
    const metric = table === null ? this.scope.metrics.get(e.name) : undefined;
    if (metric) return { ...e, type: metric, binding: { kind: "metric", name: e.name } };
    const parameter = this.scope.parameters?.get(e.name);
    if (parameter) return { ...e, type: parameter, binding: { kind: "metric", name: e.name } };
    const fn = table === null ? this.scope.metricFunctions?.get(e.name) : undefined;
    if (fn) {
      const example = fn.params.map((p) => (p === "number" ? "spend(12 months)" : "12 months")).join(", ");
      const needs = { name: e.name, arguments: fn.params.length === 1 ? "an argument" : "arguments" };
      return this.report("expr.metric-needs-arguments", needs, e.span, `write ${e.name}(${example})`) ?? e;
    }
    const column = def?.columns.find((c) => c.name === e.name);
    if (def && column) {
      const binding = { kind: "column" as const, table: def.name, column: column.name };
      return typed({ ...e, binding }, this.columnType(column, e.span));
    }
    const candidates = [
      ...(table === null ? this.scope.metrics.keys() : []),
      ...(def?.columns ?? []).map((c) => c.name),
    ];
    const where = table === null ? "a metric" : `a column of ${table}`;
    const hint = didYouMean(e.name, candidates) ?? (e.quoted ? "text literals use single quotes" : undefined);
    this.report("expr.unknown-name", { name: e.name, where }, e.span, hint);
    return e;
  }

  private tableDef(name: string): TableDef | undefined {
    return this.scope.tables.find((t) => t.name === name);
  }

  private column(tableName: string, column: string, span: Span, inside: string | null): ColumnDef | undefined {
    const def = this.tableDef(tableName);
    if (!def) {
      const hint = didYouMean(
        tableName,
        this.scope.tables.map((t) => t.name),
      );
      return this.report("expr.unknown-table", { table: tableName }, span, hint);
    }
    const col = def.columns.find((c) => c.name === column);
    if (!col) {
      const hint = didYouMean(
        column,
        def.columns.map((c) => c.name),
      );
      return this.report("expr.unknown-column", { table: tableName, column }, span, hint);
    }
    const visible = inside ?? this.scope.rowTable;
    if (inside !== "*" && visible !== tableName) {
      const hint = `aggregate it, e.g. sum(${tableName}.${column}, 12 months)`;
      return this.report("expr.out-of-scope", { table: tableName, column }, span, hint);
    }
    return col;
  }

  private columnType(def: ColumnDef, span: Span): ValueType | undefined {
    const type = columnValueType(def.type);
    if (type) return type;
    return this.report("expr.unsupported-column", { column: def.name, type: def.type }, span);
  }

  private arithmetic(op: string, left: Expression, right: Expression): ValueType | undefined {
    const [l, r] = [left.type, right.type];
    if (!l || !r) return undefined;
    if (l === "number" && r === "number") return "number";
    if (op === "+" && ((l === "date" && r === "duration") || (l === "duration" && r === "date"))) return "date";
    if (op === "-" && l === "date" && r === "duration") return "date";
    if (op === "-" && l === "date" && r === "date") return "number";
    const bad = l === "number" || (l === "date" && (op === "+" || op === "-")) ? right : left;

    const dated = [l, r].some((t) => t === "date" || t === "duration");
    const hint = dated ? "dates take + or - a duration such as 30 days" : undefined;
    return this.report("expr.arithmetic-types", { op, left: l, right: r }, bad.span, hint);
  }

  /** All operands share one type (ordered ones for <, between); enum text literals must be known values. */
  private comparable(nodes: readonly Expression[], ordered: boolean): boolean {
    if (nodes.some((n) => !n.type)) return false;
    const [first, ...rest] = nodes as [Expression, ...Expression[]];
    const type = first.type as ValueType;
    const allowed: ReadonlySet<ValueType> = ordered ? ORDERED : new Set([...ORDERED, "boolean"]);
    if (!allowed.has(type)) {
      this.report("expr.not-comparable", { type }, first.span);
      return false;
    }
    const odd = rest.find((n) => n.type !== type);
    if (odd) {
      const looksLikeDate = odd.kind === "text" && /^\d{4}-\d{2}-\d{2}$/.test(odd.value);
      const hint =
        type === "date" && looksLikeDate ? `write date '${odd.kind === "text" ? odd.value : ""}'` : undefined;
      this.report("expr.compare-types", { type, other: String(odd.type) }, odd.span, hint);
      return false;
    }
    const values = this.enumValues(first);
    for (const n of values ? rest : []) {
      if (n.kind === "text" && values && !values.includes(n.value)) {
        const hint = didYouMean(n.value, values) ?? `one of ${values.join(", ")}`;
        this.report("expr.unknown-value", { value: n.value }, n.span, hint);
        return false;
      }
    }
    return true;
  }

  private enumValues(node: Expression): readonly string[] | undefined {
    const ref =
      node.kind === "column"
        ? { table: node.table, column: node.column }
        : node.kind === "name" && node.binding?.kind === "column"
          ? node.binding
          : undefined;
    if (!ref) return undefined;
    return this.tableDef(ref.table)?.columns.find((c) => c.name === ref.column)?.enumValues;
  }

  private call(e: Extract<Expression, { kind: "call" }>, table: string | null): Expression {
    if (this.scope.sourceColumns && ROW_AGGREGATES[e.name] !== undefined) return this.rowAggregate(e, table);
    const metric = table === null ? this.scope.metricFunctions?.get(e.name) : undefined;
    if (metric) return this.metricCall(e, metric, table);
    const visited = e.args.map((a) => this.visit(a, table));
    const numeric = ["abs", "round"].includes(e.name);
    const args = numeric ? visited.map(asNumber) : e.name === "starts_with" ? visited : unifySources(visited);
    const fn = FUNCTIONS[e.name];
    if (!fn) {
      const known = [...Object.keys(FUNCTIONS), ...AGGREGATES, ...(this.scope.metricFunctions?.keys() ?? [])];
      const hint = didYouMean(e.name, [...known, ...this.scope.metrics.keys()]);
      this.report("expr.unknown-function", { function: e.name }, e.span, hint);
      return { ...e, args };
    }
    if (args.length < fn.min || args.length > fn.max) {
      const count = fn.min === fn.max ? `${fn.min}` : fn.max > 2 ? `at least ${fn.min}` : `${fn.min} or ${fn.max}`;
      const noun = count === "1" ? "argument" : "arguments";
      this.report("expr.function-arity", { function: e.name, count, noun, got: args.length }, e.span);
      return { ...e, args };
    }
    const types = args.map((a) => a.type);
    if (types.some((t) => !t)) return { ...e, args };
    const result = fn.sig(types as ValueType[]);
    if (ORDERED.has(result as ValueType) || result === "boolean") return { ...e, args, type: result as ValueType };
    this.report("expr.function-types", { function: e.name, problem: String(result) }, e.span);
    return { ...e, args };
  }

  private metricCall(e: Extract<Expression, { kind: "call" }>, sig: MetricSignature, table: string | null): Expression {
    const binding = { kind: "metric" as const, name: e.name };
    if (e.args.length !== sig.params.length) {
      const example = sig.params.map((p) => (p === "number" ? "spend(12 months)" : "12 months")).join(", ");
      const n = sig.params.length;
      const arity = { function: e.name, count: n, noun: n === 1 ? "argument" : "arguments", got: e.args.length };
      this.report("expr.function-arity", arity, e.span, `write ${e.name}(${example})`);
      return { ...e, binding };
    }
    let ok = true;
    const args = e.args.map((arg, i) => {
      if (sig.params[i] === "horizon") {
        if (arg.kind === "duration") return { ...arg, type: "duration" as const };
        ok = false;
        this.report("expr.needs-horizon", { function: e.name }, arg.span);
        return arg;
      }
      if (sig.params[i] === "window") {
        if (arg.kind === "duration") return { ...arg, type: "duration" as const };
        const name = arg.kind === "name" ? arg.name.toLowerCase() : "";
        if (name === "lifetime" || CALENDAR_WINDOWS[name]) return { ...arg, type: "duration" as const };
        ok = false;
        this.report("expr.needs-window", { function: e.name }, arg.span);
        return arg;
      }
      if (sig.noNesting && someNode(arg, (n) => n.kind === "call" && n.name === e.name)) {
        ok = false;
        this.report("expr.nested-in-itself", { function: e.name }, arg.span);
        return arg;
      }
      const checked = this.visit(arg, table);
      if (!this.expect(checked, "number")) ok = false;
      return checked;
    });
    return ok ? { ...e, args, binding, type: sig.result } : { ...e, args, binding };
  }

  private insideRowAggregate = false;

  /** `sum(x)`, `min(x)`, … over the rows of a group (mapping expressions of a grouped table). */
  private rowAggregate(e: Extract<Expression, { kind: "call" }>, table: string | null): Expression {
    if (!this.scope.grouped) {
      return this.report("expr.row-aggregate-ungrouped", { function: e.name }, e.span) ?? e;
    }
    if (this.insideRowAggregate) {
      return this.report("expr.row-aggregate-nested", { function: e.name }, e.span) ?? e;
    }
    if (e.args.length !== 1) {
      return this.report("expr.row-aggregate-arity", { function: e.name, got: e.args.length }, e.span) ?? e;
    }
    this.insideRowAggregate = true;
    const visited = this.visit(e.args[0] as Expression, table);
    this.insideRowAggregate = false;
    const arg = e.name === "sum" ? asNumber(visited) : visited;
    const node = { ...e, args: [arg] };
    if (!arg.type) return node;
    if (e.name === "count") return { ...node, type: "number" };
    if (e.name === "sum") return this.expect(arg, "number") ? { ...node, type: "number" } : node;
    if ((e.name === "min" || e.name === "max") && !ORDERED.has(arg.type)) {
      return this.report("expr.row-aggregate-type", { function: e.name, type: String(arg.type) }, arg.span) ?? node;
    }
    return { ...node, type: arg.type };
  }

  private aggregate(e: Extract<Expression, { kind: "aggregate" }>): Expression {
    if (!this.tableDef(e.table)) {
      this.column(e.table, e.column ?? "", e.span, "*");
      return e;
    }
    let filter: Expression | undefined;
    if (e.filter) {
      filter = this.visit(e.filter, e.table);
      this.expect(filter, "boolean");
    }
    const base = filter ? { ...e, filter } : e;
    if (e.column === undefined) {
      if (e.fn === "count") return { ...base, type: "number" };
      const hint = `name a column, e.g. ${e.fn}(${e.table}.amount, …)`;
      this.report("expr.aggregate-needs-column", { function: e.fn }, e.span, hint);
      return base;
    }
    const col = this.column(e.table, e.column, e.span, "*");
    const type = col && this.columnType(col, e.span);
    if (!type) return base;
    if (e.fn === "count") return { ...base, type: "number" };
    const allowed: ReadonlySet<ValueType> = e.fn === "sum" || e.fn === "avg" ? new Set(["number"]) : ORDERED;
    if (!allowed.has(type)) {
      return (
        this.report("expr.aggregate-column-type", { function: e.fn, type: String(type), column: e.column }, e.span) ??
        base
      );
    }
    return { ...base, type: e.fn === "min" || e.fn === "max" ? type : "number" };
  }
}
