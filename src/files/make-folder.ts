import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Create a folder and its missing parents, like `mkdir -p`, failing with the
 * file-system error of the level that cannot be made. Node's own
 * `mkdir(…, { recursive: true })` never returns for a path under `/proc` or
 * `/sys` (those answer ENOENT for a child they cannot hold, and it retries the
 * parent forever): here each level is tried at most twice.
 */
export async function makeFolder(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && (await isFolder(path))) return;
    const parent = dirname(path);
    if (code !== "ENOENT" || parent === path) throw error;
    await makeFolder(parent);
    await mkdir(path).catch(async (again: NodeJS.ErrnoException) => {
      if (again.code !== "EEXIST" || !(await isFolder(path))) throw again;
    });
  }
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}
