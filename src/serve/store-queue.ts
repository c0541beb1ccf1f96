/**
 * The server's one store connection, used by one request at a time: explain
 * builds temporary tables, and a DuckDB connection runs one statement at a
 * time anyway. Requests wait their turn in arrival order; `drain` waits for
 * the work already queued (graceful shutdown). A pool of connections
 * (PostgreSQL) is for a later step.
 */
export class StoreQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }

  async drain(): Promise<void> {
    await this.tail;
  }
}
