import { ERROR_CODES, type ErrorCode, formatMessage } from "./codes.js";

/** Where a problem is: a file and, when known, a 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export function formatLocation(loc: SourceLocation): string {
  if (loc.line === undefined) return loc.file;
  return loc.column === undefined ? `${loc.file}:${loc.line}` : `${loc.file}:${loc.line}:${loc.column}`;
}

/**
 * A problem the user can fix (bad input, bad option, bad mapping). The CLI
 * prints it as one line with its code and exits 1; it is never a bug.
 */
export class TierwiseError extends Error {
  override readonly name = "TierwiseError";
  constructor(
    readonly code: ErrorCode,
    readonly params: Readonly<Record<string, string | number>>,
    readonly location?: SourceLocation,
    readonly hint?: string,
  ) {
    super(formatMessage(ERROR_CODES[code], params));
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

/** A broken invariant inside Tierwise: a bug, shown with its stack under --debug. */
export class InternalError extends Error {
  override readonly name = "InternalError";
}
