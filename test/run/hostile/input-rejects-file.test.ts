import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TierwiseError, TierwiseErrors } from "../../../src/errors/index.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { csv, EMPTY_STORE, ORDERS_HEADER, storeCounts } from "../../ingest/support/corpus.js";
import { CUSTOMERS_CSV, writeInput } from "../../support/ingest-fixture.js";
import { canMountTmpfs, withReadOnlyView, withSmallDisk } from "../../support/small-disk.js";
import { memoryStore } from "../support.js";

/** 2,000 good orders and 2,000 with an impossible date: a rejects file of about 300 KB. */
const ORDERS = csv(
  ORDERS_HEADER,
  ...Array.from({ length: 4000 }, (_, i) => `O${i + 1},C1,${i % 2 === 0 ? "2024-01-01" : "2024-02-30"},${i + 1}`),
);

/** Ingest into a fresh store with the rejects file at `rejectsPath`: the coded problems, and the store's row counts. */
async function ingestWithRejectsAt(
  rejectsPath: string,
): Promise<{ problems: string[]; counts: Record<string, number> }> {
  const engine = await memoryStore();
  try {
    const dir = await writeInput({ "customers.csv": CUSTOMERS_CSV, "orders.csv": ORDERS });
    let problems: string[] = [];
    try {
      await ingestDirectory(engine, { dir, rejectsPath });
    } catch (error) {
      const errors = error instanceof TierwiseErrors ? error.errors : error instanceof TierwiseError ? [error] : null;
      if (!errors) throw error;
      problems = errors.map((e) => `${e.code}: ${e.message}`);
    }
    return { problems, counts: await storeCounts(engine) };
  } finally {
    await engine.close();
  }
}

describe("hostile environment: the rejects file is written before the store commits", () => {
  it.skipIf(!canMountTmpfs())(
    "input-rejects-disk-full: a full disk under the rejects file rolls the ingest back, no partial file left (needs root to mount a tmpfs)",
    async () => {
      await withSmallDisk(64 * 1024, async (disk) => {
        const path = join(disk, "shop.rejects.csv");
        const { problems, counts } = await ingestWithRejectsAt(path);
        expect(problems).toEqual([
          `REJECTS_UNWRITABLE: cannot write the rejects file ${path}: no space left on device; the store is unchanged`,
        ]);
        expect(counts).toEqual(EMPTY_STORE);
        expect(await readdir(disk)).toEqual([]);
      });
    },
  );

  it.skipIf(!canMountTmpfs())(
    "input-rejects-read-only: a read-only folder for the rejects file is refused before any work (needs root to mount a tmpfs)",
    async () => {
      const source = await mkdtemp(join(tmpdir(), "tw-rejects-ro-"));
      await writeFile(join(source, "shop.rejects.csv"), "an older rejects file\n");
      await withReadOnlyView(source, async (dir) => {
        const path = join(dir, "shop.rejects.csv");
        const { problems, counts } = await ingestWithRejectsAt(path);
        expect(problems).toEqual([
          `REJECTS_UNWRITABLE: cannot write the rejects file ${path}: the file system is read-only; the store is unchanged`,
        ]);
        expect(counts).toEqual(EMPTY_STORE);
      });
      expect(await readFile(join(source, "shop.rejects.csv"), "utf8")).toBe("an older rejects file\n");
    },
  );

  it("input-rejects-missing-folder: a rejects file in a folder that does not exist is refused, store unchanged", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "tw-rejects-")), "no-such-folder", "shop.rejects.csv");
    const { problems, counts } = await ingestWithRejectsAt(path);
    expect(problems).toEqual([
      `REJECTS_UNWRITABLE: cannot write the rejects file ${path}: the folder does not exist; the store is unchanged`,
    ]);
    expect(counts).toEqual(EMPTY_STORE);
  });

  it("input-rejects-staged: a written rejects file holds every reject and no staging file is left", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-rejects-"));
    const path = join(dir, "shop.rejects.csv");
    const { problems, counts } = await ingestWithRejectsAt(path);
    expect(problems).toEqual([]);
    expect(counts["orders"]).toBe(2000);
    expect(await readdir(dir)).toEqual(["shop.rejects.csv"]);
    expect((await readFile(path, "utf8")).trimEnd().split("\n")).toHaveLength(2001);
  });

  it("input-rejects-abandoned: staging files a killed ingest left are removed by the next one; a live one is kept", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-rejects-"));
    const path = join(dir, "shop.rejects.csv");
    // A process that has exited: its pid is free (and a pid above the kernel's maximum never runs).
    const gone = `.shop.rejects.csv.${2 ** 22 + 1}-0badc0de.partial`;
    const live = `.shop.rejects.csv.${process.pid}-00c0ffee.partial`;
    const other = ".other.rejects.csv.1-00000000.partial";
    for (const name of [gone, live, other]) await writeFile(join(dir, name), "half a rejects file");
    const { problems } = await ingestWithRejectsAt(path);
    expect(problems).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual([other, live, "shop.rejects.csv"].sort());
  });
});
