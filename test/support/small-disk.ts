import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Small filesystems made inside a test, for disk-full and read-only cases.
 * They need root on Linux (`mount`); elsewhere the tests that use them are
 * skipped with the reason in their name (`it.skipIf(!canMount())`).
 */

let probed: boolean | null = null;

/** Whether this process may mount a tmpfs (root on Linux, mount permitted); probed once. */
export function canMountTmpfs(): boolean {
  if (probed !== null) return probed;
  probed = false;
  if (process.platform !== "linux" || process.getuid?.() !== 0) return probed;
  const dir = join(tmpdir(), `tw-probe-${process.pid}-${Date.now()}`);
  try {
    execFileSync("mkdir", ["-p", dir]);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { stdio: "ignore" });
    execFileSync("umount", [dir], { stdio: "ignore" });
    probed = true;
  } catch {
    probed = false;
  } finally {
    execFileSync("rm", ["-rf", dir]);
  }
  return probed;
}

/** Run `fn` with a fresh tmpfs of `sizeBytes` mounted at a temporary folder; always unmounted after. */
export async function withSmallDisk<T>(sizeBytes: number, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "tw-small-disk-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${Math.max(4096, sizeBytes)}`, "tmpfs", dir]);
  try {
    return await fn(dir);
  } finally {
    execFileSync("umount", ["-l", dir]);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Run `fn` with `source` (a folder) visible read-only at a temporary folder
 * (a read-only bind mount); always unmounted after.
 */
export async function withReadOnlyView<T>(source: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "tw-read-only-"));
  execFileSync("mount", ["--bind", source, dir]);
  try {
    execFileSync("mount", ["-o", "remount,bind,ro", dir]);
    return await fn(dir);
  } finally {
    execFileSync("umount", ["-l", dir]);
    await rm(dir, { recursive: true, force: true });
  }
}
