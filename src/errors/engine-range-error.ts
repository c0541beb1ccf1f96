import { TierwiseError } from "./tierwise-error.js";

/**
 * An engine's arithmetic overflow while computing a policy's expressions
 * (DuckDB "Out of Range Error", PostgreSQL SQLSTATE 22003 numeric value out
 * of range or 22008 datetime overflow) as the coded `VALUE_OUT_OF_RANGE`;
 * undefined for any other error. Such values come from a policy's
 * arithmetic on the data (`orders(12 months) * 1e15 * 1e15`), which
 * `policy check` cannot bound for every data set.
 */
export function engineRangeError(error: unknown): TierwiseError | undefined {
  if (!(error instanceof Error)) return undefined;
  const sqlState = (error as { code?: unknown }).code;
  const duck = /^Out of Range Error: (.*)$/m.exec(error.message);
  if (duck) return new TierwiseError("VALUE_OUT_OF_RANGE", { detail: (duck[1] ?? "").replace(/!$/, "") });
  if (sqlState === "22003" || sqlState === "22008")
    return new TierwiseError("VALUE_OUT_OF_RANGE", { detail: error.message.split("\n")[0] ?? "" });
  return undefined;
}
