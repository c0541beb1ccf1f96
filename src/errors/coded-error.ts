import { type Code, formatMessage, type MessageParams, type MessageValues } from "./codes.js";
import type { SourceLocation } from "./location.js";

/**
 * What every coded problem carries, whichever part of Tierwise found it: a
 * code of the catalogue, the parameters of its message, where it is (a
 * file, line and column, when known) and a hint where one helps. The
 * carriers (`TierwiseError`, `PolicyProblem`, `ExpressionError`) differ only
 * in how they print; bugs are `InternalError`, never a coded problem.
 */
export abstract class CodedError<C extends Code = Code> extends Error {
  readonly code: C;
  readonly params: MessageValues<C>;
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;
  /** The catalogue message alone, without location or hint. */
  readonly reason: string;

  /** `message` is the text an `Error` shows; by default the catalogue message. */
  protected constructor(
    code: C,
    params: MessageParams<C>,
    location?: SourceLocation,
    hint?: string,
    message?: (reason: string) => string,
  ) {
    const reason = formatMessage(code, params);
    super(message ? message(reason) : reason);
    this.code = code;
    this.params = params;
    this.location = location;
    this.hint = hint;
    this.reason = reason;
  }
}
