import {
  CodedError,
  type ExpressionCode,
  formatLocation,
  type PolicyCode,
  type SourceLocation,
} from "../errors/index.js";

// The codes live in the one catalogue (src/errors); re-exported where policy code and tests have always found them.
export { POLICY_CODES, type PolicyCode } from "../errors/index.js";

/**
 * One problem in a policy file: a stable code, a message for the person
 * fixing it, the file, 1-based line and column, and a hint where one helps.
 */
export class PolicyProblem extends CodedError<PolicyCode | ExpressionCode> {
  override readonly name = "PolicyProblem";
  declare readonly location: SourceLocation;

  constructor(
    code: PolicyCode | ExpressionCode,
    message: string,
    location: SourceLocation,
    hint?: string,
    readonly severity: "error" | "warning" = "error",
  ) {
    super(code, { detail: message }, location, hint);
  }

  /** `file:line:col CODE message (hint)`. */
  oneLine(): string {
    const hint = this.hint ? ` (${this.hint})` : "";
    const warn = this.severity === "warning" ? "warning " : "";
    return `${formatLocation(this.location)} ${warn}${this.code} ${this.message}${hint}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      severity: this.severity,
      message: this.message,
      file: this.location.file,
      line: this.location.line,
      column: this.location.column,
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}

/** A policy that cannot be used: every problem found in one pass. */
export class PolicyErrors extends Error {
  override readonly name = "PolicyErrors";
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(problems.map((p) => p.oneLine()).join("\n"));
  }
}
