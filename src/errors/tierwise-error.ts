import { CodedError } from "./coded-error.js";
import type { ErrorCode, MessageParams } from "./codes.js";
import { formatLocation, type SourceLocation } from "./location.js";

export { InternalError } from "./internal-error.js";
export { formatLocation, type SourceLocation } from "./location.js";

/**
 * A problem the user can fix (bad input, bad option, bad mapping). The CLI
 * prints it as one line with its code and exits 1; it is never a bug.
 */
export class TierwiseError<C extends ErrorCode = ErrorCode> extends CodedError<C> {
  override readonly name = "TierwiseError";
  constructor(code: C, params: MessageParams<C>, location?: SourceLocation, hint?: string) {
    super(code, params, location, hint);
  }

  /** One line: `CODE at file:line:col: message (hint)`. */
  oneLine(): string {
    const where = this.location ? ` at ${formatLocation(this.location)}` : "";
    const hint = this.hint ? ` (${this.hint})` : "";
    return `${this.code}${where}: ${this.message}${hint}`;
  }
}

/** Several user problems found in one pass, reported together. */
export class TierwiseErrors extends Error {
  override readonly name = "TierwiseErrors";
  constructor(readonly errors: readonly TierwiseError[]) {
    super(errors.map((e) => e.oneLine()).join("\n"));
  }
}

/** A wrong command-line usage: the CLI exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
