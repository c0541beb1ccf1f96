/**
 * File permissions, as a user who is not the store's owner: a store that
 * user may not read, one it may read but not write, and one whose folder it
 * may not write (DuckDB's log goes beside the store). Root ignores
 * permissions, so the CLI runs as the `nobody` user; the test needs root to
 * start it so and is skipped with that reason otherwise.
 */
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { chmod, chown, copyFile, mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { fingerprint, makeStore } from "./store-fixture.js";
import { startCli } from "./store-processes.js";

/** Whether every folder above the checkout lets other users through (`nobody` must run the CLI from it). */
function checkoutReachable(): boolean {
  for (let d = fileURLToPath(new URL("../../", import.meta.url)); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/**
 * The uid of `nobody` when this process is root, the user exists and can
 * reach the checkout (not one in a 0700 folder such as `mktemp -d` or /root), else null.
 */
function nobody(): number | null {
  if (process.platform !== "linux" || process.getuid?.() !== 0 || !checkoutReachable()) return null;
  try {
    return Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim());
  } catch {
    return null;
  }
}

const uid = nobody();
let dir: string;
let original: string;

beforeAll(async () => {
  if (uid === null) return;
  dir = await mkdtemp(join(tmpdir(), "tw-store-perm-"));
  await chmod(dir, 0o755);
  original = join(dir, "made", "shop.duckdb");
  await makeStore(original, 10);
});

/** A copy of the store in its own folder (mode `folderMode`, root's) with the file's mode and owner set. */
async function copyWith(name: string, fileMode: number, fileOwner: number, folderMode = 0o755): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder);
  const db = join(folder, "shop.duckdb");
  await copyFile(original, db);
  await chown(db, fileOwner, fileOwner);
  await chmod(db, fileMode);
  await chmod(folder, folderMode);
  return db;
}

const asNobody = (args: readonly string[]) => startCli(args, uid ?? undefined).done;
const WRITES = ["run", "--preset", "value-grades", "--as-of", "2026-01-31"];

describe("store permissions, as another user", () => {
  it.skipIf(uid === null)(
    "a store the user may not read: STORE_UNREADABLE, permission denied, for reading and writing commands (needs root to run as nobody)",
    async () => {
      const db = await copyWith("unreadable", 0o000, 0);
      for (const args of [["summary"], WRITES]) {
        const r = await asNobody([...args, "--db", db]);
        expect(r.code, args.join(" ")).toBe(1);
        expect(r.stderr).toBe(`error: STORE_UNREADABLE: ${db} cannot be read: permission denied\n`);
      }
    },
  );

  it.skipIf(uid === null)(
    "a store the user may read but not write: reports work, run says STORE_READ_ONLY, permission denied (needs root to run as nobody)",
    async () => {
      const db = await copyWith("read-only-file", 0o644, 0);
      const before = await fingerprint(db);
      const report = await asNobody(["report", "--db", db]);
      expect(report.code, report.stderr).toBe(0);
      const run = await asNobody([...WRITES, "--db", db]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `^error: STORE_READ_ONLY: ${db} cannot be written \\(permission denied\\); this command writes to the store`,
        ),
      );
      expect(await fingerprint(db)).toEqual(before);
    },
  );

  it.skipIf(uid === null)(
    "a writable store in a folder the user may not write: run says the user may not write the folder (needs root to run as nobody)",
    async () => {
      const db = await copyWith("read-only-folder", 0o644, uid ?? 0, 0o755);
      const before = await fingerprint(db);
      const run = await asNobody([...WRITES, "--db", db]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `error: STORE_READ_ONLY: ${db} cannot be written (this user may not write its folder: DuckDB writes shop.duckdb.wal beside it); this command writes to the store — commands that only read it (report, explain, export…) still work\n`,
      );
      expect(await fingerprint(db)).toEqual(before);
    },
  );
});
