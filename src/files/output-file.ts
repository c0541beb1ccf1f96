import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";

/**
 * Output files are written whole: staged, then put in place only when
 * complete. A regular file (or a new path) is replaced by a rename from a
 * staging folder beside it (the same file system, so the rename is atomic).
 * A device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe) is
 * written into instead: a rename would replace the device node itself with
 * a plain file — for root, `/dev/null` would stop being a device.
 */

/** Whether `path` is an existing device, FIFO or socket (followed through symbolic links). */
export async function isSpecialFile(path: string): Promise<boolean> {
  const found = await stat(path).catch(() => null);
  return found !== null && !found.isFile() && !found.isDirectory();
}

/** A fresh private folder to stage `target` in: beside it, or in the system temp folder for a special file. */
export async function stagingFolder(target: string, prefix: string): Promise<string> {
  const near = (await isSpecialFile(target)) ? tmpdir() : dirname(resolve(target));
  return mkdtemp(join(near, prefix));
}

/** Put the finished `staging` file at `target`: renamed, or copied into a special file and removed. */
export async function placeFile(staging: string, target: string): Promise<void> {
  if (!(await isSpecialFile(target))) {
    await rename(staging, target);
    return;
  }
  await pipeline(createReadStream(staging), createWriteStream(target));
  await rm(staging, { force: true });
}
