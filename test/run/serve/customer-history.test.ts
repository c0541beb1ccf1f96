import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { history } from "../../../src/insight/history.js";
import { buildServer } from "../../../src/serve/server.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { seedLifecycle } from "../lifecycle/support.js";
import { insertRows, memoryStore } from "../support.js";
import { get } from "./support.js";

/** `GET /customers/{id}/history` on the lifecycle store (five runs, 2026-01-01 … 2026-05-01): `history ID --json`. */
describe("GET /customers/{id}/history", () => {
  let engine: Engine;
  let app: FastifyInstance;
  let key: string;
  beforeAll(async () => {
    engine = await memoryStore();
    await seedLifecycle(engine);
    await insertRows(engine, "customers", [{ customer_id: "N", name: "New" }]);
    key = await createApiKey(engine, "k", "viewer");
    app = await buildServer(engine, { logger: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  it("is what `tierwise history ID --json` prints, for every customer", async () => {
    for (const id of ["A", "B", "C", "D", "E", "F"]) {
      const r = await get(app, `/customers/${id}/history`, key);
      expect(r.status).toBe(200);
      expect(r.body).toEqual(JSON.parse(JSON.stringify(await history(engine, id))));
    }
  });

  it("hand-checked: A in Retention enters Gold, drops to Silver at the third run, to Member at the fourth", async () => {
    const r = await get(app, "/customers/A/history?scheme=Retention", key);
    const changes = (r.body as { changes: { asOf: string; from: string | null; to: string; direction: string }[] })
      .changes;
    expect(changes.map((c) => [c.asOf, c.from, c.to, c.direction])).toEqual([
      ["2026-01-01", null, "Gold", "entered"],
      ["2026-03-01", "Gold", "Silver", "down"],
      ["2026-04-01", "Silver", "Member", "down"],
    ]);
  });

  it("a customer no run graded has no changes; an unknown customer is a 404, an unknown scheme a 400", async () => {
    expect((await get(app, "/customers/N/history", key)).body).toEqual({ entityId: "N", changes: [] });
    const nobody = await get(app, "/customers/nobody/history", key);
    expect([nobody.status, (nobody.body as { code: string }).code]).toEqual([404, "UNKNOWN_ENTITY"]);
    const scheme = await get(app, "/customers/A/history?scheme=nope", key);
    expect([scheme.status, (scheme.body as { field: string }).field]).toEqual([400, "scheme"]);
  });
});
