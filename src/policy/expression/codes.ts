import {
  CodedError,
  type ExpressionCode,
  type ExpressionMessageId,
  type MessageTextParams,
  messageCode,
  messageText,
} from "../../errors/index.js";
import type { Span } from "../../plan/expression.js";

// The codes live in the one catalogue (src/errors); re-exported where the language and tests have always found them.
export { EXPRESSION_CODES, type ExpressionCode } from "../../errors/index.js";

/** Largest nesting of parentheses, calls, prefix operators and chained binary operators the parser accepts. */
export const MAX_DEPTH = 200;

/** Longest expression text accepted, in characters. */
export const MAX_LENGTH = 100_000;

/**
 * A mistake in an expression written by a user: a message of the catalogue
 * (its id, parameters and stable code), the 1-based line and column where it is,
 * and, when one is close, a hint such as "did you mean spend?".
 */
export class ExpressionError<M extends ExpressionMessageId = ExpressionMessageId> extends CodedError<ExpressionCode> {
  override readonly name = "ExpressionError";
  /** The message of the catalogue (src/errors/expression-messages.ts) and its parameters. */
  readonly messageId: M;
  readonly messageParams: MessageTextParams<M>;
  readonly line: number;
  readonly column: number;
  readonly offset: number;

  constructor(id: M, params: MessageTextParams<M>, at: Pick<Span, "offset" | "line" | "column">, hint?: string) {
    // The location is in the expression's own text; the policy checker moves it into the file.
    super(
      messageCode(id),
      { detail: messageText(id, params) },
      { file: "<expression>", line: at.line, column: at.column },
      hint,
      (reason) => `${at.line}:${at.column} ${reason}${hint ? ` (${hint})` : ""}`,
    );
    this.messageId = id;
    this.messageParams = params;
    this.line = at.line;
    this.column = at.column;
    this.offset = at.offset;
  }
}
