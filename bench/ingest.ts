import { existsSync } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { DuckDbEngine } from "../src/engine/duckdb-engine.js";
import { generateDataset } from "../src/generate/index.js";
import { ingestDirectory } from "../src/ingest/ingest.js";
import { ident, sql } from "../src/sql/index.js";
import { ensureStoreSchema } from "../src/store/schema.js";
import { rawRows } from "../test/support/raw-rows.js";

const AS_OF = "2026-01-01";

async function timed<T>(label: string, work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(`${label.padEnd(44)} ${seconds.toFixed(2).padStart(8)} s\n`);
  return { seconds, value };
}

/**
 * Ingest of a generated business versus the floor: DuckDB reading the same
 * CSV files with a bare read_csv into tables of a fresh store, in this run.
 */
export async function benchIngest(customers: number): Promise<void> {
  const root = join(".bench", `ingest-${customers}`);
  const data = join(root, "data");
  if (!existsSync(join(data, "orders.csv"))) {
    await timed(`generate ${customers.toLocaleString("en-US")} customers`, () =>
      generateDataset({ outDir: data, customers, seed: 1, format: "csv", asOf: AS_OF }),
    );
  }
  const files = (await readdir(data)).filter((f) => f.endsWith(".csv")).sort();
  let bytes = 0;
  for (const f of files) bytes += (await stat(join(data, f))).size;

  const floorDb = join(root, "floor.duckdb");
  const storeDb = join(root, "store.duckdb");
  for (const p of [floorDb, `${floorDb}.wal`, storeDb, `${storeDb}.wal`]) await rm(p, { force: true });
  await mkdir(root, { recursive: true });

  const floor = await timed("floor: bare read_csv into tables", async () => {
    const engine = await DuckDbEngine.open({ path: floorDb });
    let rows = 0;
    for (const f of files) {
      const table = f.replace(/\.csv$/, "");
      await engine.exec(sql`CREATE TABLE ${ident(table)} AS SELECT * FROM read_csv(${join(data, f)})`);
      const n = await engine.query(rawRows<{ n: string }>(sql`SELECT count(*) AS n FROM ${ident(table)}`));
      rows += Number(n[0]?.n ?? 0);
    }
    await engine.close();
    return rows;
  });

  const engine = await DuckDbEngine.open({ path: storeDb });
  await ensureStoreSchema(engine);
  const ingest = await timed("tierwise ingest (fresh store)", () =>
    ingestDirectory(engine, { dir: data, rejectsPath: join(root, "store.rejects.csv") }),
  );
  const again = await timed("tierwise ingest again (all unchanged)", () =>
    ingestDirectory(engine, { dir: data, rejectsPath: join(root, "store.rejects.csv") }),
  );
  await engine.close();

  const read = ingest.value.tables.reduce((s, t) => s + t.read, 0);
  const rejected = ingest.value.tables.reduce((s, t) => s + t.rejected, 0);
  const unchanged = again.value.tables.reduce((s, t) => s + t.unchanged, 0);
  process.stdout.write(
    [
      "",
      `input: ${files.length} CSV files, ${(bytes / 1e6).toFixed(0)} MB, ${read.toLocaleString("en-US")} rows (floor read ${floor.value.toLocaleString("en-US")})`,
      `ingest: ${Math.round(read / ingest.seconds).toLocaleString("en-US")} rows/s, ${rejected} rejected`,
      `floor:  ${Math.round(floor.value / floor.seconds).toLocaleString("en-US")} rows/s`,
      `ratio ingest / floor: ${(ingest.seconds / floor.seconds).toFixed(2)}x (aim: <= 2x)`,
      `re-ingest / floor:    ${(again.seconds / floor.seconds).toFixed(2)}x (${unchanged.toLocaleString("en-US")} rows unchanged)`,
      "",
    ].join("\n"),
  );
}
