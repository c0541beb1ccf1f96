import pg from "pg";
import { InternalError } from "../errors/tierwise-error.js";
import { ndjsonStageDrain } from "../sql/dialect/duckdb-ndjson.js";
import { postgresDialect } from "../sql/dialect/postgres.js";
import {
  analyzeStageSql,
  copyReaderRejectsSql,
  copyStageSql,
  createStageSql,
  currentTimeZoneSql,
  sessionSetupSql,
} from "../sql/dialect/postgres-copy.js";
import { col, type Dialect, type Query, render, SqlFragment, type SqlValue, TextStruct } from "../sql/index.js";
import { DuckDbEngine } from "./duckdb-engine.js";
import type { Engine, RawLoad, RawSource, SourceColumn } from "./engine.js";
import { CsvWriter, copyIn, copyOutCsv } from "./postgres-copy.js";
import { readerRejectsCsv, scanCsv } from "./scanned-csv.js";
import { TransactionScope } from "./transaction.js";

export interface PostgresOptions {
  /** Connection string, e.g. `postgresql://user@host:5432/db`. */
  readonly url: string;
}

/** Parameter type OIDs sent with each statement (0: let the server infer it, as for text). */
const OID = { unknown: 0, bool: 16, int8: 20, numeric: 1700, textArray: 1009 } as const;

/**
 * Result columns returned as the server's text, like DuckDB's JSON rows: dates
 * and timestamps as text (not JS Dates in the local zone), BIGINT and NUMERIC
 * as strings (pg's default). Booleans, int2/int4 and floats are parsed.
 */
const TEXT_RESULTS = new Set([1082, 1083, 1114, 1184, 1266, 1186]);

function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (TEXT_RESULTS.has(oid)) return (value) => value;
  return pg.types.getTypeParser(oid, (format ?? "text") as "text");
}

function paramType(value: SqlValue): number {
  if (value === null) return OID.unknown;
  if (Array.isArray(value)) return OID.textArray;
  if (value instanceof TextStruct) {
    throw new InternalError("struct parameters (TextStruct) are not supported on PostgreSQL");
  }
  switch (typeof value) {
    case "number":
      // NUMERIC, not float8: exact like DuckDB's decimals, and round(x, n) exists only for numeric.
      return OID.numeric;
    case "bigint":
      return OID.int8;
    case "boolean":
      return OID.bool;
    default:
      return OID.unknown;
  }
}

function paramValue(value: SqlValue): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return [...value];
  return value;
}

/**
 * The statement as pg's query config. node-postgres sends `types` as the
 * Parse message's parameter types and also asks it for result parsers, so it
 * is an array of OIDs that carries `getTypeParser` (pg ≥ 8, lib/query.js).
 * Without explicit types every parameter would be `unknown` and, e.g.,
 * `greatest($1, $2)` on numbers would compare text.
 */
function bind(statement: SqlFragment): pg.QueryConfig {
  const { text, params } = render(statement);
  const types = Object.assign(params.map(paramType), { getTypeParser: typeParser });
  return { text, values: params.map(paramValue), types: types as unknown as pg.CustomTypesConfig };
}

/**
 * PostgreSQL through one `pg` connection (statements run in order on it, as
 * on DuckDB's single connection). Needs PostgreSQL 16 or later (the dialect's
 * `pg_input_is_valid`).
 *
 * Bulk loading streams the file and never holds it in memory: CSV goes
 * through a pre-pass in Node (`csv-scanner.ts`) that splits records exactly
 * as DuckDB's reader does and reports the same reader rejects, then into
 * `COPY … FROM STDIN`; JSON, NDJSON and Parquet are read by an in-memory
 * DuckDB (the same reader and text forms as the DuckDB engine) and streamed
 * into COPY as CSV. `watchProgress` reports the CSV pre-pass's progress
 * through the file; statements report none. Struct parameters are not
 * supported.
 */
export class PostgresEngine implements Engine {
  readonly dialect: Dialect = postgresDialect;
  private progressListener: ((fraction: number) => void) | null = null;
  /** In-memory DuckDB for JSON and Parquet files, opened on first use. */
  private reader: DuckDbEngine | null = null;

  private readonly transactions = new TransactionScope({
    begin: () => this.client.query("BEGIN"),
    commit: () => this.client.query("COMMIT"),
    rollback: () => this.client.query("ROLLBACK"),
  });

  private constructor(
    private readonly client: pg.Client,
    private readonly options: PostgresOptions,
  ) {}

  static async open(options: PostgresOptions): Promise<PostgresEngine> {
    const client = new pg.Client({ connectionString: options.url });
    // A dropped connection is reported by the next statement; an unhandled 'error' would crash.
    client.on("error", () => undefined);
    await client.connect();
    const engine = new PostgresEngine(client, options);
    try {
      await engine.exec(sessionSetupSql());
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return engine;
  }

  async exec(statement: SqlFragment | readonly SqlFragment[]): Promise<void> {
    const statements = statement instanceof SqlFragment ? [statement] : statement;
    for (const one of statements) await this.client.query(bind(one));
  }

  async query<R>(query: Query<R>): Promise<R[]> {
    const { statement } = query;
    const result = await this.client.query(bind(statement));
    const rows = result.rows as Record<string, unknown>[];
    return rows.map(query.decode);
  }

  /** Only `loadRaw`'s CSV pre-pass reports progress (its place in the file); statements report none. */
  watchProgress(listener: ((fraction: number) => void) | null): void {
    this.progressListener = listener;
  }

  private async sourceReader(): Promise<DuckDbEngine> {
    if (!this.reader) this.reader = await DuckDbEngine.open({ path: ":memory:", threads: 1 });
    return this.reader;
  }

  async describeSource(source: RawSource): Promise<SourceColumn[]> {
    return (await this.sourceReader()).describeSource(source);
  }

  async loadRaw(table: string, source: RawSource, columns: readonly SourceColumn[]): Promise<RawLoad> {
    await this.exec(createStageSql(table, columns.length));
    const load =
      source.format === "csv"
        ? await this.loadCsv(table, source, columns.length)
        : source.format === "ndjson"
          ? await this.loadNdjson(table, source, columns)
          : await this.loadOther(table, source, columns);
    if (load.rejects.length > 0) {
      await copyIn(this.client, copyReaderRejectsSql(table), [readerRejectsCsv(load.rejects)]);
    }
    await this.exec(analyzeStageSql(table));
    return load;
  }

  /** CSV: the DuckDB-compatible pre-pass (`scanned-csv.ts`), good records into COPY, reader rejects returned. */
  private async loadCsv(table: string, source: RawSource, columnCount: number): Promise<RawLoad> {
    const scan = await scanCsv(source, columnCount, {
      rejectNul: true,
      numbered: true,
      progress: this.progressListener,
    });
    await copyIn(this.client, copyStageSql(table, columnCount), scan.chunks);
    return { rows: scan.rows(), rejects: scan.rejects };
  }

  /**
   * NDJSON: staged line by line by an in-memory DuckDB exactly as the DuckDB
   * engine stages it (same values, same rejected lines), each batch streamed
   * into COPY and dropped from the reader, so memory holds one batch.
   */
  private async loadNdjson(table: string, source: RawSource, columns: readonly SourceColumn[]): Promise<RawLoad> {
    const reader = await this.sourceReader();
    const stage = "tw_ndjson_stage";
    const writer = new CsvWriter();
    let rows = 0;
    const drained = ndjsonStageDrain(stage, columns.length);
    const cell = col.nullable(col.text);
    async function* records(): AsyncGenerator<Buffer> {
      for await (const _ of reader.stageNdjson(stage, source, columns)) {
        for (const row of await reader.query(drained.select)) {
          rows++;
          writer.ascii(col.text(row["__rec"], "__rec"));
          for (let i = 1; i <= columns.length; i++) {
            writer.byte(0x2c);
            writer.text(cell(row[`c${i}`], `c${i}`));
          }
          writer.byte(0x0a);
        }
        await reader.exec(drained.empty);
        if (writer.size > 0) yield writer.take();
      }
    }
    await copyIn(this.client, copyStageSql(table, columns.length), records());
    const { rejects } = await reader.stagedLoad(stage);
    return { rows, rejects };
  }

  /** JSON, NDJSON, Parquet: read by an in-memory DuckDB in the session's time zone, streamed into COPY. */
  private async loadOther(table: string, source: RawSource, columns: readonly SourceColumn[]): Promise<RawLoad> {
    const reader = await this.sourceReader();
    const zone = (await this.query(currentTimeZoneSql()))[0]?.zone ?? "UTC";
    // Timestamps with a zone are written as text in the session's zone, as DuckDB's own loadRaw does.
    await reader.exec(reader.dialect.setTimeZone(zone));
    const writer = new CsvWriter();
    let rows = 0;
    async function* records(): AsyncGenerator<Buffer> {
      for await (const batch of reader.readSourceText(source, columns)) {
        for (const row of batch) {
          writer.ascii(`${++rows}`);
          for (const value of row) {
            writer.byte(0x2c);
            writer.text(value);
          }
          writer.byte(0x0a);
        }
        if (writer.size >= 1 << 18) yield writer.take();
      }
      if (writer.size > 0) yield writer.take();
    }
    await copyIn(this.client, copyStageSql(table, columns.length), records());
    return { rows, rejects: [] };
  }

  async exportCsv(query: SqlFragment, path: string): Promise<void> {
    await copyOutCsv(this.client, query, path);
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.transactions.run(work);
  }

  connect(): Promise<Engine> {
    return PostgresEngine.open(this.options);
  }

  async close(): Promise<void> {
    await this.reader?.close();
    this.reader = null;
    await this.client.end();
  }
}
