import { UsageError } from "../errors/index.js";
import { MAX_ID_LENGTH, normaliseId } from "../model/index.js";

/**
 * Parser of an id typed on the command line (`explain ID`, `override set
 * ID`, `rate ID`, `history ID`): the same rule as ingest (docs/ingest.md,
 * Ids), so that `C1` pasted with a trailing zero-width space finds C1. An id
 * that still holds an invisible or control character is a usage error naming
 * the character, not the id.
 */
export function idArgument(name: string) {
  return (value: string): string => {
    const r = normaliseId(value);
    if (r.ok) return r.id;
    if (r.problem === "empty") throw new UsageError(`${name} is empty (or only invisible characters)`);
    if (r.problem === "too long") throw new UsageError(`${name} is longer than ${MAX_ID_LENGTH} characters`);
    throw new UsageError(
      `${name} contains the invisible or control character ${r.codePoint}, which no id may hold; retype it`,
    );
  };
}
