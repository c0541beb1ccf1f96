import { CodedError } from "./coded-error.js";
import type { ErrorCode, MessageParams } from "./codes.js";
import { formatLocation, type SourceLocation } from "./location.js";
import {
  type ErrorMessageCode,
  type ErrorMessageId,
  MESSAGE_TEXTS,
  type MessageTextParams,
  messageText,
} from "./messages.js";

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

  /**
   * The error of a message of the catalogue (src/errors/messages.ts), for the
   * codes whose wording depends on what went wrong (`MAPPING_INVALID`,
   * `INVALID_OPTION`, `CLV_BAD_PERIOD`).
   * @example TierwiseError.of("mapping.unknown-table", { table: "ordrs" })
   */
  static of<M extends ErrorMessageId>(
    id: M,
    params: MessageTextParams<M>,
    location?: SourceLocation,
    hint?: string,
  ): TierwiseError {
    const code: ErrorMessageCode = MESSAGE_TEXTS[id].code;
    return new TierwiseError(code, { detail: messageText(id, params) }, location, hint);
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
