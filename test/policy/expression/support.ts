import type { Expression } from "../../../src/plan/expression.js";

/** The tree as a compact S-expression, for precedence assertions. */
export function sx(e: Expression): string {
  switch (e.kind) {
    case "number":
    case "boolean":
      return String(e.value);
    case "text":
      return `'${e.value}'`;
    case "date":
      return `date:${e.value}`;
    case "duration":
      return `${e.amount}${e.unit}`;
    case "name":
      return e.name;
    case "column":
      return `${e.table}.${e.column}`;
    case "negate":
      return `(neg ${sx(e.operand)})`;
    case "not":
      return `(not ${sx(e.operand)})`;
    case "arithmetic":
    case "compare":
    case "logical":
      return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case "between":
      return `(${e.negated ? "not-" : ""}between ${sx(e.value)} ${sx(e.low)} ${sx(e.high)})`;
    case "in":
      return `(${e.negated ? "not-" : ""}in ${sx(e.value)} [${e.list.map(sx).join(" ")}])`;
    case "is_null":
      return `(${e.negated ? "not-" : ""}null? ${sx(e.value)})`;
    case "like":
      return `(${e.negated ? "not-" : ""}like ${sx(e.value)} ${sx(e.pattern)})`;
    case "case": {
      const whens = e.whens.map((w) => `${sx(w.when)} ${sx(w.value)}`).join(" ");
      return `(case ${whens}${e.otherwise ? ` else ${sx(e.otherwise)}` : ""})`;
    }
    case "call":
      return `(${e.name} ${e.args.map(sx).join(" ")})`;
    case "aggregate": {
      const w =
        e.window.kind === "duration"
          ? sx(e.window)
          : e.window.kind === "lifetime"
            ? "lifetime"
            : `calendar_${e.window.unit}`;
      const target = e.column === undefined ? e.table : `${e.table}.${e.column}`;
      return `(${e.fn} ${target} ${w}${e.filter ? ` ${sx(e.filter)}` : ""})`;
    }
  }
}

/** A copy of the tree without source spans. */
export function withoutSpans(e: Expression): unknown {
  return JSON.parse(JSON.stringify(e, (key, value: unknown) => (key === "span" ? undefined : value)));
}
