import type { Expression } from "../../plan/expression.js";

const isNode = (x: unknown): x is Expression => typeof x === "object" && x !== null && "kind" in x && "span" in x;

/** Whether `test` holds for the expression or any node below it (arguments, operands, filters). */
export function someNode(e: Expression, test: (node: Expression) => boolean): boolean {
  if (test(e)) return true;
  const inValue = (v: unknown): boolean =>
    isNode(v)
      ? someNode(v, test)
      : Array.isArray(v)
        ? v.some(inValue)
        : typeof v === "object" && v !== null && Object.values(v).some((x) => isNode(x) && someNode(x, test));
  return Object.entries(e).some(([k, v]) => k !== "span" && k !== "binding" && inValue(v));
}
