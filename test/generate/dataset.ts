import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import { type GenerateOptions, type GenerateSummary, generateDataset } from "../../src/generate/index.js";
import { TABLE_NAMES, type TableName } from "../../src/model/index.js";
import { ident, records, type SqlFragment, sql } from "../../src/sql/index.js";
import { rawRows } from "../support/raw-rows.js";

/** The date every test dataset ends before. */
export const AS_OF = "2026-01-01";
/** asOf as written in CSV timestamps; ISO UTC text sorts like time. */
export const AS_OF_TEXT = "2026-01-01T00:00:00Z";

/** A generated dataset loaded back into DuckDB, one table per file, every column read as text. */
export interface LoadedDataset {
  readonly summary: GenerateSummary;
  readonly engine: DuckDbEngine;
  /** Run a query; numbers come back as JS numbers where they fit. */
  rows<R extends Record<string, unknown>>(query: SqlFragment): Promise<R[]>;
  /** The first row's first value as a number. */
  scalar(query: SqlFragment): Promise<number>;
  close(): Promise<void>;
}

/** A fresh temporary directory; remove it with `removeDir`. */
export async function tempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `tierwise-gen-${label}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Generate a CSV dataset into `dir` and read every file back with DuckDB's
 * CSV reader (all columns as text, exactly as a user's tool would see them).
 */
export async function generateAndLoad(
  dir: string,
  options: Omit<GenerateOptions, "outDir" | "format">,
): Promise<LoadedDataset> {
  const summary = await generateDataset({ ...options, outDir: dir, format: "csv" });
  const engine = await DuckDbEngine.open({ path: ":memory:" });
  for (const table of TABLE_NAMES) {
    const path = join(dir, `${table}.csv`);
    await engine.exec(
      sql`CREATE TABLE ${ident(table)} AS SELECT * FROM read_csv(${path}, header = true, all_varchar = true, strict_mode = true)`,
    );
  }
  const rows = async <R extends Record<string, unknown>>(query: SqlFragment): Promise<R[]> => {
    const result = await engine.query(records(query));
    return result.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v]),
      ),
    ) as R[];
  };
  return {
    summary,
    engine,
    rows,
    scalar: async (query) => {
      const [row] = await engine.query(records(query));
      return Number(Object.values(row ?? {})[0]);
    },
    close: () => engine.close(),
  };
}

/** Column names of a table as read back from its file, in file order. */
export async function fileColumns(data: LoadedDataset, table: TableName): Promise<string[]> {
  const rows = await data.engine.query(rawRows<{ column_name: string }>(sql`DESCRIBE ${ident(table)}`));
  return rows.map((r) => r.column_name);
}

/**
 * Generate and load one dataset for a whole `describe` block: created before
 * its tests, closed and deleted after them. Read `.current` inside tests.
 */
export function useGeneratedDataset(
  label: string,
  options: { customers: number; seed: number },
): { readonly current: LoadedDataset } {
  let dir = "";
  let data: LoadedDataset | undefined;
  beforeAll(async () => {
    dir = await tempDir(label);
    data = await generateAndLoad(dir, { ...options, asOf: AS_OF });
  });
  afterAll(async () => {
    await data?.close();
    await removeDir(dir);
  });
  return {
    get current(): LoadedDataset {
      if (!data) throw new Error("the generated dataset is not loaded yet");
      return data;
    },
  };
}
