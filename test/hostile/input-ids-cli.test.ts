import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

/** A store with customers C1 (ingested as `C1` + zero-width space) and C2, graded once. */
async function gradedStore(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tw-ids-cli-"));
  await writeFile(join(dir, "customers.csv"), "customer_id,name,kind\nC1\u200b,Ann,b2c\nC2,Bob,b2c\n");
  await writeFile(
    join(dir, "orders.csv"),
    "order_id,customer_id,ordered_at,amount\nO1,C1,2024-01-01,5\nO2,\ufeffC2,2024-02-01,7\n",
  );
  const db = join(dir, "shop.duckdb");
  const ingest = await runCli(["ingest", dir, "--db", db]);
  expect(ingest.code, ingest.stderr).toBe(0);
  const run = await runCli(["run", "--db", db, "--preset", "rfm", "--as-of", "2025-01-01"]);
  expect(run.code, run.stderr).toBe(0);
  return db;
}

describe("hostile input through the CLI: ids typed with invisible characters", () => {
  let db = "";
  beforeAll(async () => {
    db = await gradedStore();
  });

  it("input-ids-cli-trailing-zero-width: explain 'C1' + zero-width space explains customer C1", async () => {
    const r = await runCli(["explain", "C1\u200b", "--db", db, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).entityId).toBe("C1");
  });

  it("input-ids-cli-inner-zero-width: explain 'C' + zero-width space + '1' is a usage error naming U+200B (exit 2)", async () => {
    const r = await runCli(["explain", "C\u200b1", "--db", db]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "error: <id> contains the invisible or control character U+200B, which no id may hold; retype it",
    );
  });

  it("input-ids-cli-only-invisible: history with an id of only invisible characters is a usage error (exit 2)", async () => {
    const r = await runCli(["history", "\u2060\u00a0", "--db", db]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("error: <id> is empty (or only invisible characters)");
  });
});
