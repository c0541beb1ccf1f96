import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Engine } from "../engine/engine.js";
import { formatMessage, TierwiseError } from "../errors/index.js";
import type { ApiCaller } from "../store/api-keys.js";

export type JobKind = "run" | "backfill" | "ingest" | "diff";
export type JobStatus = "queued" | "running" | "succeeded" | "failed";

/** What a job's work may use: its own connection to the store, and a way to say how far it is. */
export interface JobContext {
  /** A second connection to the store (engine.connect()), so reads go on while the job works. */
  readonly engine: Engine;
  /** `phase` names the step ("facts", "grades", "orders.csv"); `fraction` 0–1 when known. */
  progress(phase: string, fraction?: number | null): void;
}

/** A job as `GET /jobs/{id}` shows it. */
export interface JobView {
  readonly id: string;
  readonly kind: JobKind;
  readonly status: JobStatus;
  readonly created_by: string;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly progress: { readonly phase: string | null; readonly fraction: number | null };
  /** The job's outcome when it succeeded (a run's id and counts, an ingest's counts…). */
  readonly result: unknown;
  /** Why it failed: a catalogue code and its message, never a stack. */
  readonly error: { readonly code: string; readonly message: string } | null;
}

interface Job {
  view: JobView;
}

/** Jobs kept for `GET /jobs` after they finish (the oldest finished ones go first). */
const KEPT = 200;

/**
 * The server's background jobs (runs, backfills, ingests): started by a
 * request that returns 202 at once, run one at a time in arrival order on a
 * connection of their own, observed with `GET /jobs/{id}`. Kept in memory:
 * a restarted server forgets finished jobs (their runs are in the store) and
 * `drain` lets the running one finish first.
 */
export class Jobs {
  private readonly jobs = new Map<string, Job>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: Engine,
    private readonly log: FastifyBaseLogger,
    /**
     * Runs each job's work, e.g. in turn with the requests that write (DuckDB: one process writes
     * a file, and two of its connections writing the outbox at once could number two events alike).
     */
    private readonly exclusive: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
  ) {}

  /** Queue `work`; the job as it stands now (queued). */
  start(kind: JobKind, caller: ApiCaller | undefined, work: (context: JobContext) => Promise<unknown>): JobView {
    const job: Job = {
      view: {
        id: randomUUID(),
        kind,
        status: "queued",
        created_by: caller?.name ?? "(unknown)",
        created_at: new Date().toISOString(),
        started_at: null,
        finished_at: null,
        progress: { phase: null, fraction: null },
        result: null,
        error: null,
      },
    };
    this.jobs.set(job.view.id, job);
    this.forgetOld();
    const step = () => this.execute(job, work);
    this.tail = this.tail.then(step, step);
    return job.view;
  }

  get(id: string): JobView | undefined {
    return this.jobs.get(id)?.view;
  }

  /** Newest first. */
  list(): JobView[] {
    return [...this.jobs.values()].map((j) => j.view).reverse();
  }

  /** Wait for every queued and running job (graceful shutdown). */
  async drain(): Promise<void> {
    let seen: Promise<unknown> | undefined;
    while (seen !== this.tail) {
      seen = this.tail;
      await seen;
    }
  }

  private async execute(job: Job, work: (context: JobContext) => Promise<unknown>): Promise<void> {
    job.view = { ...job.view, status: "running", started_at: new Date().toISOString() };
    let connection: Engine | undefined;
    try {
      connection = await this.engine.connect();
      const engine = connection;
      const result = await this.exclusive(() =>
        work({
          engine,
          progress: (phase, fraction = null) => {
            job.view = { ...job.view, progress: { phase, fraction } };
          },
        }),
      );
      job.view = { ...job.view, status: "succeeded", result: result ?? null, finished_at: new Date().toISOString() };
    } catch (error) {
      const known = error instanceof TierwiseError;
      if (!known) this.log.error({ err: error, job: job.view.id }, "job failed");
      job.view = {
        ...job.view,
        status: "failed",
        finished_at: new Date().toISOString(),
        error: known
          ? { code: error.code, message: error.reason }
          : { code: "API_JOB_FAILED", message: formatMessage("API_JOB_FAILED", { job: job.view.id }) },
      };
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.finished_at !== null);
    for (const job of finished.slice(0, Math.max(0, this.jobs.size - KEPT))) this.jobs.delete(job.view.id);
  }
}
