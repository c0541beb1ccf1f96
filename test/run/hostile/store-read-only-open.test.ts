/**
 * `openStore(…, { readOnly: true })`, what every reading command uses, on
 * both engines: it reads what a writing open wrote, it upgrades nothing (an
 * older store is refused with STORE_SCHEMA_OLDER and stays as it was), and
 * a writing open then upgrades it as before.
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import { DuckDbEngine } from "../../../src/engine/duckdb-engine.js";
import type { Engine } from "../../../src/engine/engine.js";
import { PostgresEngine } from "../../../src/engine/postgres-engine.js";
import type { TierwiseError } from "../../../src/errors/index.js";
import { raw } from "../../../src/sql/index.js";
import { STORE_SCHEMA_VERSION } from "../../../src/sql/store/schema.js";
import { openStore } from "../../../src/store/index.js";
import { rawRows } from "../../support/raw-rows.js";
import { newChildStore } from "../child/child-store.js";
import { insertRows } from "../support.js";

const onPostgres = process.env["TIERWISE_TEST_ENGINE"] === "postgres";
const open: Engine[] = [];

/** Open the store `spec` (a DuckDB file or a postgres:// URL), read-only or to write. */
async function openSpec(spec: string, readOnly: boolean): Promise<Engine> {
  const options = /^postgres(ql)?:\/\//.test(spec) ? { engine: "postgres" as const, databaseUrl: spec } : {};
  const engine = await openStore(spec, { ...options, ...(readOnly ? { readOnly } : {}) });
  open.push(engine);
  return engine;
}

async function schemaVersion(engine: Engine): Promise<string | undefined> {
  return (
    await engine.query(rawRows<{ value: string }>(raw("SELECT value FROM tw_meta WHERE key = 'schema_version'")))
  ).at(0)?.value;
}

afterEach(async () => {
  for (const engine of open.splice(0)) await engine.close();
});

describe("a read-only open of a store", () => {
  it("reads what a writing open wrote", async () => {
    const spec = await newChildStore(onPostgres ? inject("pgUrl") : undefined);
    const writer = await openSpec(spec, false);
    await insertRows(writer, "customers", [{ customer_id: "C1" }, { customer_id: "C2" }]);
    await writer.close();
    open.splice(open.indexOf(writer), 1);
    const reader = await openSpec(spec, true);
    const rows = await reader.query(rawRows<{ n: unknown }>(raw("SELECT count(*) AS n FROM customers")));
    expect(Number(rows[0]?.n)).toBe(2);
  });

  it("refuses an older store with STORE_SCHEMA_OLDER and leaves it as it was; a writing open upgrades it", async () => {
    const spec = await newChildStore(onPostgres ? inject("pgUrl") : undefined);
    const writer = await openSpec(spec, false);
    const older = String(STORE_SCHEMA_VERSION - 1);
    await writer.exec(raw(`UPDATE tw_meta SET value = '${older}' WHERE key = 'schema_version'`));
    await writer.close();
    open.splice(open.indexOf(writer), 1);
    const error = (await openSpec(spec, true).catch((e: unknown) => e)) as TierwiseError;
    expect(error.code).toBe("STORE_SCHEMA_OLDER");
    expect(error.message).toContain(`(schema ${older}, this Tierwise uses ${STORE_SCHEMA_VERSION})`);
    const plain = /^postgres/.test(spec)
      ? await PostgresEngine.open({ url: spec })
      : await DuckDbEngine.open({ path: spec });
    try {
      expect(await schemaVersion(plain)).toBe(older);
    } finally {
      await plain.close();
    }
    const upgraded = await openSpec(spec, false);
    expect(await schemaVersion(upgraded)).toBe(String(STORE_SCHEMA_VERSION));
  });
});
