import type { Expression } from "../../plan/expression.js";

const isNode = (x: unknown): x is Expression => typeof x === "object" && x !== null && "kind" in x && "span" in x;

/** Whether `test` holds for the expression or any node below it (arguments, operands, filters). */
export function someNode(e: Expression, test: (node: Expression) => boolean): boolean {
  if (test(e)) return true;
  return Object.values(e).some((v) =>
    Array.isArray(v) ? v.some((x) => isNode(x) && someNode(x, test)) : isNode(v) && someNode(v, test),
  );
}
