/**
 * The typed tree of the condition and metric expression language (see
 * docs/expressions.md). Plain serialisable data: discriminated
 * unions on `kind`, no behaviour. The parser builds it without `type`; the
 * checker returns a copy where every node carries its `type` and every bare
 * name its `binding`.
 */

/** The value types of the language. `duration` exists only as an operand of date arithmetic and windows. */
export type ValueType = "number" | "boolean" | "date" | "text" | "duration";

/** Where a node starts in the source text (0-based offset, 1-based line and column) and where it ends. */
export interface Span {
  readonly offset: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

interface NodeBase {
  readonly span: Span;
  /** Set by the checker. */
  readonly type?: ValueType;
}

export type DurationUnit = "day" | "week" | "month" | "year";

export interface NumberLiteral extends NodeBase {
  readonly kind: "number";
  readonly value: number;
}
export interface TextLiteral extends NodeBase {
  readonly kind: "text";
  readonly value: string;
}
export interface BooleanLiteral extends NodeBase {
  readonly kind: "boolean";
  readonly value: boolean;
}
/** `date '2025-01-31'`; `value` is the ISO calendar date. */
export interface DateLiteral extends NodeBase {
  readonly kind: "date";
  readonly value: string;
}
/** `12 months`, `90 days`: a whole number of calendar units. */
export interface DurationLiteral extends NodeBase {
  readonly kind: "duration";
  readonly amount: number;
  readonly unit: DurationUnit;
}

/** What a name was found to be by the checker. */
export type NameBinding =
  | { readonly kind: "metric"; readonly name: string }
  /** A column of the source file being ingested (mapping expressions); its text is read as a number where one is needed. */
  | { readonly kind: "source"; readonly column: string }
  | { readonly kind: "column"; readonly table: string; readonly column: string };

/** A bare name: a metric, or a column of the table in scope (e.g. inside an aggregate's filter). */
export interface NameRef extends NodeBase {
  readonly kind: "name";
  readonly name: string;
  /** Written in double quotes (`"Invoice Date"`): never a keyword, may hold any character. */
  readonly quoted?: boolean;
  readonly binding?: NameBinding;
}
/** `table.column`. */
export interface ColumnRef extends NodeBase {
  readonly kind: "column";
  readonly table: string;
  readonly column: string;
}

export interface Negate extends NodeBase {
  readonly kind: "negate";
  readonly operand: Expression;
}
export interface Not extends NodeBase {
  readonly kind: "not";
  readonly operand: Expression;
}

export type ArithmeticOp = "+" | "-" | "*" | "/";
export interface Arithmetic extends NodeBase {
  readonly kind: "arithmetic";
  readonly op: ArithmeticOp;
  readonly left: Expression;
  readonly right: Expression;
}

export type CompareOp = "=" | "<>" | "<" | "<=" | ">" | ">=";
export interface Compare extends NodeBase {
  readonly kind: "compare";
  readonly op: CompareOp;
  readonly left: Expression;
  readonly right: Expression;
}

export interface Logical extends NodeBase {
  readonly kind: "logical";
  readonly op: "and" | "or";
  readonly left: Expression;
  readonly right: Expression;
}

/** `value [not] between low and high` (inclusive). */
export interface Between extends NodeBase {
  readonly kind: "between";
  readonly negated: boolean;
  readonly value: Expression;
  readonly low: Expression;
  readonly high: Expression;
}

/** `value [not] in (a, b, …)`. */
export interface InList extends NodeBase {
  readonly kind: "in";
  readonly negated: boolean;
  readonly value: Expression;
  readonly list: readonly Expression[];
}

/** `value is [not] null`. */
export interface IsNull extends NodeBase {
  readonly kind: "is_null";
  readonly negated: boolean;
  readonly value: Expression;
}

/** `value [not] like pattern`: `%` any text, `_` one character, `\\` escapes either. */
export interface Like extends NodeBase {
  readonly kind: "like";
  readonly negated: boolean;
  readonly value: Expression;
  readonly pattern: Expression;
}

/** `case when c1 then v1 [when c2 then v2 …] [else v] end`; without else the value is missing. */
export interface CaseWhen extends NodeBase {
  readonly kind: "case";
  readonly whens: ReadonlyArray<{ readonly when: Expression; readonly value: Expression }>;
  readonly otherwise?: Expression;
}

/** A scalar function call such as `abs(x)` or `days_between(a, b)`. */
export interface Call extends NodeBase {
  readonly kind: "call";
  readonly name: string;
  readonly args: readonly Expression[];
  /** Set by the checker when the call is a parameterised metric such as `spend(12 months)`. */
  readonly binding?: { readonly kind: "metric"; readonly name: string };
}

export type AggregateFn = "sum" | "count" | "avg" | "min" | "max";

/** `lifetime`: every row before the run's as-of date. */
export interface LifetimeWindow {
  readonly kind: "lifetime";
  readonly span: Span;
}
/**
 * `calendar_year`, `calendar_quarter`, `calendar_month`: from the start of
 * the calendar period holding the day before as-of (year to date; on the
 * period's first day, the whole period just ended).
 */
export interface CalendarWindow {
  readonly kind: "calendar";
  readonly unit: CalendarUnit;
  readonly span: Span;
}
export type CalendarUnit = "year" | "quarter" | "month";
/** The names of calendar windows in expressions. */
export const CALENDAR_WINDOWS: Readonly<Record<string, CalendarUnit>> = {
  calendar_year: "year",
  calendar_quarter: "quarter",
  calendar_month: "month",
};
export type Window = DurationLiteral | LifetimeWindow | CalendarWindow;

/** `sum(orders.amount, 12 months, status = 'completed')`, `count(orders, lifetime)`. */
export interface Aggregate extends NodeBase {
  readonly kind: "aggregate";
  readonly fn: AggregateFn;
  readonly table: string;
  /** Absent only for `count(table, …)`. */
  readonly column?: string;
  readonly window: Window;
  /** Row condition over the aggregated table's columns. */
  readonly filter?: Expression;
}

export type Literal = NumberLiteral | TextLiteral | BooleanLiteral | DateLiteral | DurationLiteral;

export type Expression =
  | Literal
  | NameRef
  | ColumnRef
  | Negate
  | Not
  | Arithmetic
  | Compare
  | Logical
  | Between
  | InList
  | IsNull
  | Like
  | CaseWhen
  | Call
  | Aggregate;

/** A tree that passed the checker: the root (and every node below it) carries its type. */
export type CheckedExpression = Expression & { readonly type: ValueType };
