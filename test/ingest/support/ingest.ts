import { join } from "node:path";
import type { Engine } from "../../../src/engine/engine.js";
import { type IngestOptions, ingestDirectory } from "../../../src/ingest/ingest.js";
import type { IngestResult, TableIngestResult } from "../../../src/ingest/result.js";
import { raw, records, sql } from "../../../src/sql/index.js";
import { memoryStore, type RejectRow, writeInput } from "../../support/ingest-fixture.js";

export type { RejectRow };

/**
 * Read a rejects CSV back with DuckDB. The dialect is given explicitly so the
 * sniffer cannot be misled by `;` or tabs inside source records, and the file
 * order (the order ingest wrote) is kept: `read_csv` has no `rowid`.
 */
export async function readRejectsFile(engine: Engine, path: string): Promise<RejectRow[]> {
  const rows = await engine.query(
    records(sql`SELECT * FROM read_csv(${path}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"',
      columns = {'table': 'VARCHAR', 'file': 'VARCHAR', 'line': 'VARCHAR', 'record': 'VARCHAR', 'column': 'VARCHAR',
                 'field': 'VARCHAR', 'code': 'VARCHAR', 'reason': 'VARCHAR', 'source_record': 'VARCHAR'})`),
  );
  const num = (v: unknown) => (v === null || v === undefined || v === "" ? null : Number(v));
  return rows.map((r) => ({
    table: String(r["table"]),
    file: String(r["file"]),
    line: num(r["line"]),
    record: num(r["record"]),
    column: num(r["column"]),
    field: (r["field"] as string | null) ?? null,
    code: String(r["code"]),
    reason: String(r["reason"]),
    source_record: (r["source_record"] as string | null) ?? null,
  }));
}

export interface Loaded {
  readonly engine: Engine;
  readonly dir: string;
  readonly result: IngestResult;
  readonly rejects: RejectRow[];
  table(name: string): TableIngestResult;
  rows(sqlText: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export type LoadOptions = Partial<Omit<IngestOptions, "dir" | "rejectsPath">> & { engine?: Engine };

/** Ingest `files` into a fresh in-memory store (or `engine`) and read back the rejects file. */
export async function load(files: Record<string, string | Buffer>, options: LoadOptions = {}): Promise<Loaded> {
  const dir = await writeInput(files);
  const engine = options.engine ?? (await memoryStore());
  const rejectsPath = join(dir, "out.rejects.csv");
  const { engine: _ignored, ...rest } = options;
  let result: IngestResult;
  try {
    result = await ingestDirectory(engine, { ...rest, dir, rejectsPath });
  } catch (error) {
    if (!options.engine) await engine.close();
    throw error;
  }
  const rejects = await readRejectsFile(engine, rejectsPath);
  return {
    engine,
    dir,
    result,
    rejects,
    table(name) {
      const t = result.tables.find((x) => x.table === name);
      if (!t) throw new Error(`no result for table ${name}`);
      return t;
    },
    rows: (text) => engine.query(records(raw(text))),
    close: () => engine.close(),
  };
}
