import {
  type CheckerMessageId,
  CodedError,
  type ExpressionCode,
  formatLocation,
  type MessageTextParams,
  messageCode,
  messageText,
  type PolicyCode,
  type SourceLocation,
} from "../errors/index.js";

// The codes live in the one catalogue (src/errors); re-exported where policy code and tests have always found them.
export { POLICY_CODES, type PolicyCode } from "../errors/index.js";

/**
 * One problem in a policy file: a message of the catalogue (its id,
 * parameters and stable code), the file, 1-based line and column, and a hint where one helps.
 */
export class PolicyProblem<M extends CheckerMessageId = CheckerMessageId> extends CodedError<
  PolicyCode | ExpressionCode
> {
  override readonly name = "PolicyProblem";
  declare readonly location: SourceLocation;
  /** The message of the catalogue (src/errors/policy-messages.ts, expression-messages.ts) and its parameters. */
  readonly messageId: M;
  readonly messageParams: MessageTextParams<M>;

  constructor(
    id: M,
    params: MessageTextParams<M>,
    location: SourceLocation,
    hint?: string,
    readonly severity: "error" | "warning" = "error",
  ) {
    super(messageCode(id), { detail: messageText(id, params) }, location, hint);
    this.messageId = id;
    this.messageParams = params;
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
