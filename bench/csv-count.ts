import { existsSync } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { countCsvRecords } from "../src/engine/csv-record-count.js";
import { DuckDbEngine } from "../src/engine/duckdb-engine.js";
import type { RawSource, SourceColumn } from "../src/engine/engine.js";
import { stageSourceSql } from "../src/sql/dialect/duckdb-reader.js";

/**
 * What verifying DuckDB's CSV reader costs (docs/decisions.md, "CSV on
 * DuckDB: fast path, verified"). On a file of `rows` records (cached in
 * `.bench/`), quote-free and then with one quoted field per row, alternately: A, DuckDB's read_csv staging the file
 * alone (the floor); B, the engine's `loadRaw`, which stages with read_csv
 * while counting the file's records in Node at the same time and compares;
 * and C, the record count alone. Medians of the rounds; B / A is the cost.
 */
export async function benchCsvCount(rows: number): Promise<void> {
  await benchFile(rows, false);
  await benchFile(rows, true);
}

async function benchFile(rows: number, quoted: boolean, rounds = 5): Promise<void> {
  const root = join(".bench", `csv-count-${rows}`);
  const path = join(root, quoted ? "orders-quoted.csv" : "orders.csv");
  const q = quoted ? '"' : "";
  if (!existsSync(path)) {
    await mkdir(root, { recursive: true });
    const lines = ["order_id,customer_id,ordered_at,amount"];
    for (let i = 1; i <= rows; i++) {
      const customer = `${q}C${String(i % 100_000).padStart(7, "0")}${q}`;
      lines.push(`O${String(i).padStart(9, "0")},${customer},2025-03-14,${i % 997}.25`);
      if (lines.length >= 100_000 || i === rows) {
        await writeFile(path, `${lines.join("\n")}\n`, { flag: i <= 100_000 ? "w" : "a" });
        lines.length = 0;
      }
    }
  }
  const size = (await stat(path)).size;
  const shape = quoted ? "one quoted field per row" : "quote-free";
  process.stdout.write(`${rows.toLocaleString("en-US")} rows, ${(size / 1e6).toFixed(0)} MB, ${shape}\n`);
  const source: RawSource = { path, format: "csv" };
  const columns: SourceColumn[] = ["order_id", "customer_id", "ordered_at", "amount"].map((name) => ({
    name,
    type: "VARCHAR",
  }));
  const times = { a: [] as number[], b: [] as number[], c: [] as number[] };
  const timed = async (work: () => Promise<unknown>): Promise<number> => {
    const start = process.hrtime.bigint();
    await work();
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  for (let round = 0; round < rounds; round++) {
    for (const which of ["a", "b", "c"] as const) {
      const engine = await DuckDbEngine.open({ path: ":memory:", threads: 2 });
      const seconds = await timed(async () => {
        if (which === "a") {
          await engine.exec(
            stageSourceSql("t", source, columns, { rejectsTable: "t_reader_rejects", scansTable: "t_reader_scans" }),
          );
        } else if (which === "b") {
          await engine.loadRaw("t", source, columns);
        } else {
          await countCsvRecords(source, columns.length);
        }
      });
      await engine.close();
      times[which].push(seconds);
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  const [a, b, c] = [median(times.a), median(times.b), median(times.c)];
  const line = (label: string, s: number) => `${label.padEnd(52)} ${s.toFixed(3).padStart(7)} s\n`;
  process.stdout.write(line("A  read_csv staging alone (floor)", a));
  process.stdout.write(line("B  loadRaw: read_csv + record count + check", b));
  process.stdout.write(line("C  record count alone", c));
  process.stdout.write(`B / A = ${(b / a).toFixed(3)}  (median of ${rounds} rounds, A B C alternated)\n`);
}
