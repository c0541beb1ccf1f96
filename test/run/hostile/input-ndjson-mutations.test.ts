import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CUSTOMERS_CSV } from "../../support/ingest-fixture.js";
import { ingested } from "./input-support.js";

const VALID = Array.from(
  { length: 40 },
  (_, i) =>
    `{"order_id":"O${i + 1}","customer_id":"C${(i % 2) + 1}","ordered_at":"2024-01-0${(i % 9) + 1}","amount":${i + 1}.5}`,
).join("\n");

/**
 * Records an NDJSON reader must see, counted independently of Tierwise: the
 * lines (split at LF) that are not blank once a final CR and a leading
 * byte-order mark are removed. (JSON Lines: every non-blank line is a record.)
 */
function nonBlankLines(bytes: Buffer): number {
  let n = 0;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    let line = bytes.subarray(start, end);
    if (line.at(-1) === 0x0d) line = line.subarray(0, -1);
    if (line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) line = line.subarray(3);
    if (line.some((b) => b !== 0x20 && b !== 0x09 && b !== 0x0b && b !== 0x0c && b !== 0x0d)) n++;
    start = end + 1;
  }
  return n;
}

/** A byte-level edit: insert bytes, delete a run, or overwrite bytes at a place. */
const edit = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("insert", "delete", "overwrite"),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => Buffer.from(b)),
  structural: fc.constantFrom("\n", "\r", "{", "}", '"', ",", ":", "[", "\\", "\uFEFF", "\u200b", ""),
});

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function mutate(source: Buffer, edits: readonly Edit[]): Buffer {
  let bytes = source;
  for (const e of edits) {
    const at = e.at % (bytes.length + 1);
    const piece = e.structural ? Buffer.from(e.structural) : e.bytes;
    if (e.kind === "insert") bytes = Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at)]);
    else if (e.kind === "delete") bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + piece.length)]);
    else bytes = Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at + piece.length)]);
  }
  return bytes;
}

describe("hostile input: random byte-level edits of an NDJSON file never lose a line", () => {
  it("input-ndjson-mutations: read = accepted + rejected, and read is every non-blank physical line", async () => {
    let loaded = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), async (edits) => {
        const bytes = mutate(Buffer.from(`${VALID}\n`), edits);
        const expected = nonBlankLines(bytes);
        let outcome: { read: number; kept: number } | null = null;
        try {
          await ingested({ "customers.csv": CUSTOMERS_CSV, "orders.ndjson": bytes }, (l) => {
            const t = l.table("orders");
            expect(t.read).toBe(t.inserted + t.updated + t.unchanged + t.rejected + t.skipped);
            outcome = { read: t.read, kept: t.inserted };
          });
        } catch (error) {
          // A file whose first lines hold no JSON object at all is refused whole, with a code.
          expect(String(error)).toMatch(/UNREADABLE_FILE|MISSING_REQUIRED_COLUMN/);
          return;
        }
        expect(outcome).not.toBeNull();
        expect((outcome as unknown as { read: number }).read).toBe(expected);
        loaded++;
      }),
      { numRuns: 40, seed: 1313 },
    );
    // Not vacuous: nearly every mutated file loads (and is checked line by line).
    expect(loaded).toBeGreaterThan(30);
  });
});
