import { readFile } from "node:fs/promises";

/** The header `tierwise generate --style shop-export` writes, as the public retail export has it. */
export const SHOP_EXPORT_HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

/** One line of the export, read independently of Tierwise (plain split: the generator writes no commas in values). */
export interface ExportLine {
  readonly invoiceNo: string;
  readonly stockCode: string;
  readonly description: string;
  readonly quantity: number;
  /** InvoiceDate as written. */
  readonly invoiceDate: string;
  /** Local wall-clock time of InvoiceDate as milliseconds of a UTC date with the same fields. */
  readonly localMs: number;
  /** UnitPrice in pence, exact. */
  readonly priceCents: number;
  /** Quantity × UnitPrice in pence, exact. */
  readonly amountCents: number;
  /** Empty for guest lines. */
  readonly customerId: string;
  readonly country: string;
}

const DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/;
const PRICE = /^(\d+)\.(\d{2})$/;

/** Read the export file: its header and lines; throws on a line that is not 8 plain fields. */
export async function readShopExport(path: string): Promise<{ header: string; lines: ExportLine[] }> {
  const text = await readFile(path, "utf8");
  const [header = "", ...rows] = text.split("\n");
  if (rows.at(-1) === "") rows.pop();
  const lines = rows.map((row, i) => {
    const fields = row.split(",");
    if (fields.length !== 8 || row.includes('"')) throw new Error(`line ${i + 2} is not 8 plain fields: ${row}`);
    const [invoiceNo, stockCode, description, quantity, invoiceDate, price, customerId, country] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const d = DATE.exec(invoiceDate);
    const p = PRICE.exec(price);
    if (!d || !p) throw new Error(`line ${i + 2}: unexpected date or price: ${row}`);
    const localMs = Date.UTC(Number(d[3]), Number(d[1]) - 1, Number(d[2]), Number(d[4]), Number(d[5]));
    const priceCents = Number(p[1]) * 100 + Number(p[2]);
    return {
      invoiceNo,
      stockCode,
      description,
      quantity: Number(quantity),
      invoiceDate,
      localMs,
      priceCents,
      amountCents: Number(quantity) * priceCents,
      customerId,
      country,
    };
  });
  return { header, lines };
}

/** The UTC instant (ms) of a wall-clock time in Europe/London given as a UTC date with the same fields. */
export function londonToUtcMs(localMs: number): number {
  const fields = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(localMs));
  const part = (type: string) => Number(fields.find((f) => f.type === type)?.value);
  const asLocal = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"));
  return localMs - (asLocal - localMs);
}

/** Per customer: net spend in pence (credit notes included), lines, and credit notes. */
export interface CustomerTotals {
  netCents: number;
  lines: number;
  invoices: Set<string>;
  creditNotes: Set<string>;
  countries: Set<string>;
}

/** Each customer's totals from the export's lines; guest lines (no CustomerID) are left out. */
export function totalsByCustomer(lines: readonly ExportLine[]): Map<string, CustomerTotals> {
  const totals = new Map<string, CustomerTotals>();
  for (const line of lines) {
    if (line.customerId === "") continue;
    let t = totals.get(line.customerId);
    if (!t) {
      t = { netCents: 0, lines: 0, invoices: new Set(), creditNotes: new Set(), countries: new Set() };
      totals.set(line.customerId, t);
    }
    t.netCents += line.amountCents;
    t.lines += 1;
    t.invoices.add(line.invoiceNo);
    if (line.invoiceNo.startsWith("C")) t.creditNotes.add(line.invoiceNo);
    t.countries.add(line.country);
  }
  return totals;
}
