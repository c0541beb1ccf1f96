import { open } from "node:fs/promises";
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
  LIST,
  listValue,
  structValue,
  VARCHAR,
} from "@duckdb/node-api";
import { InternalError } from "../errors/index.js";
import { duckdbDialect } from "../sql/dialect/duckdb.js";
import {
  consumeNdjsonBatchSql,
  createNdjsonLinesSql,
  createNdjsonStageSql,
  dropNdjsonLinesSql,
  ndjsonKeysSql,
  ndjsonObjectCountSql,
  ndjsonStageRejectsSql,
} from "../sql/dialect/duckdb-ndjson.js";
import {
  copyToCsvSql,
  countRowsSql as countSql,
  describeSourceSql,
  readSourceTextSql,
  stageSourceSql,
} from "../sql/dialect/duckdb-reader.js";
import { type Dialect, type Query, render, SqlFragment, type SqlValue, TextStruct } from "../sql/index.js";
import { type CsvLoadHost, loadCsv } from "./duckdb-csv-load.js";
import type { Engine, RawLoad, RawSource, SourceColumn } from "./engine.js";
import { type NdjsonLine, ndjsonLineBatches } from "./ndjson-lines.js";
import { TransactionScope } from "./transaction.js";

export interface DuckDbOptions {
  /** Store file; `:memory:` for a throw-away store. */
  readonly path: string;
  /** Memory limit such as `4GB`; DuckDB spills to disk beyond it. */
  readonly memoryLimit?: string;
  readonly threads?: number;
  /** Open the file read-only: nothing is written to it, not even on close. */
  readonly readOnly?: boolean;
}

function toDuckValue(value: SqlValue): { value: DuckDBValue; type?: DuckDBType } {
  if (Array.isArray(value)) return { value: listValue([...value]), type: LIST(VARCHAR) };
  if (value instanceof TextStruct) return { value: structValue({ ...value.fields }) };
  return { value: value as DuckDBValue };
}

/** The settings Tierwise gives DuckDB when it opens a store. */
type DuckDbConfig = {
  memory_limit?: string;
  threads?: string;
  access_mode?: "READ_ONLY";
  autoinstall_known_extensions?: "false";
  autoload_known_extensions?: "true";
};

/** Lines of an NDJSON file whose keys name its columns (DuckDB's read_json samples as many). */
const DESCRIBE_LINES = 20_480;

const TRACE = process.env["TIERWISE_TRACE_SQL"] === "1";

/** With TIERWISE_TRACE_SQL=1, print each statement's duration and opening words to stderr. */
async function traced<T>(text: string, run: () => Promise<T>): Promise<T> {
  if (!TRACE) return run();
  const start = process.hrtime.bigint();
  try {
    return await run();
  } finally {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    process.stderr.write(`[sql ${ms.toFixed(0).padStart(6)} ms] ${text.replace(/\s+/g, " ").slice(0, 110)}\n`);
  }
}

/** The embedded DuckDB engine over one store file. */
export class DuckDbEngine implements Engine {
  readonly dialect: Dialect = duckdbDialect;
  private progressListener: ((fraction: number) => void) | null = null;
  private readonly transactions = new TransactionScope({
    begin: () => this.connection.run("BEGIN TRANSACTION"),
    commit: () => this.connection.run("COMMIT"),
    rollback: () => this.connection.run("ROLLBACK"),
  });

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** Whether closing this engine closes the database too (false for `connect()`'s extra connections). */
    private readonly ownsInstance = true,
  ) {}

  private static async session(connection: DuckDBConnection): Promise<void> {
    // Track query progress (read by watchProgress) without DuckDB printing its own bar.
    await connection.run("SET enable_progress_bar = true");
    await connection.run("SET enable_progress_bar_print = false");
  }

  static async open(options: DuckDbOptions): Promise<DuckDbEngine> {
    const config: DuckDbConfig = {};
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    if (options.readOnly) config.access_mode = "READ_ONLY";
    // No extension may be fetched at run time: everything Tierwise needs is built in.
    config.autoinstall_known_extensions = "false";
    config.autoload_known_extensions = "true";
    const instance = await DuckDBInstance.create(options.path, config);
    const connection = await instance.connect();
    await DuckDbEngine.session(connection);
    return new DuckDbEngine(instance, connection);
  }

  private bind(statement: SqlFragment): { text: string; values: DuckDBValue[]; types: Record<number, DuckDBType> } {
    const { text, params } = render(statement);
    const values: DuckDBValue[] = [];
    const types: Record<number, DuckDBType> = {};
    params.forEach((p, i) => {
      const { value, type } = toDuckValue(p);
      values.push(value);
      if (type) types[i + 1] = type;
    });
    return { text, values, types };
  }

  async exec(statement: SqlFragment | readonly SqlFragment[]): Promise<void> {
    const statements = statement instanceof SqlFragment ? [statement] : statement;
    for (const one of statements) {
      const { text, values, types } = this.bind(one);
      await this.watched(() => traced(text, () => this.connection.run(text, values, types)));
    }
  }

  async query<R>(query: Query<R>): Promise<R[]> {
    const { statement } = query;
    const { text, values, types } = this.bind(statement);
    const reader = await this.watched(() => traced(text, () => this.connection.runAndReadAll(text, values, types)));
    const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
    return rows.map(query.decode);
  }

  watchProgress(listener: ((fraction: number) => void) | null): void {
    this.progressListener = listener;
  }

  private async watched<T>(run: () => Promise<T>): Promise<T> {
    const listener = this.progressListener;
    if (!listener) return run();
    const timer = setInterval(() => {
      const { percentage } = this.connection.progress;
      if (percentage >= 0) listener(Math.min(1, percentage / 100));
    }, 250);
    try {
      return await run();
    } finally {
      clearInterval(timer);
    }
  }

  async describeSource(source: RawSource): Promise<SourceColumn[]> {
    if (source.format === "csv") throw new InternalError("CSV headers are read by ingest, not described");
    if (source.format === "ndjson") return this.describeNdjson(source);
    const rows = await this.query(describeSourceSql(source));
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  }

  async loadRaw(table: string, source: RawSource, columns: readonly SourceColumn[]): Promise<RawLoad> {
    if (source.format === "csv") return loadCsv(this.csvHost(), table, source, columns);
    if (source.format === "ndjson") {
      for await (const _ of this.stageNdjson(table, source, columns));
      return this.stagedLoad(table);
    }
    const rejectsTable = `${table}_reader_rejects`;
    const scansTable = `${table}_reader_scans`;
    await this.exec(stageSourceSql(table, source, columns, { rejectsTable, scansTable }));
    const count = await this.query(countSql(table));
    return { rows: count[0]?.n ?? 0, rejects: [] };
  }

  /** What the CSV loader (`duckdb-csv-load.ts`) uses of this engine. */
  private csvHost(): CsvLoadHost {
    return { exec: (s) => this.exec(s), query: (s) => this.query(s), progress: this.progressListener };
  }

  /**
   * NDJSON line by line (see `duckdb-ndjson.ts`): stage the file into
   * `<table>_raw` and `<table>_reader_rejects`, one batch of lines at a time;
   * yields after each batch (PostgreSQL's loader drains the stage there).
   */
  async *stageNdjson(table: string, source: RawSource, columns: readonly SourceColumn[]): AsyncGenerator<void> {
    await this.exec([createNdjsonLinesSql(table), ...createNdjsonStageSql(table, columns.length)]);
    try {
      for await (const batch of ndjsonLineBatches(source)) {
        await this.appendLines(table, batch);
        await this.exec(consumeNdjsonBatchSql(table, columns));
        yield;
      }
    } finally {
      await this.exec(dropNdjsonLinesSql(table));
    }
  }

  /** The row count and reader rejects of a stage built by `stageNdjson`. */
  async stagedLoad(table: string): Promise<RawLoad> {
    const count = await this.query(countSql(table));
    const rows = await this.query(ndjsonStageRejectsSql(table));
    const rejects = rows.map((r) => ({ line: r.line, column: null, kind: r.kind, text: r.text }));
    return { rows: count[0]?.n ?? 0, rejects };
  }

  private async appendLines(table: string, lines: readonly NdjsonLine[]): Promise<void> {
    const appender = await this.connection.createAppender(`${table}_lines`, "main", "temp");
    try {
      for (const l of lines) {
        appender.appendBigInt(BigInt(l.line));
        appender.appendVarchar(l.text);
        if (l.problem === null) appender.appendNull();
        else appender.appendVarchar(l.problem);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** The keys of an NDJSON file's objects among its first lines (as DuckDB's read_json samples them). */
  private async describeNdjson(source: RawSource): Promise<SourceColumn[]> {
    const table = "tw_ndjson_describe";
    await this.exec(createNdjsonLinesSql(table));
    try {
      let seen = 0;
      for await (const batch of ndjsonLineBatches(source, 1024 * 1024)) {
        await this.appendLines(table, batch);
        seen += batch.length;
        if (seen >= DESCRIBE_LINES) break;
      }
      const objects = (await this.query(ndjsonObjectCountSql(table)))[0]?.n ?? 0;
      if (objects === 0) {
        throw new Error(`none of its first ${seen.toLocaleString("en-US")} lines is a JSON object`);
      }
      const rows = await this.query(ndjsonKeysSql(table));
      return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
    } finally {
      await this.exec(dropNdjsonLinesSql(table));
    }
  }

  async exportCsv(query: SqlFragment, path: string): Promise<void> {
    // Open the file from Node first: a path that cannot be written fails with its errno and path (FILE_UNUSABLE), as on PostgreSQL.
    await (await open(path, "w")).close();
    await this.exec(copyToCsvSql(query, path));
  }

  /**
   * A JSON or Parquet file's rows as text, in file order and in batches, as
   * `loadRaw` would stage them (for engines without these readers).
   */
  async *readSourceText(source: RawSource, columns: readonly SourceColumn[]): AsyncGenerator<(string | null)[][]> {
    const { text, values, types } = this.bind(readSourceTextSql(source, columns));
    const result = await this.connection.stream(text, values, types);
    for await (const rows of result.yieldRows()) {
      yield rows.map((row) => row.map((v) => (v === null ? null : String(v))));
    }
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.transactions.run(work);
  }

  async connect(): Promise<Engine> {
    const connection = await this.instance.connect();
    await DuckDbEngine.session(connection);
    return new DuckDbEngine(this.instance, connection, false);
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}
