import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { canMountTmpfs } from "../support/small-disk.js";
import { smallStore, tempDir } from "./errors-corpus.js";

/**
 * An output path that is a device (`--rejects /dev/null`, `--out
 * /dev/stdout`) is written into, never replaced: outputs are staged and
 * renamed into place, and a rename over a device node makes it a plain
 * file (run as root, `--rejects /dev/null` once turned the machine's
 * /dev/null into a regular file). The tests use a null device made in a
 * temporary folder (mknod needs root, as mounting a tmpfs does), never the
 * real /dev/null.
 */
const root = canMountTmpfs();

describe("hostile environment: outputs that are devices", () => {
  let dir = "";
  let store = { db: "", data: "" };
  beforeAll(async () => {
    if (!root) return;
    dir = await tempDir("tw-special-");
    store = await smallStore(dir);
    await runCli(["run", "--preset", "value-grades", "--db", store.db, "--as-of", "2026-01-01"]);
  });

  /** A fresh null device (character device 1,3) named `name` in the test folder. */
  function nullDevice(name: string): string {
    const path = join(dir, name);
    execFileSync("mknod", ["-m", "666", path, "c", "1", "3"]);
    return path;
  }

  it.skipIf(!root)(
    "input-special-rejects: ingest --rejects onto a null device keeps it a device (needs root for mknod)",
    async () => {
      const device = nullDevice("rejects-null");
      const r = await runCli(["ingest", store.data, "--db", store.db, "--rejects", device]);
      expect(r.code, r.stderr).toBe(0);
      expect(statSync(device).isCharacterDevice()).toBe(true);
      expect((await readdir(dir)).filter((f) => f.includes(".partial"))).toEqual([]);
    },
  );

  it.skipIf(!root)(
    "input-special-export: export --out onto a null device keeps it a device (needs root for mknod)",
    async () => {
      const device = nullDevice("grades.csv");
      const r = await runCli(["export", "--db", store.db, "--out", device]);
      expect(r.code, r.stderr).toBe(0);
      expect(statSync(device).isCharacterDevice()).toBe(true);
      expect((await readdir(dir)).filter((f) => f.startsWith(".tierwise-"))).toEqual([]);
    },
  );

  it.skipIf(!root)(
    "input-special-recommend: recommend --out onto a null device keeps it a device (needs root for mknod)",
    async () => {
      const device = nullDevice("recs.csv");
      const r = await runCli(["recommend", "--db", store.db, "--scheme", "value-grades", "--out", device]);
      expect(r.code, r.stderr).toBe(0);
      expect(statSync(device).isCharacterDevice()).toBe(true);
    },
  );
});
