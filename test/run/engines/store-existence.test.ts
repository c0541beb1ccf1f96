import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TierwiseError } from "../../../src/errors/index.js";
import { openStore } from "../../../src/store/index.js";
import { createTestDatabase } from "../../support/postgres-database.js";

/**
 * `openStore(…, { create: false })` (what reading commands use) refuses a
 * store that is not there, and creates nothing: a missing DuckDB file, or a
 * PostgreSQL database without Tierwise's tables.
 */
const onPostgres = process.env["TIERWISE_TEST_ENGINE"] === "postgres";

/** A new, empty PostgreSQL database (no tables) and its connection string. */
async function emptyDatabase(): Promise<string> {
  return (await createTestDatabase("tw_nostore")).url;
}

describe("opening a store that must exist", () => {
  it("refuses a missing store with NO_STORE, creates nothing, and opens it once it exists", async () => {
    if (onPostgres) {
      const databaseUrl = await emptyDatabase();
      const options = { engine: "postgres", databaseUrl } as const;
      const error = await openStore("", { ...options, create: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TierwiseError);
      expect((error as TierwiseError).code).toBe("NO_STORE");
      expect((error as TierwiseError).message).toMatch(/^no store at postgresql:\/\/.* — run `tierwise ingest DIR`/);
      // Still no tables: refusing created nothing, so the same call is refused again.
      expect(
        ((await openStore("", { ...options, create: false }).catch((e: unknown) => e)) as TierwiseError).code,
      ).toBe("NO_STORE");
      await (await openStore("", options)).close();
      await (await openStore("", { ...options, create: false })).close();
    } else {
      const path = join(await mkdtemp(join(tmpdir(), "tw-nostore-")), "shop.duckdb");
      const error = await openStore(path, { create: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TierwiseError);
      expect((error as TierwiseError).oneLine()).toBe(
        `NO_STORE: no store at ${path} — run \`tierwise ingest DIR\` or \`tierwise demo\` first`,
      );
      expect(existsSync(path)).toBe(false);
      await (await openStore(path)).close();
      await (await openStore(path, { create: false })).close();
    }
  });
});
