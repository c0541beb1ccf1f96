import type { CheckerMessageId, MessageTextParams } from "../errors/index.js";
import type { ValueType } from "../plan/expression.js";
import type { Entity } from "../plan/metrics.js";
import type { Condition } from "../plan/policy.js";
import { PolicyProblem } from "./codes.js";
import type { Scope } from "./expression/check.js";
import { parseAndCheck } from "./expression/check.js";
import { printExpression } from "./expression/print.js";
import { scaleMoneyLiterals } from "./money.js";
import type { SourceMap, YamlPath } from "./source-map.js";

/** What scheme-kind checkers get: expression checking and problem reporting, both located in the file. */
export class CheckContext {
  readonly problems: PolicyProblem[] = [];

  constructor(
    readonly map: SourceMap,
    private readonly scopes: Readonly<Record<Entity, Scope>>,
    readonly scale: number,
    readonly customMoney: ReadonlySet<string>,
  ) {}

  report<M extends CheckerMessageId>(
    id: M,
    params: MessageTextParams<M>,
    path: YamlPath,
    hint?: string,
    onKey = false,
  ): undefined {
    this.problems.push(new PolicyProblem(id, params, this.map.locate(path, onKey), hint));
    return undefined;
  }

  warn<M extends CheckerMessageId>(id: M, params: MessageTextParams<M>, path: YamlPath, hint?: string): void {
    this.problems.push(new PolicyProblem(id, params, this.map.locate(path), hint, "warning"));
  }

  scope(entity: Entity): Scope {
    return this.scopes[entity];
  }

  /**
   * Parse and check the expression text at `path`; problems are reported at
   * their line and column in the file. Number literals compared with money
   * are multiplied by the policy's scale.
   */
  expression(source: string, path: YamlPath, entity: Entity, expected: ValueType): Condition | undefined {
    const result = parseAndCheck(source, this.scopes[entity], expected);
    if (!result.ok) {
      for (const e of result.errors) {
        const at = this.map.locateInScalar(path, e.line, e.column);
        this.problems.push(new PolicyProblem(e.messageId, e.messageParams, at, e.hint));
      }
      return undefined;
    }
    const expression = scaleMoneyLiterals(result.expression, this.scale, this.customMoney, (literal, value) => {
      const at = this.map.locateInScalar(path, literal.span.line, literal.span.column);
      this.problems.push(
        new PolicyProblem("expr.scaled-too-large", { value: literal.value, scale: this.scale, result: value }, at),
      );
    });
    return { expression, text: printExpression(result.expression) };
  }
}
