import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { raw, sql } from "../../../src/sql/fragment.js";
import { STORE_SCHEMA_VERSION } from "../../../src/sql/store/schema.js";
import { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from "../../../src/store/api-keys.js";
import { ensureStoreSchema } from "../../../src/store/schema.js";
import { rawRows } from "../../support/raw-rows.js";
import { memoryStore } from "../support.js";

describe("API keys in the store", () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  it("a key is tw_ + id + 32 random bytes, shown once; the store holds a salted HMAC, never the key", async () => {
    engine = await memoryStore();
    const key = await createApiKey(engine, "crm", "analyst");
    expect(key).toMatch(/^tw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(16), "base64url")).toHaveLength(32);
    const rows = await engine.query(rawRows<Record<string, unknown>>(raw("SELECT * FROM tw_api_keys")));
    expect(rows).toHaveLength(1);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(key.slice(16));
    expect(rows[0]?.["key_id"]).toBe(key.slice(3, 15));
    expect(await verifyApiKey(engine, key)).toEqual({ name: "crm", role: "analyst" });
    const other = await createApiKey(engine, "shop", "member");
    expect(other).not.toBe(key);
    expect(await verifyApiKey(engine, other)).toEqual({ name: "shop", role: "member" });
  });

  it("refuses a wrong secret, a wrong id, a malformed key; revoking ends a key", async () => {
    engine = await memoryStore();
    const key = await createApiKey(engine, "crm", "viewer");
    const flipped = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
    const otherId = `tw_${key.slice(3, 15) === "000000000000" ? "111111111111" : "000000000000"}${key.slice(15)}`;
    for (const bad of [flipped, otherId, "", "tw_", key.slice(0, -1), `${key}A`, key.toUpperCase(), `${key}\n`])
      expect(await verifyApiKey(engine, bad)).toBeUndefined();
    await expect(createApiKey(engine, "crm", "admin")).rejects.toMatchObject({ code: "KEY_NAME_TAKEN" });
    await revokeApiKey(engine, "crm");
    expect(await verifyApiKey(engine, key)).toBeUndefined();
    await expect(revokeApiKey(engine, "crm")).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
  });

  it("lists names, roles, created and last used (recorded on use), never a secret", async () => {
    engine = await memoryStore();
    const key = await createApiKey(engine, "b-key", "viewer");
    await createApiKey(engine, "a-key", "admin");
    let list = await listApiKeys(engine);
    expect(list.map((k) => [k.name, k.role, k.lastUsedAt])).toEqual([
      ["b-key", "viewer", null],
      ["a-key", "admin", null],
    ]);
    expect(list[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    await verifyApiKey(engine, key);
    list = await listApiKeys(engine);
    expect(list[0]?.lastUsedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(list[1]?.lastUsedAt).toBeNull();
  });

  it("a schema-4 store gets tw_api_keys and schema 5 when opened for writing", async () => {
    engine = await memoryStore();
    await engine.exec(sql`DROP TABLE ${raw("tw_api_keys")}`);
    await engine.exec(raw("UPDATE tw_meta SET value = '4' WHERE key = 'schema_version'"));
    await ensureStoreSchema(engine);
    const version = await engine.query(
      rawRows<{ value: string }>(raw("SELECT value FROM tw_meta WHERE key = 'schema_version'")),
    );
    expect(version[0]?.value).toBe(String(STORE_SCHEMA_VERSION));
    expect(STORE_SCHEMA_VERSION).toBeGreaterThanOrEqual(5);
    const key = await createApiKey(engine, "after-upgrade", "viewer");
    expect(await verifyApiKey(engine, key)).toEqual({ name: "after-upgrade", role: "viewer" });
  });
});
