/**
 * A store that cannot be written (a read-only mount of its folder, or the
 * file alone mounted read-only): the commands that only read it work, the
 * ones that write fail with STORE_READ_ONLY naming the path, and the store
 * is unchanged. Needs root to make the read-only bind mounts
 * (test/support/small-disk.ts); skipped with that reason otherwise.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { canMountTmpfs, withReadOnlyView } from "../support/small-disk.js";
import { fingerprint, inputFolder, makeStore } from "./store-fixture.js";

const root = canMountTmpfs();
let folder: string;
let store: string;
let outDir: string;

beforeAll(async () => {
  if (!root) return;
  folder = await mkdtemp(join(tmpdir(), "tw-store-ro-"));
  store = join(folder, "shop.duckdb");
  await makeStore(store, 15);
  outDir = await mkdtemp(join(tmpdir(), "tw-store-ro-out-"));
});

/** Reading commands that write nothing outside the store. */
const READERS: readonly (readonly string[])[] = [
  ["summary"],
  ["report"],
  ["explain", "C000001"],
  ["history", "C000001"],
  ["runs"],
  ["events"],
  ["override", "list"],
];

/** `path` (one file) seen read-only at the same place while `fn` runs; always unmounted. */
async function withReadOnlyFile<T>(path: string, fn: () => Promise<T>): Promise<T> {
  execFileSync("mount", ["--bind", path, path]);
  try {
    execFileSync("mount", ["-o", "remount,bind,ro", path]);
    return await fn();
  } finally {
    execFileSync("umount", ["-l", path]);
  }
}

describe("a read-only store", () => {
  it.skipIf(!root)("read-only mount: reading commands work (needs root to mount a tmpfs)", async () => {
    await withReadOnlyView(folder, async (view) => {
      const db = join(view, "shop.duckdb");
      for (const args of READERS) {
        const r = await runCli([...args, "--db", db]);
        expect(r.stderr, args.join(" ")).not.toContain("error");
        expect(r.code, args.join(" ")).toBe(0);
      }
      const out = join(outDir, "export.csv");
      const exported = await runCli(["export", "--out", out, "--db", db]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain(`to ${out}`);
    });
  });

  it.skipIf(!root)(
    "read-only mount: run and ingest fail with STORE_READ_ONLY naming the path (needs root to mount a tmpfs)",
    async () => {
      const before = await fingerprint(store);
      const input = await inputFolder(5);
      await withReadOnlyView(folder, async (view) => {
        const db = join(view, "shop.duckdb");
        const expected = `error: STORE_READ_ONLY: ${db} cannot be written (it is on a read-only file system); this command writes to the store — commands that only read it (report, explain, export…) still work\n`;
        const run = await runCli(["run", "--preset", "value-grades", "--as-of", "2026-01-31", "--db", db]);
        expect(run.code).toBe(1);
        expect(run.stderr).toBe(expected);
        const ingest = await runCli(["ingest", input, "--db", db, "--rejects", join(outDir, "rejects.csv")]);
        expect(ingest.code).toBe(1);
        expect(ingest.stderr).toBe(expected);
      });
      expect(await fingerprint(store)).toEqual(before);
    },
  );

  it.skipIf(!root)(
    "read-only mount: ingest into a new store there fails with STORE_READ_ONLY and creates nothing (needs root to mount a tmpfs)",
    async () => {
      const input = await inputFolder(5);
      const empty = await mkdtemp(join(tmpdir(), "tw-store-ro-empty-"));
      await withReadOnlyView(empty, async (view) => {
        const db = join(view, "new.duckdb");
        const r = await runCli(["ingest", input, "--db", db, "--rejects", join(outDir, "new-rejects.csv")]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(
          /^error: STORE_READ_ONLY: .*new\.duckdb cannot be written \(it is on a read-only file system\)/,
        );
      });
      expect(await readdir(empty)).toEqual([]);
    },
  );

  it.skipIf(!root)(
    "read-only file in a writable folder: summary reads it, run fails with STORE_READ_ONLY (needs root to mount a tmpfs)",
    async () => {
      const before = await fingerprint(store);
      await withReadOnlyFile(store, async () => {
        const summary = await runCli(["summary", "--db", store]);
        expect(summary.code, summary.stderr).toBe(0);
        const run = await runCli(["run", "--preset", "value-grades", "--as-of", "2026-01-31", "--db", store]);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(
          /^error: STORE_READ_ONLY: .*shop\.duckdb cannot be written \(it is on a read-only file system\)/,
        );
      });
      expect(await fingerprint(store)).toEqual(before);
    },
  );

  it.skipIf(!root)(
    "read-only folder with a writable file: summary reads it, run says the folder cannot take the log (needs root to mount a tmpfs)",
    async () => {
      const before = await fingerprint(store);
      await withReadOnlyView(folder, async (view) => {
        const db = join(view, "shop.duckdb");
        // The file itself stays writable: the original bind-mounted over its read-only view.
        execFileSync("mount", ["--bind", store, db]);
        try {
          const summary = await runCli(["summary", "--db", db]);
          expect(summary.code, summary.stderr).toBe(0);
          const run = await runCli(["run", "--preset", "value-grades", "--as-of", "2026-01-31", "--db", db]);
          expect(run.code).toBe(1);
          expect(run.stderr).toBe(
            `error: STORE_READ_ONLY: ${db} cannot be written (its folder is on a read-only file system: DuckDB writes shop.duckdb.wal beside it); this command writes to the store — commands that only read it (report, explain, export…) still work\n`,
          );
        } finally {
          execFileSync("umount", ["-l", db]);
        }
      });
      expect(await fingerprint(store)).toEqual(before);
    },
  );
});
