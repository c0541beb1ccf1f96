import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Customers who got a credit note from `addCreditNotes`, and how many credit rows were added. */
export interface AddedCredits {
  readonly customers: ReadonlySet<string>;
  readonly credits: number;
}

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().replace(".000Z", "Z");
const money = (cents: number) =>
  `${cents < 0 ? "-" : ""}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, "0")}`;

/**
 * Rewrite a generated `orders.csv` with the columns `kind` and
 * `refunds_order_id` and credit notes added, deterministically by position:
 * every 5th completed order refunded 40% ten days later; every 11th refunded
 * in full two hours later (written with a positive amount and kind credit);
 * every 7th returned order with a credit of its own (voided: no double
 * count); every 23rd order followed by an unreferenced credit of 10.00 three
 * days later. Credits that would fall on or after `before` are left out.
 */
export async function addCreditNotes(dir: string, before: string): Promise<AddedCredits> {
  const path = join(dir, "orders.csv");
  const lines = (await readFile(path, "utf8")).split("\n").filter((l) => l !== "");
  const header = lines[0] ?? "";
  const cols = header.split(",");
  const at = (name: string) => cols.indexOf(name);
  const [iId, iCustomer, iAt, iAmount, iStatus] = ["order_id", "customer_id", "ordered_at", "amount", "status"].map(at);
  const end = Date.parse(`${before}T00:00:00Z`);
  const out = [`${header},kind,refunds_order_id`];
  const extra: string[] = [];
  const customers = new Set<string>();
  const credit = (row: string[], n: number, days: number, cents: number, refunds: string, kind: string) => {
    const t = Date.parse(row[iAt ?? 0] ?? "") + days * DAY;
    if (!(t < end)) return;
    const values = cols.map(() => "");
    values[iId ?? 0] = `CR-${n}-${row[iId ?? 0]}`;
    values[iCustomer ?? 0] = row[iCustomer ?? 0] ?? "";
    values[iAt ?? 0] = iso(t);
    values[iAmount ?? 0] = money(cents);
    values[iStatus ?? 0] = "completed";
    extra.push(`${values.join(",")},${kind},${refunds}`);
    customers.add(row[iCustomer ?? 0] ?? "");
  };
  let completed = 0;
  let returned = 0;
  lines.slice(1).forEach((line, i) => {
    out.push(`${line},,`);
    const row = line.split(",");
    const cents = Math.round(Number(row[iAmount ?? 0]) * 100);
    const id = row[iId ?? 0] ?? "";
    if (row[iStatus ?? 0] === "completed") {
      completed += 1;
      if (completed % 5 === 0) credit(row, 1, 10, -Math.round(cents * 0.4), id, "");
      else if (completed % 11 === 0) credit(row, 2, 2 / 24, cents, id, "credit");
    }
    if (row[iStatus ?? 0] === "returned" && ++returned % 7 === 0) credit(row, 3, 1, -cents, id, "credit");
    if (i % 23 === 0) credit(row, 4, 3, -1000, "", "");
  });
  await writeFile(path, `${[...out, ...extra].join("\n")}\n`);
  return { customers, credits: extra.length };
}
