/**
 * Convert the CDNOW transaction files (Fader & Hardie; the sample is in
 * test/fixtures/cdnow, see its README)
 * to the customers.csv + orders.csv that `tierwise ingest` reads.
 *
 *   npx tsx scripts/cdnow-to-csv.ts test/fixtures/cdnow/CDNOW_sample.txt <out-dir>
 *   npx tsx scripts/cdnow-to-csv.ts <CDNOW_master.txt> <out-dir>   (the full cohort, not in this repository)
 *
 * Both files are whitespace separated with YYYYMMDD dates. The master file
 * has a header and 4 columns (customer, date, CDs, dollars); the sample has
 * no header and 5 (master customer, sample customer, date, CDs, dollars) and
 * is keyed by the sample id, as the published summaries are. Ids lose their
 * leading zeros (`0001` → `1`), so they match those summaries' `ID` column.
 * Every line becomes one completed order at local midnight of its day.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface CdnowCsv {
  readonly customers: string;
  readonly orders: string;
  readonly orderCount: number;
  readonly customerCount: number;
}

/** The CSV texts of a CDNOW transaction file's content. */
export function cdnowToCsv(text: string): CdnowCsv {
  const customers = new Set<string>();
  const orders: string[] = ["order_id,customer_id,ordered_at,amount,status"];
  let line = 0;
  for (const raw of text.split(/\r?\n/)) {
    line += 1;
    const fields = raw.trim().split(/\s+/);
    if (fields.length < 4 || !/^\d+$/.test(fields[0] ?? "")) continue; // blank line or header
    const sample = fields.length >= 5;
    const id = String(Number(sample ? fields[1] : fields[0]));
    const date = (sample ? fields[2] : fields[1]) ?? "";
    const dollars = (sample ? fields[4] : fields[3]) ?? "";
    if (!/^\d{8}$/.test(date) || !/^\d+(\.\d+)?$/.test(dollars)) throw new Error(`line ${line}: not a CDNOW row`);
    customers.add(id);
    orders.push(`${id}-${line},${id},${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)},${dollars},completed`);
  }
  return {
    customers: `customer_id\n${[...customers].join("\n")}\n`,
    orders: `${orders.join("\n")}\n`,
    orderCount: orders.length - 1,
    customerCount: customers.size,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, out] = process.argv.slice(2);
  if (!input || !out) {
    process.stderr.write("usage: npx tsx scripts/cdnow-to-csv.ts <CDNOW_master.txt|CDNOW_sample.txt> <out-dir>\n");
    process.exit(2);
  }
  const csv = cdnowToCsv(await readFile(input, "latin1"));
  await mkdir(out, { recursive: true });
  await writeFile(join(out, "customers.csv"), csv.customers);
  await writeFile(join(out, "orders.csv"), csv.orders);
  process.stdout.write(`${csv.customerCount} customers, ${csv.orderCount} orders → ${out}\n`);
}
