import { existsSync } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DuckDbEngine } from "../src/engine/duckdb-engine.js";
import { generateShopExport, SHOP_EXPORT_FILE } from "../src/generate/index.js";
import { ingestDirectory } from "../src/ingest/ingest.js";
import { col, raw, type SqlFragment, select, sql } from "../src/sql/index.js";
import { ensureStoreSchema } from "../src/store/schema.js";

const AS_OF = "2026-01-01";
const ROUNDS = 3;
const MAPPING = resolve("examples/shop-export.mapping.yaml");

async function timed<T>(label: string, work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(`${label.padEnd(44)} ${seconds.toFixed(2).padStart(8)} s\n`);
  return { seconds, value };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The floor: what the example mapping asks for, hand-written for DuckDB. The
 * file is read once into a typed temporary table (DuckDB keeps insertion order, so
 * its `rowid` is the file order;
 * InvoiceDate read as Europe/London local time and stored as UTC), then the
 * four canonical tables are built from it with GROUP BY: order lines and
 * orders of the lines with a customer (an order per invoice: first
 * customer, first time, summed amount, credit when the number starts with
 * C), customers (first order, most frequent country), products from every
 * line (most frequent description).
 */
export function floorStatements(file: string): readonly SqlFragment[] {
  return [
    sql`SET TimeZone = 'Europe/London'`,
    sql`CREATE TEMP TABLE src AS
SELECT InvoiceNo, StockCode, Description, Quantity, UnitPrice, CustomerID, Country,
  timezone('UTC', CAST(strptime(InvoiceDate, '%m/%d/%Y %H:%M') AS TIMESTAMPTZ)) AS at_utc
FROM read_csv(${file}, header = true, columns = {
  'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'INTEGER',
  'InvoiceDate': 'VARCHAR', 'UnitPrice': 'DECIMAL(12,2)', 'CustomerID': 'VARCHAR', 'Country': 'VARCHAR'})`,
    sql`SET TimeZone = 'UTC'`,
    sql`CREATE TABLE order_lines AS
SELECT InvoiceNo AS order_id, row_number() OVER (PARTITION BY InvoiceNo ORDER BY rowid) AS line_no,
  StockCode AS product_id, Quantity AS quantity, Quantity * UnitPrice AS amount
FROM src WHERE CustomerID IS NOT NULL`,
    sql`CREATE TABLE orders AS
SELECT InvoiceNo AS order_id, arg_min(CustomerID, rowid) AS customer_id, min(at_utc) AS ordered_at,
  sum(Quantity * UnitPrice) AS amount,
  CASE WHEN starts_with(InvoiceNo, 'C') THEN 'credit' ELSE 'order' END AS kind
FROM src WHERE CustomerID IS NOT NULL GROUP BY InvoiceNo`,
    sql`CREATE TABLE customers AS
SELECT CustomerID AS customer_id, min(at_utc) AS created_at, mode(Country) AS region
FROM src WHERE CustomerID IS NOT NULL GROUP BY CustomerID`,
    sql`CREATE TABLE products AS SELECT StockCode AS product_id, mode(Description) AS name FROM src GROUP BY StockCode`,
    sql`DROP TABLE src`,
  ];
}

async function runFloor(path: string, file: string): Promise<number> {
  for (const p of [path, `${path}.wal`]) await rm(p, { force: true });
  const engine = await DuckDbEngine.open({ path });
  try {
    for (const statement of floorStatements(file)) await engine.exec(statement);
    const [row] = await engine.query(
      select(
        { n: col.integer },
        raw(`SELECT (SELECT count(*) FROM order_lines) + (SELECT count(*) FROM orders)
  + (SELECT count(*) FROM customers) + (SELECT count(*) FROM products) AS n`),
      ),
    );
    return row?.n ?? 0;
  } finally {
    await engine.close();
  }
}

async function runCandidate(path: string, dir: string, rejects: string): Promise<number> {
  for (const p of [path, `${path}.wal`, rejects]) await rm(p, { force: true });
  const engine = await DuckDbEngine.open({ path });
  try {
    await ensureStoreSchema(engine);
    const result = await ingestDirectory(engine, { dir, mapping: MAPPING, rejectsPath: rejects });
    return result.tables.reduce((s, t) => s + t.inserted + t.updated + t.unchanged, 0);
  } finally {
    await engine.close();
  }
}

/**
 * A shop's raw line-item export (`generate --style shop-export`, about 30
 * lines per customer) ingested through `examples/shop-export.mapping.yaml`
 * versus the floor: DuckDB reading the same file and building the same four
 * tables in hand-written SQL. Floor and ingest alternate, A B A B …, for
 * three rounds; medians and their ratio are printed.
 */
export async function benchExport(customers: number): Promise<void> {
  const root = join(".bench", `export-${customers}`);
  const data = join(root, "data");
  const file = join(data, SHOP_EXPORT_FILE);
  await mkdir(root, { recursive: true });
  if (!existsSync(file)) {
    const generated = await timed(`generate --style shop-export ${customers.toLocaleString("en-US")}`, () =>
      generateShopExport({ outDir: data, customers, seed: 1, asOf: AS_OF }),
    );
    process.stdout.write(`  ${generated.value.lines.toLocaleString("en-US")} lines\n`);
  }
  const bytes = (await stat(file)).size;

  const floorTimes: number[] = [];
  const ingestTimes: number[] = [];
  let floorRows = 0;
  let ingestRows = 0;
  let candidateError: string | undefined;
  for (let round = 1; round <= ROUNDS; round += 1) {
    const floor = await timed(`round ${round}: floor, hand-written DuckDB SQL`, () =>
      runFloor(join(root, "floor.duckdb"), file),
    );
    floorTimes.push(floor.seconds);
    floorRows = floor.value;
    if (candidateError !== undefined) continue;
    try {
      const ingest = await timed(`round ${round}: tierwise ingest --mapping`, () =>
        runCandidate(join(root, "store.duckdb"), data, join(root, "store.rejects.csv")),
      );
      ingestTimes.push(ingest.seconds);
      ingestRows = ingest.value;
    } catch (error) {
      candidateError = error instanceof Error ? error.message : String(error);
      process.stdout.write(`round ${round}: tierwise ingest --mapping failed: ${candidateError}\n`);
    }
  }

  const floorMedian = median(floorTimes);
  const lines = [
    "",
    `input: ${SHOP_EXPORT_FILE}, ${(bytes / 1e6).toFixed(0)} MB`,
    `floor:  median ${floorMedian.toFixed(2)} s of ${floorTimes.length}, ${floorRows.toLocaleString("en-US")} rows in 4 tables`,
  ];
  if (ingestTimes.length > 0) {
    const ingestMedian = median(ingestTimes);
    lines.push(
      `ingest: median ${ingestMedian.toFixed(2)} s of ${ingestTimes.length}, ${ingestRows.toLocaleString("en-US")} rows accepted`,
      `ratio ingest / floor: ${(ingestMedian / floorMedian).toFixed(2)}x (aim: <= 2x)`,
    );
  } else {
    lines.push("ingest: could not run (see above); no ratio");
  }
  process.stdout.write(`${lines.join("\n")}\n\n`);
}
