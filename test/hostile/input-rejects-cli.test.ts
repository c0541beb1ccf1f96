import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { raw, records } from "../../src/sql/index.js";
import { openStore } from "../../src/store/index.js";
import { csv, ORDERS_HEADER } from "../ingest/support/corpus.js";
import { runCli } from "../support/cli.js";
import { CUSTOMERS_CSV } from "../support/ingest-fixture.js";
import { canMountTmpfs, withReadOnlyView, withSmallDisk } from "../support/small-disk.js";

/** 1,000 good orders and 1,000 with an impossible date: a rejects file of about 150 KB. */
const ORDERS = csv(
  ORDERS_HEADER,
  ...Array.from({ length: 2000 }, (_, i) => `O${i + 1},C1,${i % 2 === 0 ? "2024-01-01" : "2024-02-30"},${i + 1}`),
);

async function inputDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tw-rejects-cli-"));
  await writeFile(join(dir, "customers.csv"), CUSTOMERS_CSV);
  await writeFile(join(dir, "orders.csv"), ORDERS);
  return dir;
}

async function orderCount(db: string): Promise<number> {
  const engine = await openStore(db);
  try {
    return Number((await engine.query(records(raw("SELECT count(*) AS n FROM orders"))))[0]?.["n"]);
  } finally {
    await engine.close();
  }
}

/** A store file holding one earlier ingest of 3 orders. */
async function storeWithThreeOrders(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tw-rejects-cli-db-"));
  await writeFile(join(dir, "customers.csv"), CUSTOMERS_CSV);
  await writeFile(
    join(dir, "orders.csv"),
    csv(ORDERS_HEADER, "E1,C1,2024-01-01,1", "E2,C1,2024-01-01,2", "E3,C2,2024-01-01,3"),
  );
  const db = join(dir, "shop.duckdb");
  expect((await runCli(["ingest", dir, "--db", db])).code).toBe(0);
  return db;
}

describe("hostile environment through the CLI: exit 1 means the store is untouched", () => {
  it.skipIf(!canMountTmpfs())(
    "input-rejects-cli-disk-full: --rejects on a full disk exits 1 with REJECTS_UNWRITABLE and the store keeps its 3 orders (needs root to mount a tmpfs)",
    async () => {
      const db = await storeWithThreeOrders();
      const input = await inputDir();
      await withSmallDisk(32 * 1024, async (disk) => {
        const path = join(disk, "shop.rejects.csv");
        const r = await runCli(["ingest", input, "--db", db, "--rejects", path]);
        expect(r.code).toBe(1);
        expect(r.stderr.trim()).toBe(
          `error: REJECTS_UNWRITABLE: cannot write the rejects file ${path}: no space left on device; the store is unchanged`,
        );
        expect(await readdir(disk)).toEqual([]);
      });
      expect(await orderCount(db)).toBe(3);
    },
  );

  it.skipIf(!canMountTmpfs())(
    "input-rejects-cli-read-only: --rejects in a read-only folder is refused at once (needs root to mount a tmpfs)",
    async () => {
      const db = await storeWithThreeOrders();
      const input = await inputDir();
      await withReadOnlyView(input, async (readOnly) => {
        const path = join(readOnly, "out.rejects.csv");
        const r = await runCli(["ingest", input, "--db", db, "--rejects", path]);
        expect(r.code).toBe(1);
        expect(r.stderr.trim()).toBe(
          `error: REJECTS_UNWRITABLE: cannot write the rejects file ${path}: the file system is read-only; the store is unchanged`,
        );
      });
      expect(await orderCount(db)).toBe(3);
    },
  );
});
