import { didYouMean, type ExpressionMessageId, type MessageCode, type MessageTextParams } from "../../errors/index.js";
import type {
  AggregateFn,
  CompareOp,
  DurationLiteral,
  DurationUnit,
  Expression,
  Span,
  Window,
} from "../../plan/expression.js";
import { CALENDAR_WINDOWS } from "../../plan/expression.js";
import { MAX_DURATION, withinPolicyNumber } from "../bounds.js";
import { ExpressionError, MAX_DEPTH } from "./codes.js";
import { type Token, tokenize } from "./lexer.js";

/** Words that can never be names. */
export const RESERVED = new Set([
  "and",
  "or",
  "not",
  "between",
  "in",
  "is",
  "null",
  "true",
  "false",
  "like",
  "case",
  "when",
  "then",
  "else",
  "end",
]);
export const AGGREGATES: ReadonlySet<string> = new Set<AggregateFn>(["sum", "count", "avg", "min", "max"]);
const UNITS: Readonly<Record<string, DurationUnit>> = {
  day: "day",
  days: "day",
  week: "week",
  weeks: "week",
  month: "month",
  months: "month",
  year: "year",
  years: "year",
};
const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>(["=", "<>", "<", "<=", ">", ">="]);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Span from the start of `a` to the end of `b`. */
function cover(a: Span, b: Span): Span {
  return { ...a, end: b.end };
}

/** A number followed by a word that is not a time unit (`6 monhts`): the error names the word. */
function unknownUnit(amount: Token, unit: Token): ExpressionError {
  const units = ["days", "weeks", "months", "years"];
  return new ExpressionError(
    "expr.unknown-unit",
    { unit: unit.text, amount: amount.text },
    unit.span,
    didYouMean(unit.text, [...units, ...Object.keys(UNITS)]) ??
      `a duration is a whole number and one of ${units.join(", ")}`,
  );
}

/** The messages `fail` may raise at the next token: those of EXPR_SYNTAX. */
type SyntaxMessage = {
  [M in ExpressionMessageId]: MessageCode<M> extends "EXPR_SYNTAX" ? M : never;
}[ExpressionMessageId];

const isUnitLike = (t: Token) => t.kind === "word" && !t.quoted && !RESERVED.has(t.text.toLowerCase());

function describe(token: Token): string {
  if (token.kind === "eof") return "the end of the expression";
  if (token.kind === "string") return "a text literal";
  return `'${token.text}'`;
}

/**
 * Parse expression text into an unchecked tree (no types yet).
 * @throws ExpressionError with a code, line and column on the first syntax error.
 * @example parseExpression("spend >= 100 and orders_12m > 1")
 */
export function parseExpression(source: string, options: ParseOptions = {}): Expression {
  return new Parser(tokenize(source), options.rowAggregates === true).parseAll();
}

export interface ParseOptions {
  /**
   * Mapping expressions of a grouped table: `sum(x)`, `min(x)`, … aggregate
   * the rows of a group and parse as plain calls, not as windowed aggregates.
   */
  readonly rowAggregates?: boolean;
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly rowAggregates = false,
  ) {}

  parseAll(): Expression {
    if (this.peek().kind === "eof") {
      throw new ExpressionError("expr.empty", {}, this.peek().span);
    }
    const expr = this.parseOr();
    const next = this.peek();
    if (next.kind !== "eof") {
      const chained = next.kind === "op" && COMPARE_OPS.has(next.text);
      const hint = chained ? "comparisons do not chain; join them with and" : undefined;
      throw new ExpressionError("expr.trailing", { token: describe(next) }, next.span, hint);
    }
    return expr;
  }

  private peek(ahead = 0): Token {
    return (this.tokens[this.pos + ahead] ?? this.tokens[this.tokens.length - 1]) as Token;
  }
  private next(): Token {
    const token = this.peek();
    if (token.kind !== "eof") this.pos++;
    return token;
  }
  private isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "word" && !t.quoted && t.text.toLowerCase() === word;
  }
  private isOp(op: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "op" && t.text === op;
  }
  private expectOp(op: string, what: string): Token {
    if (!this.isOp(op)) this.fail("expr.expected-op", { op, what, token: describe(this.peek()) });
    return this.next();
  }
  private expectWord(word: string, what: string): Token {
    if (!this.isWord(word)) this.fail("expr.expected-op", { op: word, what, token: describe(this.peek()) });
    return this.next();
  }
  private fail<M extends SyntaxMessage>(id: M, params: MessageTextParams<M>, hint?: string): never {
    throw new ExpressionError(id, params, this.peek().span, hint);
  }
  /**
   * One level deeper. Chains of binary operators count too (`a + b + c` is a
   * tree as deep as it is long), so that every stage after the parser, and
   * the engine's own SQL parser, stays within its limits.
   */
  private enter(at: Span): void {
    if (++this.depth > MAX_DEPTH) {
      throw new ExpressionError("expr.too-deep", { max: MAX_DEPTH }, at);
    }
  }

  private parseOr(): Expression {
    let left = this.parseAnd();
    const depth = this.depth;
    while (this.isWord("or")) {
      this.enter(this.next().span);
      const right = this.parseAnd();
      left = { kind: "logical", op: "or", left, right, span: cover(left.span, right.span) };
    }
    this.depth = depth;
    return left;
  }

  private parseAnd(): Expression {
    let left = this.parseNot();
    const depth = this.depth;
    while (this.isWord("and")) {
      this.enter(this.next().span);
      const right = this.parseNot();
      left = { kind: "logical", op: "and", left, right, span: cover(left.span, right.span) };
    }
    this.depth = depth;
    return left;
  }

  private parseNot(): Expression {
    if (!this.isWord("not")) return this.parseComparison();
    const start = this.next().span;
    this.enter(start);
    const operand = this.parseNot();
    this.depth--;
    return { kind: "not", operand, span: cover(start, operand.span) };
  }

  private parseComparison(): Expression {
    const value = this.parseAdditive();
    const t = this.peek();
    if (t.kind === "op" && COMPARE_OPS.has(t.text)) {
      this.next();
      const right = this.parseAdditive();
      return { kind: "compare", op: t.text as CompareOp, left: value, right, span: cover(value.span, right.span) };
    }
    if (this.isWord("is")) {
      this.next();
      const negated = this.isWord("not");
      if (negated) this.next();
      const end = this.expectWord("null", "after 'is'").span;
      return { kind: "is_null", negated, value, span: cover(value.span, end) };
    }
    const negated = this.isWord("not") && (this.isWord("between", 1) || this.isWord("in", 1) || this.isWord("like", 1));
    if (negated) this.next();
    if (this.isWord("like")) {
      this.next();
      const pattern = this.parseAdditive();
      return { kind: "like", negated, value, pattern, span: cover(value.span, pattern.span) };
    }
    if (this.isWord("between")) {
      this.next();
      const low = this.parseAdditive();
      this.expectWord("and", "between the bounds of 'between'");
      const high = this.parseAdditive();
      return { kind: "between", negated, value, low, high, span: cover(value.span, high.span) };
    }
    if (this.isWord("in")) {
      this.next();
      this.expectOp("(", "after 'in'");
      const list: Expression[] = [];
      do list.push(this.parseNested());
      while (this.isOp(",") && this.next());
      const end = this.expectOp(")", "to close the 'in' list").span;
      return { kind: "in", negated, value, list, span: cover(value.span, end) };
    }
    return value;
  }

  private parseAdditive(): Expression {
    let left = this.parseMultiplicative();
    const depth = this.depth;
    while (this.isOp("+") || this.isOp("-")) {
      const token = this.next();
      this.enter(token.span);
      const op = token.text as "+" | "-";
      const right = this.parseMultiplicative();
      left = { kind: "arithmetic", op, left, right, span: cover(left.span, right.span) };
    }
    this.depth = depth;
    return left;
  }

  private parseMultiplicative(): Expression {
    let left = this.parseUnary();
    const depth = this.depth;
    while (this.isOp("*") || this.isOp("/")) {
      const token = this.next();
      this.enter(token.span);
      const op = token.text as "*" | "/";
      const right = this.parseUnary();
      left = { kind: "arithmetic", op, left, right, span: cover(left.span, right.span) };
    }
    this.depth = depth;
    return left;
  }

  private parseUnary(): Expression {
    if (!this.isOp("-")) return this.parsePrimary();
    const start = this.next().span;
    this.enter(start);
    const operand = this.parseUnary();
    this.depth--;
    return { kind: "negate", operand, span: cover(start, operand.span) };
  }

  /** A full expression inside parentheses, a call or a list, counted against the depth limit. */
  private parseNested(): Expression {
    this.enter(this.peek().span);
    const expr = this.parseOr();
    this.depth--;
    return expr;
  }

  private parsePrimary(): Expression {
    const t = this.peek();
    if (t.kind === "number") {
      if (this.peek(1).kind === "word" && UNITS[this.peek(1).text.toLowerCase()]) return this.parseDuration();
      if (isUnitLike(this.peek(1))) throw unknownUnit(t, this.peek(1));
      this.next();
      const value = Number(t.text);
      if (!withinPolicyNumber(value)) throw new ExpressionError("expr.number-too-large", { number: t.text }, t.span);
      return { kind: "number", value, span: t.span };
    }
    if (t.kind === "string") {
      this.next();
      return { kind: "text", value: t.text, span: t.span };
    }
    if (t.kind === "op" && t.text === "(") {
      this.next();
      const inner = this.parseNested();
      this.expectOp(")", "to close '('");
      return inner;
    }
    if (t.kind !== "word") this.fail("expr.expected-value", { token: describe(t) });
    if (t.quoted) {
      this.next();
      return { kind: "name", name: t.text, quoted: true, span: t.span };
    }
    const word = t.text.toLowerCase();
    if (word === "case") return this.parseCase();
    if (word === "true" || word === "false") {
      this.next();
      return { kind: "boolean", value: word === "true", span: t.span };
    }
    if (word === "null") this.fail("expr.null-value", {}, "test for it with 'is null'");
    if (RESERVED.has(word)) {
      // Words a file's header may well hold (a column "When", "End"), reserved for like and case.
      const hint = ["like", "when", "then", "else", "end"].includes(word)
        ? `a column named ${t.text} is written in double quotes: "${t.text}"`
        : undefined;
      this.fail("expr.expected-value", { token: describe(t) }, hint);
    }
    if (word === "date" && this.peek(1).kind === "string") return this.parseDate();
    this.next();
    if (this.isOp("(")) return this.parseCall(t);
    if (this.isOp(".")) {
      this.next();
      const column = this.peek();
      if (column.kind !== "word") this.fail("expr.expected-column", { table: t.text });
      this.next();
      return { kind: "column", table: t.text, column: column.text, span: cover(t.span, column.span) };
    }
    return { kind: "name", name: t.text, span: t.span };
  }

  /** `case when c then v … [else v] end`. */
  private parseCase(): Expression {
    const start = this.next().span;
    this.enter(start);
    const whens: Array<{ when: Expression; value: Expression }> = [];
    do {
      this.expectWord("when", whens.length === 0 ? "after 'case'" : "or 'else' or 'end'");
      const when = this.parseNested();
      this.expectWord("then", "after the condition of 'when'");
      whens.push({ when, value: this.parseNested() });
    } while (this.isWord("when"));
    let otherwise: Expression | undefined;
    if (this.isWord("else")) {
      this.next();
      otherwise = this.parseNested();
    }
    const end = this.expectWord("end", "to close 'case'").span;
    this.depth--;
    return { kind: "case", whens, ...(otherwise === undefined ? {} : { otherwise }), span: cover(start, end) };
  }

  private parseDuration(): DurationLiteral {
    const amountToken = this.next();
    const unitToken = this.next();
    const amount = Number(amountToken.text);
    if (!Number.isSafeInteger(amount)) {
      throw new ExpressionError("expr.duration-not-whole", {}, amountToken.span);
    }
    const unit = UNITS[unitToken.text.toLowerCase()] as DurationUnit;
    if (amount > MAX_DURATION[unit]) {
      throw new ExpressionError(
        "expr.duration-too-long",
        { amount: amountToken.text, unit: unitToken.text },
        cover(amountToken.span, unitToken.span),
        `at most ${MAX_DURATION[unit]} ${unit}s`,
      );
    }
    return { kind: "duration", amount, unit, span: cover(amountToken.span, unitToken.span) };
  }

  private parseDate(): Expression {
    const start = this.next().span;
    const literal = this.next();
    const m = ISO_DATE.exec(literal.text);
    const valid = m !== null && new Date(`${literal.text}T00:00:00Z`).toISOString().startsWith(literal.text);
    if (!valid) {
      throw new ExpressionError("expr.bad-date", {}, literal.span);
    }
    return { kind: "date", value: literal.text, span: cover(start, literal.span) };
  }

  private parseCall(name: Token): Expression {
    const lower = name.text.toLowerCase();
    this.enter(name.span);
    this.next(); // (
    let result: Expression;
    if (AGGREGATES.has(lower) && !this.rowAggregates) {
      result = this.parseAggregate(name, lower as AggregateFn);
    } else {
      const args: Expression[] = [];
      if (!this.isOp(")")) {
        do args.push(this.parseNested());
        while (this.isOp(",") && this.next());
      }
      const end = this.expectOp(")", `to close the call of ${name.text}`).span;
      result = { kind: "call", name: lower, args, span: cover(name.span, end) };
    }
    this.depth--;
    return result;
  }

  private parseAggregate(name: Token, fn: AggregateFn): Expression {
    const table = this.peek();
    if (table.kind !== "word" || RESERVED.has(table.text.toLowerCase())) {
      this.fail("expr.expected-aggregated", { function: fn });
    }
    this.next();
    let column: string | undefined;
    if (this.isOp(".")) {
      this.next();
      const c = this.peek();
      if (c.kind !== "word") this.fail("expr.expected-column", { table: table.text });
      column = this.next().text;
    }
    this.expectOp(",", `after the first argument of ${fn}`);
    const window = this.parseWindow();
    let filter: Expression | undefined;
    if (this.isOp(",")) {
      this.next();
      filter = this.parseNested();
    }
    const end = this.expectOp(")", `to close ${fn}(…)`).span;
    const base = { kind: "aggregate" as const, fn, table: table.text, window, span: cover(name.span, end) };
    return {
      ...base,
      ...(column === undefined ? {} : { column }),
      ...(filter === undefined ? {} : { filter }),
    };
  }

  private parseWindow(): Window {
    if (this.isWord("lifetime")) return { kind: "lifetime", span: this.next().span };
    const calendar = this.peek().kind === "word" ? CALENDAR_WINDOWS[this.peek().text.toLowerCase()] : undefined;
    if (calendar) return { kind: "calendar", unit: calendar, span: this.next().span };
    const amount = this.peek();
    const unit = this.peek(1);
    if (amount.kind === "number" && isUnitLike(unit) && !UNITS[unit.text.toLowerCase()])
      throw unknownUnit(amount, unit);
    if (amount.kind !== "number" || unit.kind !== "word" || !UNITS[unit.text.toLowerCase()]) {
      throw new ExpressionError("expr.expected-window", { token: describe(amount) }, amount.span);
    }
    const duration = this.parseDuration();
    if (duration.amount <= 0) {
      throw new ExpressionError("expr.empty-window", {}, duration.span);
    }
    return duration;
  }
}
