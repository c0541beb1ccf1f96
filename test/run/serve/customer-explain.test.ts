import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { explain } from "../../../src/insight/explain.js";
import { buildServer } from "../../../src/serve/server.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { seedLifecycle } from "../lifecycle/support.js";
import { insertRows, memoryStore } from "../support.js";
import { call, get } from "./support.js";

/**
 * `GET /customers/{id}` reads the explanations the server keeps per run and
 * data (src/insight/explain-cache.ts); they must be what `tierwise explain
 * ID --json` prints (the JSON of `explain`, which recomputes). The store of
 * the lifecycle tests: six customers A–F under six lifecycle schemes, five
 * runs, a floor override (F, Retention), a fixed one (E, Grace) and a
 * ceiling (B, Grace).
 */
describe("GET /customers/{id} = `explain ID --json`, lifecycle and overrides included", () => {
  let engine: Engine;
  let app: FastifyInstance;
  let key: string;
  beforeAll(async () => {
    engine = await memoryStore();
    await seedLifecycle(engine);
    key = await createApiKey(engine, "k", "viewer");
    app = await buildServer(engine, { logger: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  const same = async (id: string) => {
    const r = await get(app, `/customers/${id}`, key);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(JSON.parse(JSON.stringify(await explain(engine, id))));
    return r.body as { dataChanged: boolean; schemes: { scheme: string; lifecycle: unknown; override: unknown }[] };
  };

  it("every customer, twice (the second read from what the first kept)", async () => {
    for (const round of [1, 2])
      for (const id of ["A", "B", "C", "D", "E", "F"]) expect({ round, id, ok: !!(await same(id)) }).toBeTruthy();
    const f = await same("F");
    expect(f.schemes.find((s) => s.scheme === "Retention")?.override).toMatchObject({ mode: "floor", tier: "Gold" });
    const b = await same("B");
    expect(b.schemes.find((s) => s.scheme === "Grace")?.override).toMatchObject({ mode: "ceiling" });
    expect(b.schemes.filter((s) => s.lifecycle !== null)).toHaveLength(6);
    expect(b.dataChanged).toBe(false);
  });

  it("after the data changed (a write request went through the server), values and dataChanged are recomputed", async () => {
    const before = (await same("A")) as unknown as { schemes: { values: { value: unknown }[] }[] };
    await insertRows(engine, "orders", [
      { order_id: "late-1", customer_id: "A", ordered_at: "2026-04-20", amount: 99999, status: "completed" },
    ]);
    // Any request but GET, HEAD and OPTIONS may write: the server takes the fingerprint again after one.
    await call(app, "POST", "/no-such-route", key, {});
    const after = (await same("A")) as unknown as { dataChanged: boolean; schemes: { values: { value: unknown }[] }[] };
    expect(after.dataChanged).toBe(true);
    expect(after.schemes.map((s) => s.values)).not.toEqual(before.schemes.map((s) => s.values));
    // An override made since is read as it stands then.
    await insertRows(engine, "tw_overrides", [
      {
        override_id: 9,
        scheme: "Stay",
        entity_id: "C",
        tier: "Gold",
        mode: "fixed",
        reason: "key account",
        created_by: "k",
        created_at: "2026-01-03 00:00:00",
      },
    ]);
    // Made by a request (the override routes): the server reads the overrides again after it.
    await call(app, "POST", "/no-such-route", key, {});
    const c = await same("C");
    expect(c.schemes.find((s) => s.scheme === "Stay")?.override).toMatchObject({
      mode: "fixed",
      reason: "key account",
    });
  });
});
