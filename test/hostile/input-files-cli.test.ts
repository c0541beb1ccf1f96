import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { CUSTOMERS_CSV } from "../support/ingest-fixture.js";

const ORDERS = Array.from({ length: 2923 }, (_, i) => `O${i + 1},C1,2024-01-01,${i + 1}`).join("\n");

async function folder(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tw-files-cli-"));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

describe("hostile files through the CLI", () => {
  it("input-files-cli-truncated-gzip: a cut orders.csv.gz exits 1 with FILE_DAMAGED and creates no store rows", async () => {
    const zipped = gzipSync(`order_id,customer_id,ordered_at,amount\n${ORDERS}\n`);
    const cut = zipped.subarray(0, Math.floor(zipped.length / 2));
    const dir = await folder({ "customers.csv": CUSTOMERS_CSV, "orders.csv.gz": cut });
    const db = join(dir, "shop.duckdb");
    const r = await runCli(["ingest", dir, "--db", db]);
    expect(r.code).toBe(1);
    const size = cut.length.toLocaleString("en-US");
    expect(r.stderr.trim()).toBe(
      `error: FILE_DAMAGED at ${join(dir, "orders.csv.gz")}: orders.csv.gz is a damaged gzip stream (unexpected end of file at or before byte ${size} of ${size}); nothing was loaded`,
    );
    expect((await runCli(["summary", "--db", db, "--json"])).stdout).not.toMatch(/"orders":\s*[1-9]/);
  });

  it("input-files-cli-ndjson-bad-line: one malformed line among 2,923 exits 0 with 2,922 loaded and 1 rejected", async () => {
    const lines = Array.from({ length: 2923 }, (_, i) =>
      i === 1000
        ? '{"order_id":"O1001","customer_id":"C1",'
        : `{"order_id":"O${i + 1}","customer_id":"C1","ordered_at":"2024-01-01","amount":${i + 1}}`,
    );
    const dir = await folder({ "customers.csv": CUSTOMERS_CSV, "orders.ndjson": `${lines.join("\n")}\n` });
    const r = await runCli(["ingest", dir, "--db", join(dir, "shop.duckdb"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const orders = JSON.parse(r.stdout).tables.find((t: { table: string }) => t.table === "orders");
    expect(orders).toMatchObject({ read: 2923, inserted: 2922, rejected: 1 });
    expect(orders.reasons).toEqual([
      { code: "MALFORMED_JSON", field: null, reason: "the line is not valid JSON", count: 1 },
    ]);
  });
});
