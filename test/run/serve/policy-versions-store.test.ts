import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { activatedVersions, activatePolicy, activePolicy } from "../../../src/run/active-policy.js";
import { raw, sql } from "../../../src/sql/fragment.js";
import { ensureStoreSchema } from "../../../src/store/schema.js";
import { rawRows } from "../../support/raw-rows.js";
import { memoryStore } from "../support.js";

/** The active policy in the store (tw_policy_versions, schema 6), below the HTTP routes. */
describe("policy versions in the store", () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  it("a schema-5 store gets tw_policy_versions and schema 6 when opened for writing", async () => {
    engine = await memoryStore();
    await engine.exec(sql`DROP TABLE ${raw("tw_policy_versions")}`);
    await engine.exec(raw("UPDATE tw_meta SET value = '5' WHERE key = 'schema_version'"));
    await ensureStoreSchema(engine);
    const version = await engine.query(
      rawRows<{ value: string }>(raw("SELECT value FROM tw_meta WHERE key = 'schema_version'")),
    );
    expect(version[0]?.value).toBe("6");
    const v = await activatePolicy(engine, await loadPolicy({ presets: ["abc"] }), "after-upgrade");
    expect(v).toMatchObject({ version: 1, author: "after-upgrade" });
  });

  it("numbers versions 1, 2, …; the highest is active; the same text again stores nothing", async () => {
    engine = await memoryStore();
    await expect(activePolicy(engine)).rejects.toMatchObject({ code: "NO_ACTIVE_POLICY" });
    const abc = await loadPolicy({ presets: ["abc"] });
    const rfm = await loadPolicy({ presets: ["rfm"] });
    expect((await activatePolicy(engine, abc, "a")).version).toBe(1);
    expect((await activatePolicy(engine, rfm, "b")).version).toBe(2);
    expect((await activatePolicy(engine, rfm, "c")).version).toBe(2);
    expect((await activatePolicy(engine, abc, "d")).version).toBe(3);
    expect((await activatedVersions(engine)).map((v) => [v.version, v.author])).toEqual([
      [3, "d"],
      [2, "b"],
      [1, "a"],
    ]);
    expect(await activePolicy(engine)).toMatchObject({ source: "activated", version: 3, text: abc.text });
  });
});
