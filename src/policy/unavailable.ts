import type { CheckedExpression, Expression } from "../plan/expression.js";
import type { Condition, PolicyPlan, SchemePlan } from "../plan/policy.js";
import { printExpression } from "./expression/print.js";
import { someNode } from "./expression/some-node.js";

function mentions(e: Expression, names: ReadonlySet<string>): boolean {
  return someNode(
    e,
    (n) => (n.kind === "call" || n.kind === "name") && n.binding?.kind === "metric" && names.has(n.name),
  );
}

/**
 * A condition evaluated without the parts that need unavailable metrics: in
 * `a and b` or `a or b` the part is dropped (the other side decides); a
 * condition made only of such parts holds. Returns undefined when nothing
 * was dropped.
 */
function without(e: Expression, names: ReadonlySet<string>): Expression | null | undefined {
  if (!mentions(e, names)) return undefined;
  if (e.kind === "logical") {
    const l = without(e.left, names);
    const r = without(e.right, names);
    const left = l === undefined ? e.left : l;
    const right = r === undefined ? e.right : r;
    if (left === null) return right;
    if (right === null) return left;
    return { ...e, left, right };
  }
  return null;
}

/**
 * The plan with every condition that needs an unavailable metric (e.g.
 * `new_categories` without order lines) evaluated without it, and a warning
 * per changed condition (docs/schemes.md, Common definitions: never silently false).
 */
export function withoutUnavailable(
  plan: PolicyPlan,
  names: ReadonlySet<string>,
): { plan: PolicyPlan; warnings: string[] } {
  if (names.size === 0) return { plan, warnings: [] };
  const warnings: string[] = [];
  const fix = (scheme: string, c: Condition): Condition => {
    const r = without(c.expression, names);
    if (r === undefined) return c;
    const expression = (r ?? {
      kind: "boolean",
      value: true,
      span: c.expression.span,
      type: "boolean",
    }) as CheckedExpression;
    warnings.push(
      `${scheme}: \`${c.text}\` is evaluated as \`${printExpression(expression)}\` because ${[...names].join(", ")} need order lines, which the store does not have`,
    );
    return { expression, text: printExpression(expression) };
  };
  const schemes = plan.schemes.map((s): SchemePlan => {
    if (s.kind !== "rules") return s;
    return { ...s, rules: s.rules.map((r) => ({ ...r, when: fix(s.name, r.when) })) };
  });
  return { plan: { ...plan, schemes }, warnings };
}
