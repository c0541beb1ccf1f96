import { extname, join } from "node:path";
import { placeFile } from "../files/output-file.js";
import type { SqlFragment } from "../sql/fragment.js";
import { DuckDbEngine } from "./duckdb-engine.js";

/**
 * Put a finished staging CSV (written by the engine in `dir`, beside the
 * target) in place as `out` (its extension already checked): renamed for
 * `.csv`, else converted to Parquet (`.parquet`) or a JSON array (`.json`) by an in-memory DuckDB with the columns' types
 * (`convert` builds that COPY). The target appears only once complete.
 */
export async function placeStagedCsv(
  staging: string,
  out: string,
  dir: string,
  convert: (from: string, to: string, format: "json" | "parquet") => SqlFragment,
): Promise<void> {
  const format = extname(out).toLowerCase();
  if (format === ".csv") {
    await placeFile(staging, out);
    return;
  }
  const converted = join(dir, `converted${format}`);
  const duck = await DuckDbEngine.open({ path: ":memory:" });
  try {
    await duck.exec(convert(staging, converted, format === ".json" ? "json" : "parquet"));
  } finally {
    await duck.close();
  }
  await placeFile(converted, out);
}
