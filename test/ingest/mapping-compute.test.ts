import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TierwiseErrors } from "../../src/errors/index.js";
import { parseMapping } from "../../src/ingest/mapping.js";
import { runCli } from "../support/cli.js";
import { brief, CUSTOMERS, csv, errorsOf, rej, useStores } from "./support/corpus.js";

/**
 * `compute:` (a canonical column from an expression over the file's columns)
 * and `skip:` (named row filters). Values below are worked out by hand.
 */

const LINES = csv(
  "Invoice No,Customer,Date,Qty,Unit Price",
  "A1,C1,2024-02-01,2,3.5", // 7.00
  "A2,C1,2024-02-02,x,3.5", // Qty is not a number: a reject at column 4, never an engine error
  "C3,C2,2024-02-03,1,2", // skipped: cancelled
  "A4,,2024-02-03,1,2", // skipped: no_customer (first filter that holds)
  "C5,,2024-02-03,1,2", // skipped: no_customer, counted once
  "A6,C2,2024-02-04,1.5,2", // 3.00
  "A7,007,2024-02-05,3,", // Unit Price empty: amount missing
);

const MAPPING = parseMapping(
  [
    "tables:",
    "  orders:",
    "    skip:",
    "      no_customer: Customer is null",
    `      cancelled: "\\"Invoice No\\" like 'C%'"`,
    "    columns: { order_id: Invoice No, customer_id: Customer, ordered_at: Date }",
    "    compute:",
    '      amount: Qty * "Unit Price"',
    "      status: case when starts_with(\"Invoice No\", 'A') and Qty > 2 then 'returned' else 'completed' end",
  ].join("\n"),
  "mapping.yaml",
);

describe("mapping: compute and skip", () => {
  const { load } = useStores();

  it("computes columns, counts skipped rows per filter and keeps read = accepted + updated + rejected + skipped", async () => {
    const l = await load({ "customers.csv": CUSTOMERS, "orders.csv": LINES }, { mapping: MAPPING });
    const orders = l.table("orders");
    expect(orders).toMatchObject({ read: 7, inserted: 2, rejected: 2, skipped: 3 });
    expect(orders.skips).toEqual([
      { name: "no_customer", count: 2 },
      { name: "cancelled", count: 1 },
    ]);
    expect(orders.read).toBe(orders.inserted + orders.unchanged + orders.updated + orders.rejected + orders.skipped);
    expect(await l.rows("SELECT order_id, CAST(amount AS VARCHAR) AS a, status FROM orders ORDER BY 1")).toEqual([
      { order_id: "A1", a: "7.0000", status: "completed" },
      { order_id: "A6", a: "3.0000", status: "completed" },
    ]);
    // One reject per bad row; the bad source column is named, at its own column and line; skipped rows never appear.
    expect(brief(l.rejects, "orders")).toEqual([
      rej(3, 2, 4, "amount", "NOT_A_NUMBER"),
      rej(8, 7, null, "amount", "MISSING_VALUE"),
    ]);
    expect(l.rejects[0]?.reason).toBe("Qty (read for amount) is not a number");
    expect(orders.ignoredColumns).toEqual([]);
  });

  it("filters before the key check: a skipped row never makes a duplicate", async () => {
    const lines = csv("Invoice No,Customer,Date,Qty,Unit Price", "A1,,2024-02-01,1,1", "A1,C1,2024-02-01,2,1");
    const l = await load({ "customers.csv": CUSTOMERS, "orders.csv": lines }, { mapping: MAPPING });
    expect(l.table("orders")).toMatchObject({ read: 2, inserted: 1, rejected: 0, skipped: 1 });
    expect(await l.rows("SELECT CAST(amount AS VARCHAR) AS a FROM orders")).toEqual([{ a: "2.0000" }]);
  });

  it("reads numbers inside expressions with the file's decimal mark; a filter that cannot be decided skips nothing", async () => {
    const lines = csv(
      "Invoice No;Customer;Date;Qty;Unit Price",
      "A1;C1;2024-02-01;2;1.234,50", // 2 × 1234.50
      "A2;C1;2024-02-01;;3,25", // Qty empty: `Qty < 0` is unknown, so not skipped; amount is missing
      "A3;C1;2024-02-01;-1;3,25", // skipped: returns
    );
    const mapping = parseMapping(
      [
        "tables:",
        "  orders:",
        "    delimiter: ';'",
        "    decimal: ','",
        "    skip: { returns: Qty < 0 }",
        "    columns: { order_id: Invoice No, customer_id: Customer, ordered_at: Date }",
        '    compute: { amount: Qty * "Unit Price" }',
      ].join("\n"),
      "mapping.yaml",
    );
    const l = await load({ "customers.csv": CUSTOMERS, "orders.csv": lines }, { mapping });
    expect(l.table("orders")).toMatchObject({ read: 3, inserted: 1, rejected: 1, skipped: 1 });
    expect(await l.rows("SELECT CAST(amount AS VARCHAR) AS a FROM orders")).toEqual([{ a: "2469.0000" }]);
    expect(brief(l.rejects, "orders")).toEqual([rej(3, 2, null, "amount", "MISSING_VALUE")]);
  });

  it("binds values: a quote in a literal is data, not SQL", async () => {
    const lines = csv("Invoice No,Customer,Date,Qty,Unit Price", "A1,C1,2024-02-01,1,1", "it's,C1,2024-02-01,1,1");
    const mapping = parseMapping(
      [
        "tables:",
        "  orders:",
        `    skip: { quoted: "\\"Invoice No\\" = 'it''s' or \\"Invoice No\\" like '%''; DROP TABLE orders; --'" }`,
        "    columns: { order_id: Invoice No, customer_id: Customer, ordered_at: Date, amount: Qty }",
      ].join("\n"),
      "mapping.yaml",
    );
    const l = await load({ "customers.csv": CUSTOMERS, "orders.csv": lines }, { mapping });
    expect(l.table("orders")).toMatchObject({ read: 2, inserted: 1, skipped: 1 });
  });

  it("reports unknown source columns (with a suggestion from the header) and type errors at their line and column", async () => {
    const text = [
      "tables:",
      "  orders:",
      "    skip:",
      "      no_customer: Custmer is null",
      "      odd: Qty + 1",
      "    columns: { order_id: Invoice No, customer_id: Customer, ordered_at: Date }",
      "    compute:",
      '      amount: Qty * "Unit Prise"',
      "      status: starts_with(Customer, 'C')",
    ].join("\n");
    const errors = await errorsOf(
      load({ "customers.csv": CUSTOMERS, "orders.csv": LINES }, { mapping: parseMapping(text, "mapping.yaml") }),
    );
    expect(errors.errors.map((e) => [e.code, e.location?.line, e.location?.column, e.message, e.hint])).toEqual([
      [
        "MAPPING_INVALID",
        4,
        20,
        "orders.skip.no_customer: Custmer is not a column of the file",
        "did you mean Customer?",
      ],
      ["MAPPING_INVALID", 5, 12, "orders.skip.odd: a skip condition needs a boolean, not a number", undefined],
      [
        "MAPPING_INVALID",
        8,
        21,
        "orders.compute.amount: Unit Prise is not a column of the file",
        "did you mean Unit Price?",
      ],
      ["MAPPING_INVALID", 9, 15, "orders.compute.status: orders.status needs a text, not a boolean", undefined],
    ]);
  });

  it("reports syntax errors and misplaced keys when the mapping is read", () => {
    const problems = (text: string) => {
      try {
        parseMapping(text, "mapping.yaml");
      } catch (error) {
        if (!(error instanceof TierwiseErrors)) throw error;
        return error.errors.map((e) => [e.location?.line, e.location?.column, e.message]);
      }
      throw new Error("expected problems");
    };
    expect(
      problems(
        [
          "tables:",
          "  orders:",
          "    columns: { amount: Total }",
          "    compute:",
          "      amount: Qty *",
          "      amonut: Qty",
          "    skip: { x: \"case when a then 'b' end = \" }",
        ].join("\n"),
      ),
    ).toEqual([
      [6, 7, "orders has no column amonut"],
      [5, 7, "orders.amount is both computed and renamed"],
      [5, 20, "orders.compute.amount: expected a value but found the end of the expression"],
      [7, 44, "orders.skip.x: expected a value but found the end of the expression"],
    ]);
  });
});

describe("mapping: group_by problems", () => {
  const { load } = useStores();

  it("names an unknown group column, an aggregate outside a grouped compute and a nested aggregate", async () => {
    const text = [
      "tables:",
      "  orders:",
      "    group_by: Invoce No",
      "    skip: { big: sum(Qty) > 1 }",
      "    columns: { order_id: Invoice No, customer_id: Customer }",
      "    compute:",
      "      ordered_at: min(Date)",
      "      amount: sum(max(Qty))",
    ].join("\n");
    const errors = await errorsOf(
      load({ "customers.csv": CUSTOMERS, "orders.csv": LINES }, { mapping: parseMapping(text, "mapping.yaml") }),
    );
    expect(errors.errors.map((e) => [e.location?.line, e.location?.column, e.message, e.hint])).toEqual([
      [3, 15, "orders.group_by: Invoce No is not a column of orders.csv", "did you mean Invoice No?"],
      [
        4,
        18,
        "orders.skip.big: sum aggregates the rows of a group: only in compute: of a table with group_by",
        undefined,
      ],
      [8, 19, "orders.compute.amount: max cannot be used inside another aggregate", undefined],
    ]);
  });
});

describe("mapping: skipped rows in the CLI summary", () => {
  it("shows a skipped column and the rows per filter, within 80 columns", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-skip-"));
    await writeFile(join(dir, "customers.csv"), CUSTOMERS);
    await writeFile(join(dir, "orders.csv"), LINES);
    const mapping = join(dir, "mapping.yaml");
    await writeFile(
      mapping,
      [
        "tables:",
        "  orders:",
        "    skip:",
        "      no_customer: Customer is null",
        `      cancelled: "\\"Invoice No\\" like 'C%'"`,
        "    columns: { order_id: Invoice No, customer_id: Customer, ordered_at: Date }",
        '    compute: { amount: Qty * "Unit Price" }',
      ].join("\n"),
    );
    const run = await runCli(["ingest", dir, "--mapping", mapping, "--db", join(dir, "s.duckdb")]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/^table\s+format\s+read\s+accepted\s+updated\s+rejected\s+skipped$/);
    expect(lines.find((l) => l.startsWith("orders "))).toMatch(/^orders\s+csv\s+7\s+2\s+0\s+2\s+3$/);
    expect(run.stdout).toMatch(/Skipped rows by filter:\n.*\n.*\norders\s+no_customer\s+2\norders\s+cancelled\s+1\n/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const json = JSON.parse(
      (await runCli(["ingest", dir, "--mapping", mapping, "--db", join(dir, "s.duckdb"), "--json"])).stdout,
    ) as {
      tables: Array<{
        table: string;
        read: number;
        unchanged: number;
        rejected: number;
        skipped: number;
        skips: unknown;
      }>;
    };
    expect(json.tables.find((t) => t.table === "orders")).toMatchObject({
      read: 7,
      unchanged: 2,
      rejected: 2,
      skipped: 3,
      skips: [
        { name: "no_customer", count: 2 },
        { name: "cancelled", count: 1 },
      ],
    });
  });
});
