/**
 * Random structural damage to a valid customers + orders pair, byte by byte
 * (insert, delete or flip a byte among quote, delimiter, CR, LF, NUL, 0xff
 * and a letter; duplicate or drop a line ending), ingested into a store that
 * already holds other rows, on both engines. Whatever the damage:
 * - the ingest finishes, or fails with a coded error (never an uncoded one);
 * - when it finishes, every table's read = accepted + updated + rejected +
 *   skipped, and read is the number of records the independent oracle
 *   (test/hostile/physical-records.ts) counts in the file;
 * - the rows loaded before are exactly as they were.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { TierwiseError, TierwiseErrors, UsageError } from "../../../src/errors/index.js";
import { readCsvHeader } from "../../../src/ingest/csv-header.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { TABLES } from "../../../src/model/tables.js";
import { ident, raw, records, sql } from "../../../src/sql/index.js";
import { physicalRecords } from "../../hostile/physical-records.js";
import { writeInput } from "../../support/ingest-fixture.js";
import { memoryStore } from "../support.js";

const FILES = {
  "customers.csv": 'customer_id,name\nC1,Ann\nC2,"Bea, B"\r\nC3,"Cid ""C"""\nC4,Dan\n',
  "orders.csv": [
    "order_id,customer_id,ordered_at,amount",
    "O1,C1,2025-01-01,10",
    'O2,C2,2025-01-02,"5"',
    "O3,C3,2025-01-03,7",
    "O4,C4,2025-01-04,8",
    "",
  ].join("\n"),
} as const;
type FileName = keyof typeof FILES;

/** Rows loaded before the damaged files: ids the edits below can never produce (they insert no `D` or `P`). */
const BEFORE = {
  "customers.csv": "customer_id,name\nD1,Dora\nD2,Dirk\n",
  "orders.csv": "order_id,customer_id,ordered_at,amount\nP1,D1,2024-05-01,12.5\nP2,D2,2024-06-01,3\n",
};

const BYTES = [0x22, 0x2c, 0x0d, 0x0a, 0x00, 0xff, 0x78] as const;

interface Place {
  readonly file: FileName;
  readonly at: number;
  /** Most edits land after the header: a damaged header mostly fails the whole file (coded, but no records). */
  readonly body: boolean;
}
type Edit =
  | (Place & { readonly op: "insert" | "flip"; readonly byte: number })
  | (Place & { readonly op: "delete" | "duplicateEnding" | "dropEnding" });

const place = {
  file: fc.constantFrom<FileName>("customers.csv", "orders.csv"),
  at: fc.nat({ max: 10_000 }),
  body: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
};
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ ...place, op: fc.constantFrom("insert" as const, "flip" as const), byte: fc.constantFrom(...BYTES) }),
  fc.record({ ...place, op: fc.constantFrom("delete" as const, "duplicateEnding" as const, "dropEnding" as const) }),
);

/** Apply one edit; positions wrap around the file's length (or around the part after its first line ending). */
function apply(bytes: Buffer, e: Edit): Buffer {
  const n = bytes.length;
  const first = e.body ? bytes.indexOf(0x0a) + 1 : 0;
  const i = first > 0 && first < n ? first + (e.at % (n - first)) : e.at % Math.max(1, n);
  switch (e.op) {
    case "insert":
      return Buffer.concat([bytes.subarray(0, i), Buffer.from([e.byte]), bytes.subarray(i)]);
    case "flip": {
      const out = Buffer.from(bytes);
      if (n > 0) out[i] = e.byte;
      return out;
    }
    case "delete":
      return Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
    case "duplicateEnding":
    case "dropEnding": {
      // The n-th line ending (CRLF as one), counting from `at`.
      const endings: Array<[number, number]> = [];
      for (let p = 0; p < n; p++) {
        if (bytes[p] === 0x0d && bytes[p + 1] === 0x0a) {
          endings.push([p, 2]);
          p++;
        } else if (bytes[p] === 0x0a || bytes[p] === 0x0d) {
          endings.push([p, 1]);
        }
      }
      if (endings.length === 0) return bytes;
      const [p, len] = endings[e.at % endings.length] as [number, number];
      const ending = bytes.subarray(p, p + len);
      return e.op === "dropEnding"
        ? Buffer.concat([bytes.subarray(0, p), bytes.subarray(p + len)])
        : Buffer.concat([bytes.subarray(0, p + len), ending, bytes.subarray(p + len)]);
    }
  }
}

/** The rows loaded before, and the size of every other table of the model. */
async function fingerprint(engine: Engine): Promise<string> {
  const parts: unknown[] = [];
  parts.push(
    await engine.query(records(raw("SELECT customer_id, name FROM customers WHERE customer_id LIKE 'D%' ORDER BY 1"))),
    await engine.query(
      records(
        raw(
          "SELECT order_id, customer_id, CAST(amount AS VARCHAR) AS amount FROM orders WHERE order_id LIKE 'P%' ORDER BY 1",
        ),
      ),
    ),
  );
  for (const t of TABLES) {
    if (t.name === "customers" || t.name === "orders") continue;
    parts.push([t.name, await engine.query(records(sql`SELECT count(*) AS n FROM ${ident(t.name)}`))]);
  }
  return JSON.stringify(parts);
}

function isCoded(error: unknown): boolean {
  return error instanceof TierwiseError || error instanceof TierwiseErrors || error instanceof UsageError;
}

describe("random structural damage to CSV files (on both engines)", () => {
  it("never fails uncoded, keeps read = accepted + updated + rejected + skipped against the oracle, and leaves earlier rows alone", async () => {
    const outcomes = { finished: 0, failed: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const files: Record<FileName, Buffer> = {
          "customers.csv": Buffer.from(FILES["customers.csv"]),
          "orders.csv": Buffer.from(FILES["orders.csv"]),
        };
        for (const e of edits) files[e.file] = apply(files[e.file], e);
        const engine = await memoryStore();
        try {
          const before = await writeInput(BEFORE);
          await ingestDirectory(engine, { dir: before, rejectsPath: join(before, "rejects.csv") });
          const expected = await fingerprint(engine);
          const dir = await writeInput(files);
          let result: Awaited<ReturnType<typeof ingestDirectory>>;
          try {
            result = await ingestDirectory(engine, { dir, rejectsPath: join(dir, "rejects.csv") });
          } catch (error) {
            if (!isCoded(error)) throw error;
            outcomes.failed++;
            expect(await fingerprint(engine)).toBe(expected);
            return;
          }
          outcomes.finished++;
          for (const t of result.tables) {
            expect(t.read).toBe(t.inserted + t.unchanged + t.updated + t.rejected + t.skipped);
            const path = join(dir, t.file);
            const header = await readCsvHeader(path);
            const bytes = await readFile(path);
            expect(t.read).toBe(
              physicalRecords(bytes, { delimiter: header?.delimiter ?? ",", columns: header?.columns.length ?? 0 }),
            );
            if (t.rejected > 0) outcomes.rejected++;
          }
          expect(await fingerprint(engine)).toBe(expected);
        } finally {
          await engine.close();
        }
      }),
      { numRuns: 40, seed: 20261207 },
    );
    // Not vacuous: damage both loaded with rejects and, sometimes, failed a whole file.
    expect(outcomes.finished).toBeGreaterThan(10);
    expect(outcomes.rejected).toBeGreaterThan(5);
  });
});
