import type { Engine, RawLoad, RawSource, SourceColumn } from "../engine/engine.js";
import type { Dialect, Query, SqlFragment } from "../sql/index.js";
import { type StoreKind, storeWorkFailure } from "./store-failure.js";

/**
 * An open store's engine whose failures caused by the environment (disk
 * full, read-only file system) come out as coded errors naming the store;
 * everything else passes through unchanged.
 */
export class GuardedEngine implements Engine {
  constructor(
    private readonly inner: Engine,
    private readonly where: string,
    private readonly kind: StoreKind,
  ) {}

  get dialect(): Dialect {
    return this.inner.dialect;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw storeWorkFailure(error, this.where, this.kind);
    }
  }

  exec(statement: SqlFragment | readonly SqlFragment[]): Promise<void> {
    return this.guard(() => this.inner.exec(statement));
  }

  query<R>(query: Query<R>): Promise<R[]> {
    return this.guard(() => this.inner.query(query));
  }

  describeSource(source: RawSource): Promise<SourceColumn[]> {
    return this.guard(() => this.inner.describeSource(source));
  }

  loadRaw(table: string, source: RawSource, columns: readonly SourceColumn[]): Promise<RawLoad> {
    return this.guard(() => this.inner.loadRaw(table, source, columns));
  }

  exportCsv(query: SqlFragment, path: string): Promise<void> {
    return this.inner.exportCsv(query, path);
  }

  watchProgress(listener: ((fraction: number) => void) | null): void {
    this.inner.watchProgress(listener);
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.guard(() => this.inner.transaction(work));
  }

  async connect(): Promise<Engine> {
    return new GuardedEngine(await this.guard(() => this.inner.connect()), this.where, this.kind);
  }

  close(): Promise<void> {
    return this.guard(() => this.inner.close());
  }
}
