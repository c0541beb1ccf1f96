/**
 * The disk of the store fills up during ingest or run: the command stops
 * with DISK_FULL naming the store and the space left, and the store holds
 * exactly what it held before (rows per table). The store lives on a small
 * tmpfs made in the test (test/support/small-disk.ts), a little larger than
 * the store: needs root, skipped with that reason otherwise.
 */
import { copyFile, mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { canMountTmpfs, withSmallDisk } from "../support/small-disk.js";
import { fingerprint, inputFolder, makeStore } from "./store-fixture.js";

const root = canMountTmpfs();
let small: string;
let graded: string;
let big: string;

/** Room left on the small disk beside the store: too little for the work each test starts. */
const HEADROOM = 256 * 1024;

beforeAll(async () => {
  if (!root) return;
  const dir = await mkdtemp(join(tmpdir(), "tw-store-full-"));
  small = join(dir, "small.duckdb");
  await makeStore(small, 10, false);
  graded = join(dir, "graded.duckdb");
  await makeStore(graded, 6000, false);
  big = await inputFolder(30_000);
});

/** Copy `store` onto a fresh tmpfs with HEADROOM to spare and run `fn` on the copy. */
async function onSmallDisk(store: string, fn: (db: string) => Promise<void>): Promise<void> {
  const size = (await stat(store)).size;
  await withSmallDisk(size + HEADROOM, async (disk) => {
    const db = join(disk, "shop.duckdb");
    await copyFile(store, db);
    await fn(db);
  });
}

const DISK_FULL =
  /^error: DISK_FULL: the disk holding .*shop\.duckdb is full \([\d.]+ (bytes|KB|MB) free\): the command stopped and the store keeps what it held before; free some space and run again\n$/;

describe("the store's disk is full", () => {
  it.skipIf(!root)(
    "ingest that does not fit: DISK_FULL, the store unchanged (needs root to mount a tmpfs)",
    async () => {
      await onSmallDisk(small, async (db) => {
        const before = await fingerprint(db);
        const r = await runCli(["ingest", big, "--db", db, "--rejects", join(tmpdir(), `tw-full-${process.pid}.csv`)]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(DISK_FULL);
        expect(await fingerprint(db)).toEqual(before);
        const summary = await runCli(["summary", "--db", db]);
        expect(summary.code, summary.stderr).toBe(0);
      });
    },
  );

  it.skipIf(!root)("run that does not fit: DISK_FULL, no run recorded (needs root to mount a tmpfs)", async () => {
    await onSmallDisk(graded, async (db) => {
      const before = await fingerprint(db);
      expect(before["tw_runs"]).toBe(0);
      const r = await runCli(["run", "--preset", "all", "--as-of", "2025-12-31", "--db", db]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(DISK_FULL);
      expect(await fingerprint(db)).toEqual(before);
      const runs = await runCli(["runs", "--db", db]);
      expect(runs.stdout).toContain("no runs yet");
    });
  });
});
