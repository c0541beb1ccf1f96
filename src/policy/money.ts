import { TABLES } from "../model/index.js";
import type { CheckedExpression, Expression } from "../plan/expression.js";
import { withinPolicyNumber } from "./bounds.js";

/** Built-in metrics whose values are amounts of money (thresholds on them follow `scale`). */
const MONEY_METRICS = new Set(["spend", "aov", "contribution", "compensation", "overdue_amount"]);

function isMoneyColumn(table: string, column: string | undefined): boolean {
  const def = TABLES.find((t) => t.name === table)?.columns.find((c) => c.name === column);
  return def?.type === "money";
}

/** Whether an expression measures money: it reads a money metric or aggregates a money column (and is not a share). */
export function isMoney(e: Expression, customMoney: ReadonlySet<string> = new Set()): boolean {
  switch (e.kind) {
    case "call":
      return e.binding?.kind === "metric" && MONEY_METRICS.has(e.name);
    case "name":
      return e.binding?.kind === "metric" && (MONEY_METRICS.has(e.name) || customMoney.has(e.name));
    case "aggregate":
      return e.fn !== "count" && isMoneyColumn(e.table, e.column);
    case "column":
      return isMoneyColumn(e.table, e.column);
    case "negate":
      return isMoney(e.operand, customMoney);
    case "arithmetic":
      if (e.op === "/") return false;
      if (e.op === "*") return isMoney(e.left, customMoney) !== isMoney(e.right, customMoney);
      return isMoney(e.left, customMoney) || isMoney(e.right, customMoney);
    default:
      return false;
  }
}

/** `value × scale`, without binary noise (100000 × 0.01 is 1000, not 1000.0000000000001). */
export function scaled(value: number, scale: number): number {
  return Number((value * scale).toPrecision(12));
}

/**
 * Multiply number literals compared with money by the policy's scale:
 * `spend(12 months) >= 100000` with `scale: 0.01` means ≥ 1000.
 */
export function scaleMoneyLiterals(
  e: CheckedExpression,
  scale: number,
  customMoney: ReadonlySet<string>,
  tooLarge?: (literal: Expression & { kind: "number" }, value: number) => void,
): CheckedExpression {
  if (scale === 1) return e;
  const scaledLiteral = (o: Expression & { kind: "number" }): Expression => {
    const value = scaled(o.value, scale);
    if (!withinPolicyNumber(value)) tooLarge?.(o, value);
    return { ...o, value };
  };
  const visit = (x: Expression): Expression => {
    switch (x.kind) {
      case "compare":
      case "between": {
        const operands = x.kind === "compare" ? [x.left, x.right] : [x.value, x.low, x.high];
        const money = operands.some((o) => isMoney(o, customMoney));
        const fix = (o: Expression): Expression => (money && o.kind === "number" ? scaledLiteral(o) : visit(o));
        return x.kind === "compare"
          ? { ...x, left: fix(x.left), right: fix(x.right) }
          : { ...x, value: fix(x.value), low: fix(x.low), high: fix(x.high) };
      }
      case "logical":
        return { ...x, left: visit(x.left), right: visit(x.right) };
      case "not":
        return { ...x, operand: visit(x.operand) };
      default:
        return x;
    }
  };
  return visit(e) as CheckedExpression;
}
