/**
 * The translation of driver failures that the environment causes, for the
 * cases a test machine cannot produce for real: PostgreSQL's disk_full
 * (53100) and the socket errors of a server that cannot be reached.
 */
import { describe, expect, it } from "vitest";
import { TierwiseError } from "../../src/errors/index.js";
import { postgresOpenFailure, storeWorkFailure } from "../../src/store/store-failure.js";

/** An error as node-postgres makes it: a message and a SQLSTATE `code`. */
function pgError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("driver failures as store codes", () => {
  it("PostgreSQL disk_full (53100) mid-command is DISK_FULL naming the redacted URL; other errors pass unchanged", () => {
    const full = storeWorkFailure(
      pgError('could not extend file "base/16384/16385": No space left on device', "53100"),
      "postgresql://u:***@db/shop",
      "server",
    );
    expect(full).toBeInstanceOf(TierwiseError);
    expect((full as TierwiseError).oneLine()).toBe(
      "DISK_FULL: the disk holding postgresql://u:***@db/shop is full (free space unknown): the command stopped and the store keeps what it held before; free some space and run again",
    );
    const other = pgError('relation "x" does not exist', "42P01");
    expect(storeWorkFailure(other, "postgresql://db/shop", "server")).toBe(other);
  });

  it("socket failures (also wrapped in an AggregateError) are STORE_UNREACHABLE with a plain reason", () => {
    const refused = new AggregateError([Object.assign(new Error(""), { code: "ECONNREFUSED" })], "");
    expect(postgresOpenFailure(refused, "postgresql://db:5432/shop").oneLine()).toBe(
      "STORE_UNREACHABLE: cannot reach the PostgreSQL server of postgresql://db:5432/shop: connection refused (is the server running, and on that port?)",
    );
    const unknownHost = Object.assign(new Error("getaddrinfo ENOTFOUND nohost"), { code: "ENOTFOUND" });
    expect(postgresOpenFailure(unknownHost, "postgresql://nohost/shop").code).toBe("STORE_UNREACHABLE");
    expect(postgresOpenFailure(unknownHost, "postgresql://nohost/shop").message).toContain("unknown host name");
    const auth = pgError('password authentication failed for user "u"', "28P01");
    expect(postgresOpenFailure(auth, "postgresql://u:***@db/shop").oneLine()).toBe(
      'STORE_ACCESS_DENIED: the PostgreSQL server of postgresql://u:***@db/shop refused the login: password authentication failed for user "u"',
    );
  });

  it("a DuckDB failure naming another file (an input, an output) is not blamed on the store", () => {
    const input = new Error('IO Error: Cannot open file "/data/in/orders.csv": Permission denied');
    expect(storeWorkFailure(input, "/data/shop.duckdb", "file")).toBe(input);
    const wal = new Error('IO Error: Cannot open file "/data/shop.duckdb.wal": Permission denied');
    expect((storeWorkFailure(wal, "/data/shop.duckdb", "file") as TierwiseError).code).toBe("STORE_READ_ONLY");
    const out = new Error('IO Error: Could not write file "/nonexistent-disk/out.parquet": No space left on device');
    expect((storeWorkFailure(out, "/data/shop.duckdb", "file") as TierwiseError).oneLine()).toMatch(
      /^DISK_FULL: the disk holding \/nonexistent-disk\/out\.parquet is full \(free space unknown\)/,
    );
  });
});
