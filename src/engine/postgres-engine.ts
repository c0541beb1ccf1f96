import pg from "pg";
import { InternalError } from "../errors/tierwise-error.js";
import { postgresDialect } from "../sql/dialect/postgres.js";
import { type Dialect, render, SqlFragment, type SqlValue, TextStruct } from "../sql/index.js";
import type { Engine, RawLoad, RawSource, Row, SourceColumn } from "./engine.js";
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
 * Not yet supported: `describeSource` and `loadRaw` (bulk loading will be
 * `COPY … FROM STDIN`, see docs/adding-an-engine.md), struct parameters, and
 * strptime-style timestamp formats. `watchProgress` is accepted and never
 * reports: PostgreSQL has no progress figure for a general statement.
 */
export class PostgresEngine implements Engine {
  readonly dialect: Dialect = postgresDialect;

  private readonly transactions = new TransactionScope({
    begin: () => this.client.query("BEGIN"),
    commit: () => this.client.query("COMMIT"),
    rollback: () => this.client.query("ROLLBACK"),
  });

  private constructor(private readonly client: pg.Client) {}

  static async open(options: PostgresOptions): Promise<PostgresEngine> {
    const client = new pg.Client({ connectionString: options.url });
    // A dropped connection is reported by the next statement; an unhandled 'error' would crash.
    client.on("error", () => undefined);
    await client.connect();
    return new PostgresEngine(client);
  }

  async exec(statement: SqlFragment | readonly SqlFragment[]): Promise<void> {
    const statements = statement instanceof SqlFragment ? [statement] : statement;
    for (const one of statements) await this.client.query(bind(one));
  }

  async query<R extends Row = Row>(statement: SqlFragment): Promise<R[]> {
    const result = await this.client.query(bind(statement));
    return result.rows as R[];
  }

  /** Accepted for the interface; PostgreSQL statements report no progress, so the listener is never called. */
  watchProgress(_listener: ((fraction: number) => void) | null): void {}

  async describeSource(_source: RawSource): Promise<SourceColumn[]> {
    throw new InternalError("describing source files is not yet supported on PostgreSQL");
  }

  async loadRaw(_table: string, _source: RawSource, _columns: readonly SourceColumn[]): Promise<RawLoad> {
    throw new InternalError("loading source files is not yet supported on PostgreSQL");
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.transactions.run(work);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
