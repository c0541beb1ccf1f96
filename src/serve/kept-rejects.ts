import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The rejects files kept for `GET /jobs/{id}/rejects`: those of the last ingests. */
export const KEPT_REJECTS = 20;

/**
 * The rejects files of the server's ingest jobs, in a temporary folder of
 * their own (made at the first ingest, removed when the server closes):
 * each job writes its file to `newPath()`, `keep` files it under the job's
 * id, and the oldest goes once more than `KEPT_REJECTS` are kept.
 */
export class KeptRejects {
  private folder: Promise<string> | undefined;
  private readonly files = new Map<string, string>();

  /** A fresh path for one ingest's rejects file. */
  async newPath(): Promise<string> {
    this.folder ??= mkdtemp(join(tmpdir(), "tierwise-rejects-"));
    return join(await this.folder, `${randomUUID()}.rejects.csv`);
  }

  async keep(jobId: string, path: string): Promise<void> {
    this.files.set(jobId, path);
    for (const [id, old] of this.files) {
      if (this.files.size <= KEPT_REJECTS) break;
      this.files.delete(id);
      await rm(old, { force: true });
    }
  }

  /** A failed ingest's file (if any) goes at once. */
  async discard(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  get(jobId: string): string | undefined {
    return this.files.get(jobId);
  }

  /** Remove every kept file and the folder (the server closes). */
  async close(): Promise<void> {
    const folder = this.folder;
    this.folder = undefined;
    this.files.clear();
    if (folder) await rm(await folder, { recursive: true, force: true });
  }
}
