import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TierwiseError, TierwiseErrors } from "../../src/errors/index.js";
import { loadMapping, type Mapping, parseMapping } from "../../src/ingest/mapping.js";
import {
  brief,
  CUSTOMERS,
  csv,
  EMPTY_STORE,
  errorsOf,
  ONE_ORDER,
  rej,
  storeCounts,
  useStores,
} from "./support/corpus.js";

/** The problems `parseMapping` throws, as plain data. */
function mappingProblems(text: string) {
  try {
    parseMapping(text, "mapping.yaml");
  } catch (error) {
    if (!(error instanceof TierwiseErrors)) throw error;
    return error.errors.map((e) => ({ code: e.code, message: e.message, location: e.location, hint: e.hint }));
  }
  throw new Error("expected the mapping to be rejected");
}

const at = (line: number, column: number) => ({ file: "mapping.yaml", line, column });

async function mappingFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "tierwise-mapping-")), "mapping.yaml");
  await writeFile(path, text);
  return path;
}

const TIMES =
  "SELECT order_id, customer_id, CAST(ordered_at AS VARCHAR) AS t, CAST(amount AS VARCHAR) AS a, status, channel FROM orders ORDER BY 1";

describe("mapping: parsing", () => {
  it("parses every supported key", () => {
    const text = [
      "version: 1",
      "time_zone: Europe/Budapest",
      "delimiter: ';'",
      "decimal: ','",
      "date_format: '%d.%m.%Y'",
      "tables:",
      "  orders:",
      "    file: bestellungen.csv",
      "    delimiter: '|'",
      '    quote: "\'"',
      "    encoding: latin-1",
      "    decimal: '.'",
      "    columns:",
      "      order_id: Bestellnummer",
      "    date_formats:",
      "      ordered_at: ['%d.%m.%Y %H:%M', '%d.%m.%Y']",
      "    values:",
      "      status:",
      "        Geliefert: completed",
      "    constants:",
      "      channel: shop",
      "      cost: 0",
      "",
    ].join("\n");
    const expected: Mapping = {
      version: 1,
      time_zone: "Europe/Budapest",
      delimiter: ";",
      decimal: ",",
      date_format: "%d.%m.%Y",
      tables: {
        orders: {
          file: "bestellungen.csv",
          delimiter: "|",
          quote: "'",
          encoding: "latin-1",
          decimal: ".",
          columns: { order_id: "Bestellnummer" },
          date_formats: { ordered_at: ["%d.%m.%Y %H:%M", "%d.%m.%Y"] },
          values: { status: { Geliefert: "completed" } },
          constants: { channel: "shop", cost: 0 },
        },
      },
    };
    expect(parseMapping(text, "mapping.yaml")).toEqual(expected);
    expect(parseMapping("", "mapping.yaml")).toEqual({});
  });

  it("an unknown table is MAPPING_INVALID at the table's key, with a did-you-mean hint", () => {
    expect(mappingProblems("tables:\n  order:\n    columns:\n      amount: Betrag\n")).toEqual([
      { code: "MAPPING_INVALID", message: "unknown table order", location: at(2, 3), hint: "did you mean orders?" },
    ]);
  });

  it("an unknown column is MAPPING_INVALID with a did-you-mean hint, on the column's line", () => {
    const [problem, ...rest] = mappingProblems("tables:\n  orders:\n    columns:\n      ammount: Betrag\n");
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      code: "MAPPING_INVALID",
      message: "orders has no column ammount",
      hint: "did you mean amount?",
    });
    expect([problem?.location?.file, problem?.location?.line]).toEqual(["mapping.yaml", 4]);
    // Under values: (a map, not a scalar) the location is the misspelt key itself.
    expect(mappingProblems("tables:\n  orders:\n    values:\n      stauts:\n        Geliefert: completed\n")).toEqual([
      {
        code: "MAPPING_INVALID",
        message: "orders has no column stauts",
        location: at(4, 7),
        hint: "did you mean status?",
      },
    ]);
  });

  it("an unknown column under columns: is located at the misspelt key (line 4, column 7)", () => {
    expect(mappingProblems("tables:\n  orders:\n    columns:\n      ammount: Betrag\n")).toEqual([
      {
        code: "MAPPING_INVALID",
        message: "orders has no column ammount",
        location: at(4, 7),
        hint: "did you mean amount?",
      },
    ]);
  });

  it("a value mapped to something that is not one of the enum's values is located at that value", () => {
    const text =
      "tables:\n  orders:\n    values:\n      status:\n        Storniert: cancelled\n        Geliefert: complete\n";
    expect(mappingProblems(text)).toEqual([
      {
        code: "MAPPING_INVALID",
        message: 'orders.status: "Geliefert" maps to "complete", which is not one of completed, returned, cancelled',
        location: at(6, 20),
        hint: "did you mean completed?",
      },
    ]);
  });

  it("YAML syntax errors are MAPPING_INVALID with the line and column of the problem", () => {
    expect(mappingProblems("tables:\n  orders:\n    file: a.csv\n    file: b.csv\n")).toEqual([
      { code: "MAPPING_INVALID", message: "Map keys must be unique", location: at(4, 5), hint: undefined },
    ]);
    expect(mappingProblems("tables:\n  orders: file: a.csv\n")).toEqual([
      {
        code: "MAPPING_INVALID",
        message: "Nested mappings are not allowed in compact mappings",
        location: at(2, 11),
        hint: undefined,
      },
    ]);
    expect(mappingProblems("tables:\n\torders: {}\n")).toEqual([
      { code: "MAPPING_INVALID", message: "Tabs are not allowed as indentation", location: at(2, 1), hint: undefined },
    ]);
  });

  it("unknown keys, wrong types and contradictions are MAPPING_INVALID", () => {
    expect(mappingProblems("timezone: UTC\n")).toEqual([
      { code: "MAPPING_INVALID", message: 'Unrecognized key: "timezone"', location: at(1, 1), hint: undefined },
    ]);
    expect(mappingProblems("tables:\n  orders:\n    colums:\n      amount: x\n").map((p) => p.message)).toEqual([
      'tables.orders: Unrecognized key: "colums"',
    ]);
    expect(mappingProblems("decimal: ';'\n")).toEqual([
      {
        code: "MAPPING_INVALID",
        message: 'decimal: Invalid option: expected one of "."|","',
        location: at(1, 10),
        hint: undefined,
      },
    ]);
    expect(mappingProblems("tables:\n  orders:\n    date_formats:\n      amount: '%d'\n")).toEqual([
      {
        code: "MAPPING_INVALID",
        message: "orders.amount is not a timestamp column",
        location: at(4, 7),
        hint: undefined,
      },
    ]);
    expect(
      mappingProblems(
        "tables:\n  orders:\n    columns:\n      channel: Kanal\n    constants:\n      channel: web\n",
      ).map((p) => p.message),
    ).toEqual(["orders.channel is both renamed and constant"]);
  });

  it("every problem of a mapping is reported at once", () => {
    const text =
      "tables:\n  order:\n    columns: {}\n  customers:\n    columns:\n      nmae: Name\n    values:\n      kind:\n        Firma: business\n";
    expect(mappingProblems(text).map((p) => [p.message, p.location?.line, p.hint])).toEqual([
      ["unknown table order", 2, "did you mean orders?"],
      ["customers has no column nmae", 6, "did you mean name?"],
      ['customers.kind: "Firma" maps to "business", which is not one of b2c, b2b', 9, undefined],
    ]);
  });

  it("loadMapping reports problems against the file's path; a missing file is MAPPING_INVALID", async () => {
    const path = await mappingFile("tables:\n  order: {}\n");
    const error = await loadMapping(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TierwiseErrors);
    expect((error as TierwiseErrors).errors.map((e) => [e.code, e.location])).toEqual([
      ["MAPPING_INVALID", { file: path, line: 2, column: 3 }],
    ]);
    const missing = await loadMapping(join(tmpdir(), "no-such-dir-tierwise", "m.yaml")).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TierwiseError);
    expect((missing as TierwiseError).code).toBe("MAPPING_INVALID");
    expect((missing as TierwiseError).message).toMatch(/^cannot read mapping file: ENOENT/);
  });
});

describe("mapping: ingest", () => {
  const stores = useStores();

  it("renamed columns, date formats, value maps, constants, a file name and a per-table delimiter", async () => {
    const mapping = [
      "tables:",
      "  orders:",
      "    file: bestellungen.csv",
      "    delimiter: ';'",
      "    columns:",
      "      order_id: Bestellnummer",
      "      customer_id: Kundennr",
      "      ordered_at: Datum",
      "      amount: Betrag",
      "      status: Status",
      "    date_formats:",
      "      ordered_at: ['%d.%m.%Y %H:%M', '%d.%m.%Y']",
      "    values:",
      "      status:",
      "        Geliefert: completed",
      "        Storniert: cancelled",
      "        Zurück: returned",
      "    constants:",
      "      channel: shop",
      "",
    ].join("\n");
    const l = await stores.load(
      {
        "customers.csv": CUSTOMERS,
        "bestellungen.csv": csv(
          "Bestellnummer;Kundennr;Datum;Betrag;Status;Bemerkung",
          "B1;C1;31.01.2024;1.234,50;Geliefert;",
          "B2;C2;01.02.2024 14:30;12,5;Storniert;eilig",
          "B3;007;2024-02-03;3;Zurück;",
          "B4;C1;30.02.2024;1;Geliefert;",
          "B5;C1;01.03.2024;2; Zurück ;",
          "B6;C1;01.03.2024;2;Unterwegs;",
          "B7;C1;01.03.2024;2;geliefert;",
        ),
      },
      { mapping: await mappingFile(mapping), timeZone: "Europe/Berlin" },
    );
    expect(l.table("orders")).toMatchObject({
      file: "bestellungen.csv",
      read: 7,
      inserted: 4,
      rejected: 3,
      decimalMark: ",",
      ignoredColumns: ["Bemerkung"],
    });
    expect(brief(l.rejects)).toEqual([
      rej(4, 3, 3, "ordered_at", "INVALID_DATE"),
      rej(5, 4, 3, "ordered_at", "INVALID_DATE"),
      rej(7, 6, 5, "status", "UNKNOWN_VALUE"),
    ]);
    expect(l.rejects[0]?.reason).toBe("ordered_at is not a date in an accepted format (%d.%m.%Y %H:%M or %d.%m.%Y)");
    expect(l.rejects[0]?.source_record).toBe(
      '{"Bestellnummer":"B3","Kundennr":"007","Datum":"2024-02-03","Betrag":"3","Status":"Zurück","Bemerkung":null}',
    );
    expect(await l.rows(TIMES)).toEqual([
      {
        order_id: "B1",
        customer_id: "C1",
        t: "2024-01-30 23:00:00",
        a: "1234.5000",
        status: "completed",
        channel: "shop",
      },
      {
        order_id: "B2",
        customer_id: "C2",
        t: "2024-02-01 13:30:00",
        a: "12.5000",
        status: "cancelled",
        channel: "shop",
      },
      { order_id: "B5", customer_id: "C1", t: "2024-02-29 23:00:00", a: "2.0000", status: "returned", channel: "shop" },
      // Value maps of enum columns match case-insensitively, like the enum values themselves.
      {
        order_id: "B7",
        customer_id: "C1",
        t: "2024-02-29 23:00:00",
        a: "2.0000",
        status: "completed",
        channel: "shop",
      },
    ]);
  });

  it("a top-level date_format applies to every timestamp column; date_formats overrides it per column", async () => {
    const l = await stores.load(
      {
        "customers.csv": csv("customer_id,created_at", "C1,05/06/2024", "C2,2024-06-05"),
        "orders.csv": csv("order_id,customer_id,ordered_at,amount", "O1,C1,05/06/2024,1", "O2,C1,20240607,1"),
      },
      {
        mapping: {
          date_format: "%d/%m/%Y",
          tables: { orders: { date_formats: { ordered_at: ["%Y%m%d", "%d/%m/%Y"] } } },
        },
      },
    );
    expect(brief(l.rejects)).toEqual([rej(3, 2, 2, "created_at", "INVALID_DATE")]);
    expect(l.rejects[0]?.reason).toBe("created_at is not a date in an accepted format (%d/%m/%Y)");
    expect(await l.rows("SELECT customer_id, CAST(created_at AS VARCHAR) AS t FROM customers")).toEqual([
      { customer_id: "C1", t: "2024-06-05 00:00:00" },
    ]);
    expect(await l.rows(TIMES)).toEqual([
      { order_id: "O1", customer_id: "C1", t: "2024-06-05 00:00:00", a: "1.0000", status: "completed", channel: null },
      { order_id: "O2", customer_id: "C1", t: "2024-06-07 00:00:00", a: "1.0000", status: "completed", channel: null },
    ]);
  });

  it("a constant can stand in for a required column; value maps also work on text columns", async () => {
    const l = await stores.load(
      {
        "customers.csv": csv("customer_id,region", "C1,N", "C2,S"),
        "orders.csv": csv("order_id,customer_id,amount", "O1,C1,1", "O2,C2,2"),
      },
      {
        mapping: {
          tables: {
            customers: { values: { region: { N: "North" } } },
            orders: { constants: { ordered_at: "2024-05-01T12:00:00+02:00", status: "Returned" } },
          },
        },
      },
    );
    expect(l.rejects).toEqual([]);
    expect(await l.rows("SELECT customer_id, region FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", region: "North" },
      { customer_id: "C2", region: "S" },
    ]);
    expect(await l.rows(TIMES)).toEqual([
      { order_id: "O1", customer_id: "C1", t: "2024-05-01 10:00:00", a: "1.0000", status: "returned", channel: null },
      { order_id: "O2", customer_id: "C2", t: "2024-05-01 10:00:00", a: "2.0000", status: "returned", channel: null },
    ]);
  });

  it("per-table delimiters; a renamed source column matches regardless of case and separators", async () => {
    const l = await stores.load(
      {
        "customers.csv": csv("customer_id|name|kind", "C1|Ann; Smith|b2c"),
        "orders.csv": csv("NR;customer_id;ordered_at;Betrag Summe", "O1;C1;2024-01-01;5"),
      },
      {
        mapping: {
          tables: {
            customers: { delimiter: "|" },
            orders: { delimiter: ";", columns: { order_id: "nr", amount: "betrag_summe" } },
          },
        },
      },
    );
    expect(l.rejects).toEqual([]);
    expect(await l.rows("SELECT customer_id, name FROM customers")).toEqual([
      { customer_id: "C1", name: "Ann; Smith" },
    ]);
    expect(await l.rows(TIMES)).toEqual([
      { order_id: "O1", customer_id: "C1", t: "2024-01-01 00:00:00", a: "5.0000", status: "completed", channel: null },
    ]);
  });

  it("a mapping naming a source column the file lacks is MAPPING_SOURCE_COLUMN_MISSING; nothing is written", async () => {
    const engine = await stores.store();
    const errors = await errorsOf(
      stores.load(
        {
          "customers.csv": CUSTOMERS,
          "orders.csv": csv("order_id,customer_id,ordered_at,Summe", "O1,C1,2024-01-01,1"),
        },
        { engine, mapping: { tables: { orders: { columns: { amount: "Betrag", channel: "Kanal" } } } } },
      ),
    );
    expect(errors.errors.map((e) => [e.code, e.message])).toEqual([
      [
        "MAPPING_SOURCE_COLUMN_MISSING",
        "orders.csv: the mapping names column Betrag for amount, but the file has no such column",
      ],
      [
        "MAPPING_SOURCE_COLUMN_MISSING",
        "orders.csv: the mapping names column Kanal for channel, but the file has no such column",
      ],
    ]);
    expect(await storeCounts(engine)).toEqual(EMPTY_STORE);
  });

  it("an invalid mapping file stops the ingest before anything is read or written", async () => {
    const engine = await stores.store();
    const path = await mappingFile("tables:\n  orders:\n    values:\n      status:\n        Geliefert: deliverd\n");
    const errors = await errorsOf(
      stores.load({ "customers.csv": CUSTOMERS, "orders.csv": ONE_ORDER }, { engine, mapping: path }),
    );
    expect(errors.errors.map((e) => [e.code, e.location, e.hint])).toEqual([
      ["MAPPING_INVALID", { file: path, line: 5, column: 20 }, undefined],
    ]);
    expect(await storeCounts(engine)).toEqual(EMPTY_STORE);
  });
});
