import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CUSTOMERS_CSV } from "../../support/ingest-fixture.js";
import { type HostileLoad, ingested, refusedWith } from "./input-support.js";

const order = (id: string, extra = "") =>
  `{"order_id":"${id}","customer_id":"C1","ordered_at":"2024-01-01","amount":1${extra}}`;

/** [line, code] of every orders reject, in file order. */
const rejectLines = (l: HostileLoad) => l.rejects.filter((r) => r.table === "orders").map((r) => [r.line, r.code]);

async function orderIds(l: HostileLoad): Promise<string[]> {
  return (await l.rows("SELECT order_id FROM orders ORDER BY order_id")).map((r) => String(r["order_id"]));
}

/** Every orders line read is accepted or rejected: read = inserted + updated + unchanged + rejected + skipped. */
function identityHolds(l: HostileLoad): void {
  const t = l.table("orders");
  expect(t.read).toBe(t.inserted + t.updated + t.unchanged + t.rejected + t.skipped);
}

function withOrders(ndjson: string | Buffer, check: (l: HostileLoad) => Promise<void>, name = "orders.ndjson") {
  return ingested({ "customers.csv": CUSTOMERS_CSV, [name]: ndjson }, check);
}

describe("hostile input: one bad NDJSON line is one reject, the rest of the file loads", () => {
  it("input-ndjson-malformed-line: an unterminated object on line 2 of 4 is MALFORMED_JSON at line 2", async () => {
    const text = [order("O1"), '{"order_id":"O2","customer_id":', order("O3"), order("O4")].join("\n");
    await withOrders(`${text}\n`, async (l) => {
      expect(rejectLines(l)).toEqual([[2, "MALFORMED_JSON"]]);
      expect(l.rejects[0]?.source_record).toBe('{"order_id":"O2","customer_id":');
      expect(l.table("orders")).toMatchObject({ read: 4, inserted: 3, rejected: 1 });
      expect(await orderIds(l)).toEqual(["O1", "O3", "O4"]);
    });
  });

  it("input-ndjson-not-objects: an array, a string, a number and null are NOT_A_JSON_OBJECT, each at its line", async () => {
    const text = [order("O1"), "[1,2]", '"x"', "42", "null", order("O2")].join("\n");
    await withOrders(text, async (l) => {
      expect(rejectLines(l)).toEqual([
        [2, "NOT_A_JSON_OBJECT"],
        [3, "NOT_A_JSON_OBJECT"],
        [4, "NOT_A_JSON_OBJECT"],
        [5, "NOT_A_JSON_OBJECT"],
      ]);
      expect(await orderIds(l)).toEqual(["O1", "O2"]);
      identityHolds(l);
    });
  });

  it("input-ndjson-blank-lines: empty and blank lines are no records, and later line numbers stay physical", async () => {
    const text = ["", order("O1"), "   ", "\t", order("O2"), "", "{bad", ""].join("\n");
    await withOrders(text, async (l) => {
      expect(rejectLines(l)).toEqual([[7, "MALFORMED_JSON"]]);
      expect(l.table("orders")).toMatchObject({ read: 3, inserted: 2, rejected: 1 });
    });
  });

  it("input-ndjson-crlf: CRLF line ends, mixed with LF, read like LF; a reject keeps its line", async () => {
    const text = `${order("O1")}\r\n${order("O2")}\n[]\r\n${order("O3")}\r\n`;
    await withOrders(text, async (l) => {
      expect(rejectLines(l)).toEqual([[3, "NOT_A_JSON_OBJECT"]]);
      expect(l.rejects[0]?.source_record).toBe("[]");
      expect(await orderIds(l)).toEqual(["O1", "O2", "O3"]);
    });
  });

  it("input-ndjson-bom: a byte-order mark opening the file, or a line (concatenated files), is dropped", async () => {
    const text = `\uFEFF${order("O1")}\n\uFEFF${order("O2")}\n`;
    await withOrders(text, async (l) => {
      expect(rejectLines(l)).toEqual([]);
      expect(await orderIds(l)).toEqual(["O1", "O2"]);
    });
  });

  it("input-ndjson-duplicate-key: an object naming amount twice is DUPLICATE_JSON_KEY, not a silent pick", async () => {
    const text = [order("O1"), order("O2", ',"amount":2'), order("O3")].join("\n");
    await withOrders(text, async (l) => {
      expect(rejectLines(l)).toEqual([[2, "DUPLICATE_JSON_KEY"]]);
      expect(await orderIds(l)).toEqual(["O1", "O3"]);
    });
  });

  it("input-ndjson-exponents-nested: numbers with exponents load as numbers; a nested object is kept as JSON", async () => {
    const lines = [
      '{"order_id":"O1","customer_id":"C1","ordered_at":"2024-01-01","amount":1.5e3}',
      '{"order_id":"O2","customer_id":"C1","ordered_at":"2024-01-01","amount":25E-2}',
      '{"order_id":"O3","customer_id":"C1","ordered_at":"2024-01-01","amount":{"value":1}}',
    ];
    await withOrders(lines.join("\n"), async (l) => {
      expect(rejectLines(l)).toEqual([[3, "NOT_A_NUMBER"]]);
      expect(await l.rows("SELECT order_id, CAST(amount AS VARCHAR) AS a FROM orders ORDER BY 1")).toEqual([
        { order_id: "O1", a: "1500.0000" },
        { order_id: "O2", a: "0.2500" },
      ]);
    });
  });

  it("input-ndjson-huge-line: a line over 2 MB is LINE_TOO_LONG at its line, and the lines after it load", async () => {
    const huge = order("O2", `,"note":"${"x".repeat(3 * 1024 * 1024)}"`);
    await withOrders([order("O1"), huge, order("O3")].join("\n"), async (l) => {
      expect(rejectLines(l)).toEqual([[2, "LINE_TOO_LONG"]]);
      expect((l.rejects[0]?.source_record ?? "").length).toBeLessThan(1000);
      expect(await orderIds(l)).toEqual(["O1", "O3"]);
    });
  });

  it("input-ndjson-invalid-utf8: a line with a byte that is not UTF-8 is INVALID_ENCODING at its line", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${order("O1")}\n{"order_id":"O2","customer_id":"C`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`","ordered_at":"2024-01-01","amount":1}\n${order("O3")}\n`),
    ]);
    await withOrders(bytes, async (l) => {
      expect(rejectLines(l)).toEqual([[2, "INVALID_ENCODING"]]);
      expect(await orderIds(l)).toEqual(["O1", "O3"]);
    });
  });

  it("input-ndjson-nul: a NUL, raw or escaped as \\u0000, is NUL_CHARACTER at its line (no engine's text holds it)", async () => {
    const text = [
      order("O1"),
      '{"order_id":"O2\\u0000","customer_id":"C1","ordered_at":"2024-01-01","amount":1}',
      '{"order_id":"O3\u0000","customer_id":"C1","ordered_at":"2024-01-01","amount":1}',
      '{"order_id":"O4\\\\u0000","customer_id":"C1","ordered_at":"2024-01-01","amount":1}',
    ].join("\n");
    await withOrders(text, async (l) => {
      expect(rejectLines(l)).toEqual([
        [2, "NUL_CHARACTER"],
        [3, "NUL_CHARACTER"],
      ]);
      expect(await orderIds(l)).toEqual(["O1", "O4\\u0000"]);
    });
  });

  it("input-ndjson-cut-last-line: a file cut inside its last object rejects that line only", async () => {
    const text = [order("O1"), order("O2"), order("O3").slice(0, 30)].join("\n");
    await withOrders(text, async (l) => {
      expect(rejectLines(l)).toEqual([[3, "MALFORMED_JSON"]]);
      expect(l.table("orders")).toMatchObject({ read: 3, inserted: 2, rejected: 1 });
    });
  });

  it("input-ndjson-gzip-malformed: a sound .ndjson.gz with a malformed line rejects that line only", async () => {
    const text = [order("O1"), "{", order("O2")].join("\n");
    await withOrders(
      gzipSync(text),
      async (l) => {
        expect(rejectLines(l)).toEqual([[2, "MALFORMED_JSON"]]);
        expect(await orderIds(l)).toEqual(["O1", "O2"]);
      },
      "orders.ndjson.gz",
    );
  });

  it("input-ndjson-identity: 3,000 lines with every 7th malformed: read = accepted + rejected, lines exact", async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 7 === 3 ? `{"order_id":"X${i}"` : order(`O${i + 1}`)));
    await withOrders(lines.join("\n"), async (l) => {
      const bad = lines.flatMap((_, i) => (i % 7 === 3 ? [[i + 1, "MALFORMED_JSON"]] : []));
      expect(rejectLines(l)).toEqual(bad);
      expect(l.table("orders")).toMatchObject({ read: 3000, inserted: 3000 - bad.length, rejected: bad.length });
      identityHolds(l);
    });
  });

  it("input-ndjson-no-object: a file with no JSON object line is UNREADABLE_FILE, store untouched", async () => {
    const messages = await refusedWith({ "customers.csv": CUSTOMERS_CSV, "orders.ndjson": "[1]\nnot json\n" });
    expect(messages).toEqual([
      "UNREADABLE_FILE: orders.ndjson cannot be read as ndjson: none of its first 2 lines is a JSON object",
    ]);
  });

  it("input-json-array-malformed: a .json array cut short is UNREADABLE_FILE naming the file and position", async () => {
    const text = `[${order("O1")},\n${order("O2").slice(0, 20)}`;
    const messages = await refusedWith({ "customers.csv": CUSTOMERS_CSV, "orders.json": text });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^UNREADABLE_FILE: orders\.json cannot be read as json: .*(byte|line|position) \d+/);
  });
});
