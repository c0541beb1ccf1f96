import type { Engine } from "../engine/engine.js";
import { countRowsSql } from "../sql/store/schema.js";

/** A statement any store answers: whether a connection still works. */
const PING = countRowsSql("tw_meta");

/**
 * The server's connections to the store. `run` is the main connection,
 * used by one request at a time in arrival order: everything that writes
 * (events, overrides, keys' last use) and everything that builds temporary
 * tables inside a transaction. `read` lends one of up to `readers` further
 * connections (`engine.connect()`, opened on first need) to work that only
 * reads, so reads go on side by side and while the main connection writes;
 * each sees what was committed when it starts. `drain` waits for the work
 * already queued and lent, then closes the extra connections (graceful
 * shutdown); the main connection belongs to the server's opener.
 */
export class StoreQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly idle: Engine[] = [];
  private opened = 0;
  private lent = 0;
  private readonly waiting: ((engine: Engine | null) => void)[] = [];
  private closing = false;

  constructor(
    private readonly engine?: Engine,
    private readonly readers = 0,
  ) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Run read-only `work` on a connection of its own (the main one, in turn, when there are no readers). */
  async read<T>(work: (engine: Engine) => Promise<T>): Promise<T> {
    const main = this.engine;
    if (!main) throw new Error("internal: StoreQueue.read needs the engine");
    if (this.readers <= 0 || this.closing) return this.run(() => work(main));
    const engine = await this.acquire(main);
    let healthy = true;
    try {
      return await work(engine);
    } catch (error) {
      // A connection the engine lost (a restarted PostgreSQL) is replaced; a query's own failure is not the connection's.
      healthy = await engine.query(PING).then(
        () => true,
        () => false,
      );
      throw error;
    } finally {
      this.release(engine, healthy);
    }
  }

  private async acquire(main: Engine): Promise<Engine> {
    const ready = this.idle.pop();
    if (ready) {
      this.lent++;
      return ready;
    }
    if (this.opened < this.readers) {
      this.opened++;
      this.lent++;
      try {
        return await main.connect();
      } catch (error) {
        this.opened--;
        this.lent--;
        throw error;
      }
    }
    const given = await new Promise<Engine | null>((resolve) => this.waiting.push(resolve));
    if (given) {
      this.lent++;
      return given;
    }
    return this.acquire(main);
  }

  private release(engine: Engine, healthy: boolean): void {
    this.lent--;
    if (!healthy || this.closing) {
      this.opened--;
      void engine.close().catch(() => undefined);
      // A waiter may now open a fresh connection.
      this.waiting.shift()?.(null);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(engine);
    else this.idle.push(engine);
  }

  async drain(): Promise<void> {
    this.closing = true;
    await this.tail;
    while (this.lent > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    for (const engine of this.idle.splice(0)) await engine.close().catch(() => undefined);
    this.opened = 0;
  }
}
