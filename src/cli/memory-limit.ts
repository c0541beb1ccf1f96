import { UsageError } from "../errors/index.js";

const SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** `--memory-limit SIZE`: a number and a unit (500MB, 4GB, 2 GiB), as DuckDB's memory_limit takes it. */
export function memoryLimit(value: string): string {
  const text = value.trim();
  if (!SIZE.test(text) || Number.parseFloat(text) <= 0)
    throw new UsageError(
      `--memory-limit takes a size such as 500MB or 4GB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), got ${JSON.stringify(value)}`,
    );
  return text;
}
