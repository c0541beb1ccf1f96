import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { csv, ORDERS_HEADER } from "../../ingest/support/corpus.js";
import { CUSTOMERS_CSV } from "../../support/ingest-fixture.js";
import { ingested, refusedWith as refused } from "./input-support.js";

/** Many orders, so that a truncated stream still holds whole rows (the old readers loaded them). */
const ORDERS = csv(ORDERS_HEADER, ...Array.from({ length: 3000 }, (_, i) => `O${i + 1},C1,2024-01-01,${i + 1}`));
const ORDERS_NDJSON = Array.from(
  { length: 3000 },
  (_, i) => `{"order_id":"O${i + 1}","customer_id":"C1","ordered_at":"2024-01-01","amount":${i + 1}}`,
).join("\n");

function truncated(bytes: Buffer, keep: number): Buffer {
  return bytes.subarray(0, Math.floor(bytes.length * keep));
}

describe("hostile input: damaged gzip streams are a file-level error, never half a file", () => {
  const zipped = gzipSync(ORDERS);

  it("input-gzip-truncated-csv: a .csv.gz cut in half is FILE_DAMAGED and nothing is loaded", async () => {
    const cut = truncated(zipped, 0.5);
    expect(await refused({ "customers.csv": CUSTOMERS_CSV, "orders.csv.gz": cut })).toEqual([
      `FILE_DAMAGED: orders.csv.gz is a damaged gzip stream (unexpected end of file at or before byte ${cut.length.toLocaleString("en-US")} of ${cut.length.toLocaleString("en-US")}); nothing was loaded`,
    ]);
  });

  it("input-gzip-truncated-ndjson: a .ndjson.gz cut in half is FILE_DAMAGED", async () => {
    const messages = await refused({
      "customers.csv": CUSTOMERS_CSV,
      "orders.ndjson.gz": truncated(gzipSync(ORDERS_NDJSON), 0.5),
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^FILE_DAMAGED: orders\.ndjson\.gz is a damaged gzip stream \(unexpected end of file/);
  });

  it("input-gzip-missing-trailer: only the 8-byte length and checksum trailer cut off is FILE_DAMAGED", async () => {
    const messages = await refused({
      "customers.csv": CUSTOMERS_CSV,
      "orders.csv.gz": zipped.subarray(0, zipped.length - 8),
    });
    expect(messages[0]).toMatch(/^FILE_DAMAGED: orders\.csv\.gz is a damaged gzip stream \(unexpected end of file/);
  });

  it("input-gzip-bad-crc: a flipped checksum byte is FILE_DAMAGED", async () => {
    const bad = Buffer.from(zipped);
    bad[bad.length - 6] = (bad[bad.length - 6] ?? 0) ^ 0xff;
    const messages = await refused({ "customers.csv": CUSTOMERS_CSV, "orders.csv.gz": bad });
    expect(messages[0]).toMatch(/^FILE_DAMAGED: orders\.csv\.gz is a damaged gzip stream \(incorrect data check/);
  });

  it("input-gzip-not-gzip: a plain CSV named .csv.gz is FILE_DAMAGED (bad header), not read as text", async () => {
    const messages = await refused({ "customers.csv": CUSTOMERS_CSV, "orders.csv.gz": ORDERS });
    expect(messages[0]).toMatch(/^FILE_DAMAGED: orders\.csv\.gz is a damaged gzip stream \(not a gzip stream/);
  });

  it("input-gzip-concatenated: two gzip members (as `cat a.gz b.gz` makes) load every row", async () => {
    const lines = ORDERS.split("\n");
    const first = `${lines.slice(0, 1501).join("\n")}\n`;
    const rest = lines.slice(1501).join("\n");
    await ingested(
      { "customers.csv": CUSTOMERS_CSV, "orders.csv.gz": Buffer.concat([gzipSync(first), gzipSync(rest)]) },
      (l) => expect(l.table("orders")).toMatchObject({ read: 3000, inserted: 3000, rejected: 0 }),
    );
  });
});
