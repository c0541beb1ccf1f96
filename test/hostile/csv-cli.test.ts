/**
 * Hostile CSV files through the command a user runs (DuckDB store file):
 * files that stopped `tierwise ingest` with DuckDB's "CSV Parser state
 * machine reached an invalid state", or lost a record, now load with exit 0,
 * every record counted and every unparseable one in the rejects file with
 * its line.
 */
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const ORDERS = "order_id,customer_id,ordered_at,amount\nO1,C1,2025-01-01,10\nO2,C3,2025-01-02,5\n";

interface Counts {
  table: string;
  read: number;
  inserted: number;
  unchanged: number;
  updated: number;
  rejected: number;
  skipped: number;
}

async function ingest(files: Record<string, string | Buffer>) {
  const dir = await mkdtemp(join(tmpdir(), "tierwise-csv-cli-"));
  const input = join(dir, "in");
  await mkdir(input);
  for (const [name, content] of Object.entries(files)) await writeFile(join(input, name), content);
  const rejects = join(dir, "out.rejects.csv");
  const run = await runCli(["ingest", input, "--db", join(dir, "s.duckdb"), "--rejects", rejects, "--json"]);
  const tables: Counts[] = run.code === 0 ? (JSON.parse(run.stdout).tables as Counts[]) : [];
  const rejectLines = run.code === 0 ? (await readFile(rejects, "utf8")).split("\n").slice(1) : [];
  return { run, tables, rejectLines };
}

function table(tables: readonly Counts[], name: string): Counts {
  const t = tables.find((x) => x.table === name);
  if (!t) throw new Error(`no ${name}`);
  return t;
}

describe("hostile CSV files through tierwise ingest", () => {
  it("a CRLF header over LF rows loads (it stopped the ingest with an unexpected error)", async () => {
    const { run, tables } = await ingest({
      "customers.csv": "customer_id,name\r\nC1,Ann\nC2,Bea\nC3,Cid\n",
      "orders.csv": ORDERS,
    });
    expect(run.stderr).not.toContain("unexpected error");
    expect(run.code).toBe(0);
    expect(table(tables, "customers")).toMatchObject({ read: 3, inserted: 3, rejected: 0 });
  });

  it("a 40 MB field is one LINE_TOO_LONG reject with its line, and the records after it load", async () => {
    const customers = Buffer.concat([
      Buffer.from("customer_id,name\nC1,Ann\nC2,"),
      Buffer.alloc(40_000_000, "x"),
      Buffer.from("\nC3,Cid\n"),
    ]);
    const { run, tables, rejectLines } = await ingest({ "customers.csv": customers, "orders.csv": ORDERS });
    expect(run.code).toBe(0);
    expect(table(tables, "customers")).toMatchObject({ read: 3, inserted: 2, rejected: 1 });
    expect(table(tables, "orders")).toMatchObject({ read: 2, inserted: 2, rejected: 0 });
    expect(rejectLines.filter((l) => l.startsWith("customers,")).map((l) => l.split(",").slice(0, 7))).toEqual([
      ["customers", "customers.csv", "3", "", "", "", "LINE_TOO_LONG"],
    ]);
  });

  it("mixed line endings and a flipped quote in a gzip'd file: every record is read, the bad one rejected", async () => {
    const orders =
      'order_id,customer_id,ordered_at,amount\r\nO1,C1,2025-01-01,10\rO2,C1,2025-01-02,"5"x\nO3,C1,2025-01-03,7';
    const { run, tables, rejectLines } = await ingest({
      "customers.csv": "customer_id,name\nC1,Ann\n",
      "orders.csv.gz": gzipSync(Buffer.from(orders)),
    });
    expect(run.stderr).not.toContain("unexpected error");
    expect(run.code).toBe(0);
    const t = table(tables, "orders");
    expect(t).toMatchObject({ read: 3, inserted: 2, rejected: 1 });
    expect(t.read).toBe(t.inserted + t.unchanged + t.updated + t.rejected + t.skipped);
    expect(rejectLines.filter((l) => l.startsWith("orders,")).map((l) => l.split(",").slice(0, 7))).toEqual([
      ["orders", "orders.csv.gz", "3", "", "4", "amount", "MALFORMED_QUOTES"],
    ]);
  });

  it("a NUL byte is an INVALID_ENCODING reject, as on PostgreSQL", async () => {
    const { run, tables, rejectLines } = await ingest({
      "customers.csv": "customer_id,name\nC1,Ann\nC2,B\u0000ea\nC3,Cid\n",
      "orders.csv": ORDERS,
    });
    expect(run.code).toBe(0);
    expect(table(tables, "customers")).toMatchObject({ read: 3, inserted: 2, rejected: 1 });
    expect(rejectLines.filter((l) => l.startsWith("customers,")).map((l) => l.split(",").slice(0, 7))).toEqual([
      ["customers", "customers.csv", "3", "", "2", "name", "INVALID_ENCODING"],
    ]);
  });

  it("a truncated gzip'd CSV fails as a whole, with a coded error naming the file (it was read in part, silently)", async () => {
    const text = `customer_id,name\n${Array.from({ length: 20_000 }, (_, i) => `C${i},Name ${i}`).join("\n")}\n`;
    const gz = gzipSync(Buffer.from(text));
    const { run } = await ingest({ "customers.csv.gz": gz.subarray(0, gz.length >> 1), "orders.csv": ORDERS });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain("unexpected error");
    expect(run.stderr).toContain("customers.csv.gz");
  });
});
