import { randomBytes } from "node:crypto";
import { open, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { Engine } from "../engine/engine.js";
import { TierwiseError, writeFailureReason } from "../errors/index.js";
import { isSpecialFile, placeFile } from "../files/output-file.js";
import { rejectsFileSql } from "../sql/ingest/rejects.js";

/**
 * The rejects file is written before the store commits: to a staging file
 * next to its target, synced to disk inside the store transaction, and
 * renamed into place once the store has committed. When it cannot be
 * written (disk full, read-only folder), the transaction rolls back, so an
 * ingest never keeps rows whose rejects are recorded nowhere.
 */

function unwritable(path: string, error: unknown): TierwiseError {
  return new TierwiseError("REJECTS_UNWRITABLE", { path, reason: writeFailureReason(error) });
}

/** Beside the target, or in the system temp folder when the target is a device or FIFO (`/dev/null`). */
async function stagingPath(path: string): Promise<string> {
  const near = (await isSpecialFile(path)) ? tmpdir() : dirname(path);
  return join(near, `.${basename(path)}.${process.pid}-${randomBytes(4).toString("hex")}.partial`);
}

/**
 * Fail fast, before any heavy work, when the rejects file's folder does not
 * take a new file: create and remove a small probe file there.
 */
export async function checkRejectsWritable(path: string): Promise<void> {
  // A device or FIFO (`/dev/null`) is written into after commit, never replaced; opening a FIFO here would wait for its reader.
  if (await isSpecialFile(path)) return;
  const probe = await stagingPath(path);
  try {
    const handle = await open(probe, "wx");
    try {
      await handle.write("tierwise\n");
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unwritable(path, error);
  } finally {
    await rm(probe, { force: true });
  }
  await removeAbandonedStaging(path);
}

/**
 * Remove the staging files of this target that an ingest killed between
 * writing and renaming left behind: those whose process is gone.
 */
async function removeAbandonedStaging(path: string): Promise<void> {
  const name = basename(path);
  const dir = dirname(path);
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    if (!entry.startsWith(`.${name}.`) || !entry.endsWith(".partial")) continue;
    const pid = Number(/^(\d+)-[0-9a-f]{8}\.partial$/.exec(entry.slice(name.length + 2))?.[1]);
    if (Number.isSafeInteger(pid) && !isRunning(pid)) await rm(join(dir, entry), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A rejects file written and synced at a staging path, to be `place`d after commit or `discard`ed. */
export interface StagedRejects {
  place(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Write this ingest's rejects (the `tw_rejects` table) to a synced staging
 * file next to `path`; text cells are guarded against spreadsheet formulas
 * unless `spreadsheet` is false (`--raw`).
 */
export async function stageRejectsFile(engine: Engine, path: string, spreadsheet: boolean): Promise<StagedRejects> {
  const staging = await stagingPath(path);
  const discard = () => rm(staging, { force: true });
  try {
    await engine.exportCsv(rejectsFileSql(spreadsheet), staging);
    const handle = await open(staging, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await discard().catch(() => undefined);
    throw unwritable(path, error);
  }
  return {
    async place() {
      try {
        await placeFile(staging, path);
      } catch (error) {
        await discard().catch(() => undefined);
        throw new TierwiseError("REJECTS_NOT_PLACED", { path, reason: writeFailureReason(error) });
      }
      await syncFolder(dirname(path));
    },
    discard,
  };
}

/** Make a rename durable (best effort: not every platform syncs folders). */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // A folder that cannot be opened or synced (Windows) keeps the rename as the system wrote it.
  }
}
