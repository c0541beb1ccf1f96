import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import type { TableIngestResult } from "../../src/ingest/result.js";
import { raw, records } from "../../src/sql/index.js";
import { memoryStore } from "../support/ingest-fixture.js";
import { CUSTOMERS } from "./support/corpus.js";
import { load } from "./support/ingest.js";

/* ------------------------------------------------------------------------------------------ */
/* Random mixes of good and bad customer and order rows, with the expected outcome computed   */
/* independently from how each row was generated.                                             */
/* ------------------------------------------------------------------------------------------ */

type CustomerKind = "good" | "missingId" | "badDate" | "unknownKind" | "dup";
type OrderKind = "good" | "missingId" | "badDate" | "negative" | "notNumber" | "unknownStatus" | "orphan" | "dup";

interface CustomerSpec {
  readonly kind: CustomerKind;
  readonly prefix: string;
  readonly name: string;
  readonly variant: number;
  readonly pick: number;
}

interface OrderSpec {
  readonly kind: OrderKind;
  readonly prefix: string;
  readonly cents: number;
  readonly variant: number;
  readonly pick: number;
  readonly customerPick: number;
}

/** The first failing check of each kind of bad row (every bad row has exactly one problem). */
const CUSTOMER_CODES: Record<Exclude<CustomerKind, "good">, string> = {
  missingId: "MISSING_VALUE",
  badDate: "INVALID_DATE",
  unknownKind: "UNKNOWN_VALUE",
  dup: "DUPLICATE_KEY",
};
const ORDER_CODES: Record<Exclude<OrderKind, "good">, string> = {
  missingId: "MISSING_VALUE",
  badDate: "IMPOSSIBLE_DATE",
  negative: "NEGATIVE",
  notNumber: "NOT_A_NUMBER",
  unknownStatus: "UNKNOWN_VALUE",
  orphan: "UNKNOWN_REFERENCE",
  dup: "DUPLICATE_KEY",
};

const weighted = <T extends string>(good: T, bad: readonly T[]) =>
  fc.oneof(
    { arbitrary: fc.constant(good), weight: bad.length * 2 },
    ...bad.map((b) => ({ arbitrary: fc.constant(b), weight: 1 })),
  );

const prefixes = fc.constantFrom("C", "0", "00", "c", "X-");
const names = fc.constantFrom(
  "Ann",
  "Smith, Ann",
  'Ann "the" Smith',
  "Łukasz Żółw",
  "",
  "  padded  ",
  "Nguyễn Thị Lan",
);

const customerSpec: fc.Arbitrary<CustomerSpec> = fc.record({
  kind: weighted<CustomerKind>("good", ["missingId", "badDate", "unknownKind", "dup"]),
  prefix: prefixes,
  name: names,
  variant: fc.nat(5),
  pick: fc.nat(),
});

const orderSpec: fc.Arbitrary<OrderSpec> = fc.record({
  kind: weighted<OrderKind>("good", [
    "missingId",
    "badDate",
    "negative",
    "notNumber",
    "unknownStatus",
    "orphan",
    "dup",
  ]),
  prefix: prefixes,
  cents: fc.integer({ min: 0, max: 1_000_000_000 }),
  variant: fc.nat(5),
  pick: fc.nat(),
  customerPick: fc.nat(),
});

/** A CSV field, quoted when it must be. */
function field(value: string): string {
  return /[",\n\r]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

function line(values: readonly string[]): string {
  return values.map(field).join(",");
}

interface Expected {
  readonly customersCsv: string;
  readonly ordersCsv: string;
  readonly customerIds: string[];
  readonly orderIds: string[];
  readonly customerRejects: Array<[number, string]>;
  readonly orderRejects: Array<[number, string]>;
}

/** Render the rows and compute, from the generation alone, which are accepted and why the others are not. */
function build(customers: readonly CustomerSpec[], orders: readonly OrderSpec[]): Expected {
  // A first, always good customer, so good orders always have someone to reference.
  const cRows: string[] = [line(["customer_id", "name", "kind", "created_at"]), line(["BASE", "Base", "b2c", ""])];
  const goodCustomers = new Set<string>(["BASE"]);
  const customerIdsSoFar: string[] = ["BASE"];
  const customerRejects: Array<[number, string]> = [];
  customers.forEach((c, i) => {
    const record = i + 2;
    let id = `${c.prefix}${i}`;
    if (c.kind === "dup") id = customerIdsSoFar[c.pick % customerIdsSoFar.length] ?? "BASE";
    if (c.kind === "missingId") id = ["", "   "][c.variant % 2] ?? "";
    const kinds = ["b2c", "B2B", " b2b ", "", "B2c", "b2b"];
    const kind =
      c.kind === "unknownKind" ? (["vip", "b2x", "consumer"][c.variant % 3] ?? "vip") : (kinds[c.variant] ?? "");
    const created =
      c.kind === "badDate"
        ? (["not a date", "31/12/2023", "yesterday"][c.variant % 3] ?? "x")
        : (["", "2023-05-14", "2023-05-14T09:30:00Z", "2023-05-14 09:30:00+02:00"][c.variant % 4] ?? "");
    cRows.push(line([id, c.name, kind, created]));
    const fieldValid = c.kind === "good" || c.kind === "dup";
    if (c.kind !== "missingId") customerIdsSoFar.push(id);
    if (!fieldValid) customerRejects.push([record, CUSTOMER_CODES[c.kind as Exclude<CustomerKind, "good">]]);
    else if (goodCustomers.has(id)) customerRejects.push([record, "DUPLICATE_KEY"]);
    else goodCustomers.add(id);
  });

  const accepted = [...goodCustomers];
  const oRows: string[] = [line(["order_id", "customer_id", "ordered_at", "amount", "status", "kind"])];
  const goodOrders = new Set<string>();
  const dupTargets: string[] = []; // ids of earlier rows, orphans included: an orphan never shadows a good row
  const orderRejects: Array<[number, string]> = [];
  orders.forEach((o, i) => {
    const record = i + 1;
    let id = `${o.prefix}O${i}`;
    if (o.kind === "dup" && dupTargets.length > 0) id = dupTargets[o.pick % dupTargets.length] ?? id;
    if (o.kind === "missingId") id = "";
    const customer = o.kind === "orphan" ? `NOPE-${i}` : (accepted[o.customerPick % accepted.length] ?? "BASE");
    const date =
      o.kind === "badDate"
        ? (["2024-02-30", "2023-13-01", "2024-04-31T10:00:00"][o.variant % 3] ?? "2024-02-30")
        : (["2024-01-01", "2024-03-31T23:30:00+02:00", "2024-07-01 10:00:00", "2024-12-31T23:59:59Z"][o.variant % 4] ??
          "2024-01-01");
    const whole = Math.floor(o.cents / 100);
    const plain = `${whole}.${String(o.cents % 100).padStart(2, "0")}`;
    const amount =
      o.kind === "negative"
        ? `-${o.cents === 0 ? "0.01" : plain}` // -0.00 is zero and accepted, not NEGATIVE
        : o.kind === "notNumber"
          ? (["abc", "12.3.4", "$5", "1,2,3"][o.variant % 4] ?? "abc")
          : ([plain, `${o.cents}e-2`, whole.toLocaleString("en-US") + plain.slice(-3), String(whole)][o.variant % 4] ??
            plain);
    const status =
      o.kind === "unknownStatus"
        ? (["shipped", "lost", "complete"][o.variant % 3] ?? "shipped")
        : (["", "completed", "RETURNED", " cancelled ", "Completed"][o.variant % 5] ?? "");
    // A negative amount is a credit note unless the row says it is an order: then it is NEGATIVE.
    oRows.push(line([id, customer, date, amount, status, o.kind === "negative" ? "order" : ""]));
    const fieldValid = o.kind === "good" || o.kind === "dup" || o.kind === "orphan";
    if (o.kind !== "missingId") dupTargets.push(id);
    if (!fieldValid) orderRejects.push([record, ORDER_CODES[o.kind as Exclude<OrderKind, "good">]]);
    else if (o.kind === "orphan") orderRejects.push([record, "UNKNOWN_REFERENCE"]);
    else if (goodOrders.has(id)) orderRejects.push([record, "DUPLICATE_KEY"]);
    else goodOrders.add(id);
  });

  return {
    customersCsv: `${cRows.join("\n")}\n`,
    ordersCsv: `${oRows.join("\n")}\n`,
    customerIds: accepted.sort(),
    orderIds: [...goodOrders].sort(),
    customerRejects,
    orderRejects,
  };
}

/** Every row of a table, all columns as text, in key order. */
async function dump(engine: Engine, table: "customers" | "orders"): Promise<unknown[]> {
  const key = table === "customers" ? "customer_id" : "order_id";
  return engine.query(records(raw(`SELECT COLUMNS(*)::VARCHAR FROM ${table} ORDER BY ${key}`)));
}

const balanced = (t: TableIngestResult) => t.read === t.inserted + t.unchanged + t.updated + t.rejected + t.skipped;

const sortedIds = async (engine: Engine, table: "customers" | "orders") => {
  const rows = (await dump(engine, table)) as Array<Record<string, string>>;
  return rows.map((r) => String(r[table === "customers" ? "customer_id" : "order_id"])).sort();
};

describe("property: random mixes of good and bad rows", () => {
  it("counts balance, accepted rows match the model, and ingesting twice equals ingesting once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(customerSpec, { maxLength: 12 }),
        fc.array(orderSpec, { maxLength: 20 }),
        async (customers, orders) => {
          const expected = build(customers, orders);
          const files = { "customers.csv": expected.customersCsv, "orders.csv": expected.ordersCsv };
          const once = await memoryStore();
          const twice = await memoryStore();
          try {
            const a = await load(files, { engine: once });
            for (const t of a.result.tables) expect(balanced(t), t.table).toBe(true);
            expect(a.table("customers")).toMatchObject({
              read: customers.length + 1,
              inserted: expected.customerIds.length,
              unchanged: 0,
              updated: 0,
              rejected: expected.customerRejects.length,
            });
            expect(a.table("orders")).toMatchObject({
              read: orders.length,
              inserted: expected.orderIds.length,
              unchanged: 0,
              updated: 0,
              rejected: expected.orderRejects.length,
            });
            expect(await sortedIds(once, "customers")).toEqual(expected.customerIds);
            expect(await sortedIds(once, "orders")).toEqual(expected.orderIds);
            const got = (table: string) =>
              a.rejects.filter((r) => r.table === table).map((r): [number, string] => [r.record ?? -1, r.code]);
            expect(got("customers")).toEqual(expected.customerRejects);
            expect(got("orders")).toEqual(expected.orderRejects);

            const first = await load(files, { engine: twice });
            const second = await load(files, { engine: twice });
            expect(first.result.tables).toEqual(a.result.tables);
            for (const t of second.result.tables) {
              expect(balanced(t), t.table).toBe(true);
              const before = first.table(t.table);
              expect([t.read, t.inserted, t.unchanged, t.updated, t.rejected]).toEqual([
                before.read,
                0,
                before.inserted,
                0,
                before.rejected,
              ]);
            }
            expect(second.rejects).toEqual(first.rejects);
            expect(await dump(twice, "customers")).toEqual(await dump(once, "customers"));
            expect(await dump(twice, "orders")).toEqual(await dump(once, "orders"));
          } finally {
            await once.close();
            await twice.close();
          }
        },
      ),
      // Sized by count, never by time: each run ingests into two fresh stores, which a loaded machine
      // makes slow, not wrong (vitest.config.ts has only a hang detector).
      { numRuns: 30 },
    );
  });
});

/* ------------------------------------------------------------------------------------------ */
/* The number parser: any finite amount, in any accepted notation, is stored rounded to 4     */
/* decimals (half away from zero).                                                             */
/* ------------------------------------------------------------------------------------------ */

interface NumberCase {
  readonly whole: bigint;
  readonly frac: string;
  readonly style: number;
}

const numberCase: fc.Arbitrary<NumberCase> = fc.record({
  whole: fc.oneof(
    fc.bigInt({ min: 0n, max: 999n }),
    fc.bigInt({ min: 1000n, max: 9_999_999n }),
    fc.bigInt({ min: 0n, max: 10n ** 13n - 1n }),
  ),
  frac: fc.string({ unit: fc.constantFrom(..."0123456789".split("")), maxLength: 6 }),
  style: fc.nat(5),
});

/** Expected DECIMAL(18,4) text: round half up at the 4th decimal. */
function rounded({ whole, frac }: NumberCase): string {
  const digits = frac.padEnd(5, "0");
  let scaled = whole * 10_000n + BigInt(digits.slice(0, 4));
  if (Number(digits[4]) >= 5) scaled += 1n;
  return `${scaled / 10_000n}.${String(scaled % 10_000n).padStart(4, "0")}`;
}

function group(whole: bigint, separator: string): string {
  return whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** Scientific notation of the same exact value, with `mark` as the decimal mark. */
function scientific({ whole, frac }: NumberCase, mark: string, style: number): string {
  const intText = whole.toString();
  const all = intText + frac;
  const zeros = all.length - all.replace(/^0+/, "").length;
  const significant = all.slice(zeros);
  if (significant === "") return style % 2 ? "0e0" : `0${mark}0E+3`;
  const exponent = intText.length - zeros - 1;
  const mantissa = significant.length > 1 ? `${significant[0]}${mark}${significant.slice(1)}` : significant;
  const e = style % 2 ? "e" : "E";
  return `${mantissa}${e}${exponent >= 0 && style % 3 === 0 ? "+" : ""}${exponent}`;
}

/** Every value may be written in scientific notation (tiny ones included: 7e-6 must be 0.0000). */
function sciSafe(_c: NumberCase): boolean {
  return true;
}

function dotText(c: NumberCase): string {
  const tail = c.frac === "" ? "" : `.${c.frac}`;
  switch (c.style) {
    case 0:
      return `${c.whole}${tail}`;
    case 1:
      return `${group(c.whole, ",")}${tail}`;
    case 2:
      return `${group(c.whole, " ")}${tail}`;
    case 3:
      return `${group(c.whole, "'")}${tail}`;
    default:
      return sciSafe(c) ? scientific(c, ".", c.style) : `${c.whole}${tail}`;
  }
}

function commaText(c: NumberCase): string {
  const tail = c.frac === "" ? "" : `,${c.frac}`;
  switch (c.style) {
    case 0:
      return `${c.whole}${tail}`;
    case 1:
      return `${group(c.whole, ".")}${tail}`;
    case 2:
      return `${group(c.whole, " ")}${tail}`;
    case 3:
      return `${group(c.whole, "\u00a0")}${tail}`;
    default:
      return sciSafe(c) ? scientific(c, ",", c.style) : `${c.whole}${tail}`;
  }
}

describe("property: the number parser", () => {
  it("stores any amount, in any accepted notation and decimal mark, rounded to 4 decimals", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(numberCase, { minLength: 1, maxLength: 20 }),
        fc.constantFrom("dot", "comma-mapped", "comma-detected"),
        async (cases, mode) => {
          const comma = mode !== "dot";
          const delimiter = comma ? ";" : ",";
          const rows = cases.map((c, i) => {
            const text = comma ? commaText(c) : dotText(c);
            return [`N${String(i).padStart(2, "0")}`, "C1", "2024-01-01", delimiter === "," ? field(text) : text].join(
              delimiter,
            );
          });
          // A comma-decimal file must hold at least one unambiguous comma decimal for detection.
          if (comma) rows.push(["Z-ANCHOR", "C1", "2024-01-01", "12,50"].join(delimiter));
          const header = ["order_id", "customer_id", "ordered_at", "amount"].join(delimiter);
          const l = await load(
            { "customers.csv": CUSTOMERS, "orders.csv": `${header}\n${rows.join("\n")}\n` },
            {
              mapping: {
                tables: { orders: { delimiter, ...(mode === "comma-mapped" ? { decimal: "," as const } : {}) } },
              },
            },
          );
          try {
            expect(l.rejects).toEqual([]);
            expect(l.table("orders").decimalMark).toBe(comma ? "," : ".");
            const stored = await l.rows("SELECT order_id, CAST(amount AS VARCHAR) AS a FROM orders ORDER BY order_id");
            const expected = cases.map((c, i) => ({ order_id: `N${String(i).padStart(2, "0")}`, a: rounded(c) }));
            if (comma) expected.push({ order_id: "Z-ANCHOR", a: "12.5000" });
            expect(stored).toEqual(expected);
          } finally {
            await l.close();
          }
        },
      ),
      // Sized by count, never by time (see above).
      { numRuns: 40 },
    );
  });
});
