/**
 * A --db that is not a usable Tierwise store says what it is, in one coded
 * line: not a DuckDB database at all (random bytes, text, an empty file),
 * a damaged DuckDB file, a DuckDB database of someone else's tables, a
 * store of another Tierwise version, a folder; and a PostgreSQL server that
 * cannot be reached. Each case runs the real CLI.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import { sql } from "../../src/sql/index.js";
import { readSchemaVersionSql, STORE_SCHEMA_VERSION, writeSchemaVersionSql } from "../../src/sql/store/schema.js";
import { runCli } from "../support/cli.js";
import { fingerprint, makeStore } from "./store-fixture.js";
import { holdStore } from "./store-processes.js";

let dir: string;
let store: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-store-not-"));
  store = join(dir, "good", "shop.duckdb");
  await makeStore(store, 12);
});

/** The one stderr line of a failed command; asserts exit 1, a single line and no "unexpected error". */
async function failure(args: readonly string[]): Promise<string> {
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toContain("unexpected error");
  return lines[0] ?? "";
}

/** A copy of the good store's bytes at a new path, changed by `edit`. */
async function copyOfStore(name: string, edit: (bytes: Buffer) => Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, edit(await readFile(store)));
  return path;
}

/** Set the recorded schema version of a copy of the good store. */
async function storeWithSchema(name: string, version: number): Promise<string> {
  const path = await copyOfStore(name, (b) => b);
  const engine = await DuckDbEngine.open({ path });
  try {
    await engine.exec(writeSchemaVersionSql(version));
    expect((await engine.query<{ value: string }>(readSchemaVersionSql()))[0]?.value).toBe(String(version));
  } finally {
    await engine.close();
  }
  return path;
}

describe("a --db that is not a Tierwise store", () => {
  it("random bytes: STORE_NOT_TIERWISE, not a DuckDB database", async () => {
    const path = join(dir, "random.duckdb");
    await writeFile(path, randomBytes(64 * 1024));
    const line = await failure(["summary", "--db", path]);
    expect(line).toBe(`error: STORE_NOT_TIERWISE: ${path} is not a Tierwise store: the file is not a DuckDB database`);
  });

  it("a text file named .duckdb: STORE_NOT_TIERWISE for reading and writing commands alike", async () => {
    const path = join(dir, "notes.duckdb");
    await writeFile(path, "customer_id,name\nC1,Ann\n");
    expect(await failure(["report", "--db", path])).toMatch(/^error: STORE_NOT_TIERWISE: .*not a DuckDB database$/);
    expect(await failure(["run", "--preset", "value-grades", "--db", path])).toMatch(/^error: STORE_NOT_TIERWISE: /);
    expect(await readFile(path, "utf8")).toBe("customer_id,name\nC1,Ann\n");
  });

  it("an empty file: STORE_NOT_TIERWISE saying it is empty", async () => {
    const path = join(dir, "empty.duckdb");
    await writeFile(path, "");
    expect(await failure(["history", "C000001", "--db", path])).toBe(
      `error: STORE_NOT_TIERWISE: ${path} is not a Tierwise store: the file is empty (0 bytes)`,
    );
  });

  it("a truncated DuckDB file: STORE_UNREADABLE saying it ends early", async () => {
    const path = await copyOfStore("truncated.duckdb", (b) => b.subarray(0, 20_000));
    expect(await failure(["summary", "--db", path])).toBe(
      `error: STORE_UNREADABLE: ${path} cannot be read: the DuckDB file ends early (it is truncated or damaged); restore it from a backup`,
    );
  });

  it("a DuckDB database of other tables: STORE_NOT_TIERWISE for a reading command, and it is left alone", async () => {
    const path = join(dir, "theirs.duckdb");
    const engine = await DuckDbEngine.open({ path });
    await engine.exec(sql`CREATE TABLE invoices (id INTEGER)`);
    await engine.close();
    expect(await failure(["explain", "C000001", "--db", path])).toBe(
      `error: STORE_NOT_TIERWISE: ${path} is not a Tierwise store: it is a DuckDB database without Tierwise's tables (tw_meta)`,
    );
    expect(await fingerprint(path)).toEqual({ invoices: 0 });
  });

  it("a store of a newer Tierwise: STORE_SCHEMA_NEWER from a read-only open, beside another reader", async () => {
    const path = await storeWithSchema("newer.duckdb", STORE_SCHEMA_VERSION + 1);
    const reader = await holdStore(path, "read");
    try {
      expect(await failure(["summary", "--db", path, "--wait", "0"])).toBe(
        `error: STORE_SCHEMA_NEWER: ${path} was written by a newer Tierwise (schema ${STORE_SCHEMA_VERSION + 1}, this one knows ${STORE_SCHEMA_VERSION})`,
      );
    } finally {
      await reader.release();
    }
  });

  it("a store of an older Tierwise: a reading command says to upgrade it with a writing one, and writes nothing", async () => {
    const path = await storeWithSchema("older.duckdb", STORE_SCHEMA_VERSION - 1);
    const before = await readFile(path);
    expect(await failure(["report", "--db", path])).toBe(
      `error: STORE_SCHEMA_OLDER: ${path} has an older store layout (schema ${STORE_SCHEMA_VERSION - 1}, this Tierwise uses ${STORE_SCHEMA_VERSION}); run a command that writes it first, such as \`tierwise run\`, to upgrade it`,
    );
    expect((await readFile(path)).equals(before)).toBe(true);
  });

  it("a folder: STORE_UNREADABLE saying it is a folder", async () => {
    const path = join(dir, "folder.duckdb");
    await mkdir(path);
    expect(await failure(["summary", "--db", path])).toBe(
      `error: STORE_UNREADABLE: ${path} cannot be read: it is a folder`,
    );
  });

  it("a missing file stays NO_STORE for a reading command, and nothing is created", async () => {
    const path = join(dir, "missing.duckdb");
    expect(await failure(["report", "--db", path])).toMatch(/^error: NO_STORE: no store at /);
    await expect(readFile(path)).rejects.toThrow();
  });

  it("a PostgreSQL port nobody listens on: STORE_UNREACHABLE, connection refused, password redacted", async () => {
    const line = await failure([
      "summary",
      "--engine",
      "postgres",
      "--database-url",
      "postgresql://u:hunter2@127.0.0.1:1/shop",
    ]);
    expect(line).toBe(
      "error: STORE_UNREACHABLE: cannot reach the PostgreSQL server of postgresql://u:***@127.0.0.1:1/shop: connection refused (is the server running, and on that port?)",
    );
    expect(line).not.toContain("hunter2");
  });
});
