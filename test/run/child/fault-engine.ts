/**
 * An Engine wrapper for the kill tests: it records every statement a run
 * issues (and whether it ran inside the snapshot transaction) and, when
 * asked, SIGKILLs its own process at a named point, so a run can be cut
 * short exactly there without a hook in the code under test.
 */
import type { Engine, RawLoad, RawSource, Row, SourceColumn } from "../../../src/engine/engine.js";
import type { Dialect } from "../../../src/sql/dialect/dialect.js";
import { Query, render, type SqlFragment } from "../../../src/sql/index.js";
import { rawRows } from "../../support/raw-rows.js";

/** Where a run dies: after the n-th statement (1-based) has completed, or around the commit. */
export type KillPoint = { readonly after: number } | "before-commit" | "after-commit";

/** Any kill point: a run's, or just before the first INSERT into a table runs (e.g. a delivery record). */
export type AnyKillPoint = KillPoint | { readonly beforeInsertInto: string };

export interface RecordedStatement {
  readonly index: number;
  /** The opening words of the statement, for messages. */
  readonly text: string;
  readonly inTransaction: boolean;
}

export function parseKillPoint(text: string | undefined): AnyKillPoint | undefined {
  if (!text) return undefined;
  if (text === "before-commit" || text === "after-commit") return text;
  const before = /^before-insert:([a-z_]+)$/.exec(text);
  if (before) return { beforeInsertInto: before[1] as string };
  const m = /^after:(\d+)$/.exec(text);
  if (!m) throw new Error(`unknown kill point ${text}`);
  return { after: Number(m[1]) };
}

export function killPointText(point: AnyKillPoint): string {
  if (typeof point === "string") return point;
  return "after" in point ? `after:${point.after}` : `before-insert:${point.beforeInsertInto}`;
}

const die = (): never => {
  process.kill(process.pid, "SIGKILL");
  throw new Error("unreachable: SIGKILL did not stop the process");
};

export class FaultEngine implements Engine {
  readonly statements: RecordedStatement[] = [];
  private inTransaction = false;

  constructor(
    private readonly inner: Engine,
    private readonly killAt?: AnyKillPoint,
  ) {}

  get dialect(): Dialect {
    return this.inner.dialect;
  }

  private record(fragment: SqlFragment): void {
    const text = render(fragment).text.replace(/\s+/g, " ").slice(0, 80);
    this.statements.push({ index: this.statements.length + 1, text, inTransaction: this.inTransaction });
  }

  private afterStatement(): void {
    const k = this.killAt;
    if (k && typeof k !== "string" && "after" in k && this.statements.length === k.after) die();
  }

  private beforeStatement(): void {
    const k = this.killAt;
    const text = this.statements[this.statements.length - 1]?.text ?? "";
    if (k && typeof k !== "string" && "beforeInsertInto" in k && text.startsWith(`INSERT INTO "${k.beforeInsertInto}"`))
      die();
  }

  async exec(statement: SqlFragment | readonly SqlFragment[]): Promise<void> {
    const list = Array.isArray(statement) ? (statement as readonly SqlFragment[]) : [statement as SqlFragment];
    for (const one of list) {
      this.record(one);
      this.beforeStatement();
      await this.inner.exec(one);
      this.afterStatement();
    }
  }

  query<R>(query: Query<R>): Promise<R[]>;
  query<R extends Row = Row>(statement: SqlFragment): Promise<R[]>;
  async query<R>(query: Query<R> | SqlFragment): Promise<R[]> {
    this.record(query instanceof Query ? query.statement : query);
    this.beforeStatement();
    const rows =
      query instanceof Query ? await this.inner.query(query) : await this.inner.query(rawRows<R & Row>(query));
    this.afterStatement();
    return rows;
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    const result = await this.inner.transaction(async () => {
      this.inTransaction = true;
      try {
        const value = await work();
        if (this.killAt === "before-commit") die();
        return value;
      } finally {
        this.inTransaction = false;
      }
    });
    if (this.killAt === "after-commit") die();
    return result;
  }

  describeSource(source: RawSource): Promise<SourceColumn[]> {
    return this.inner.describeSource(source);
  }

  exportCsv(query: SqlFragment, path: string): Promise<void> {
    return this.inner.exportCsv(query, path);
  }

  loadRaw(table: string, source: RawSource, columns: readonly SourceColumn[]): Promise<RawLoad> {
    return this.inner.loadRaw(table, source, columns);
  }

  watchProgress(listener: ((fraction: number) => void) | null): void {
    this.inner.watchProgress(listener);
  }

  /** Another connection, without faults. */
  connect(): Promise<Engine> {
    return this.inner.connect();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
