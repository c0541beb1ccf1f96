/**
 * A small Tierwise store made through the real CLI for the store-* hostile
 * tests, and its fingerprint (rows per table) to prove a failed command left
 * it exactly as it was.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import { ident, sql } from "../../src/sql/index.js";
import { runCli } from "../support/cli.js";
import { rawRows } from "../support/raw-rows.js";

/** A folder of input files: `customers` customers with three orders each in 2025. */
export async function inputFolder(customers: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tw-store-input-"));
  const people = ["customer_id,name,kind"];
  const orders = ["order_id,customer_id,ordered_at,amount,status"];
  for (let i = 1; i <= customers; i += 1) {
    const id = `C${String(i).padStart(6, "0")}`;
    people.push(`${id},Customer ${i},${i % 4 === 0 ? "b2b" : "b2c"}`);
    for (let k = 1; k <= 3; k += 1) {
      orders.push(`O${i}-${k},${id},2025-0${k * 3}-1${k},${(i % 97) * 10 + k}.50,completed`);
    }
  }
  await writeFile(join(dir, "customers.csv"), `${people.join("\n")}\n`);
  await writeFile(join(dir, "orders.csv"), `${orders.join("\n")}\n`);
  return dir;
}

/** Ingest `customers` customers into a new store at `db` (its folder is made) and, with `graded`, run value-grades once. */
export async function makeStore(db: string, customers: number, graded = true): Promise<void> {
  await mkdir(join(db, ".."), { recursive: true });
  const ingest = await runCli(["ingest", await inputFolder(customers), "--db", db]);
  if (ingest.code !== 0) throw new Error(`ingest failed: ${ingest.stderr}`);
  if (!graded) return;
  const run = await runCli(["run", "--preset", "value-grades", "--as-of", "2025-12-31", "--db", db]);
  if (run.code !== 0) throw new Error(`run failed: ${run.stderr}`);
}

/** Rows per table of the DuckDB store at `db` (opened read-only): equal fingerprints, equal contents by count. */
export async function fingerprint(db: string): Promise<Record<string, number>> {
  const engine = await DuckDbEngine.open({ path: db, readOnly: true });
  try {
    const tables = await engine.query(
      rawRows<{ name: string }>(
        sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name`,
      ),
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const rows = await engine.query(rawRows<{ n: unknown }>(sql`SELECT count(*) AS n FROM ${ident(name)}`));
      counts[name] = Number(rows[0]?.n ?? 0);
    }
    return counts;
  } finally {
    await engine.close();
  }
}
