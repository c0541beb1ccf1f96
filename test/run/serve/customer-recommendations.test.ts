import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { recommend } from "../../../src/insight/recommend.js";
import { buildServer } from "../../../src/serve/server.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { seedCrossSell } from "../recommend/support.js";
import { memoryStore } from "../support.js";
import { get } from "./support.js";

interface Row {
  customer_id: string;
  tier: string;
  rank: number;
  item: string;
  name: string | null;
  support: number;
  confidence: number | null;
  lift: number | null;
}

/**
 * `GET /customers/{id}/recommendations` on the hand-checked cross-sell
 * fixture (test/run/recommend/support.ts, value-grades): each customer's
 * rows of the file `tierwise recommend` writes for the whole run.
 */
describe("GET /customers/{id}/recommendations", () => {
  let engine: Engine;
  let app: FastifyInstance;
  let key: string;
  let dir = "";
  beforeAll(async () => {
    engine = await memoryStore();
    await seedCrossSell(engine);
    key = await createApiKey(engine, "k", "viewer");
    app = await buildServer(engine, { logger: false });
    await app.ready();
    dir = await mkdtemp(join(tmpdir(), "tw-serve-recommend-"));
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["product", 2],
    ["category", 1],
  ] as const)("level %s, top %i: each customer's rows of `recommend`'s file", async (level, top) => {
    const out = join(dir, `all-${level}.json`);
    await recommend(engine, { out, scheme: "value-grades", level, top });
    const file = JSON.parse(await readFile(out, "utf8")) as Row[];
    for (const id of ["G1", "G2", "G3", "G4", "G5", "G6", "R1", "R4", "R5", "N1"]) {
      const r = await get(app, `/customers/${id}/recommendations?level=${level}&top=${top}`, key);
      expect(r.status).toBe(200);
      const body = r.body as { tier: string | null; items: Omit<Row, "customer_id" | "tier">[] };
      const mine = file.filter((x) => x.customer_id === id);
      expect({ id, items: body.items }).toEqual({
        id,
        items: mine.map(({ rank, item, name, support, confidence, lift }) => ({
          rank: Number(rank),
          item,
          name,
          support: Number(support),
          confidence: confidence === null ? null : Number(confidence),
          lift: lift === null ? null : Number(lift),
        })),
      });
      if (mine[0]) expect(body.tier).toBe(mine[0].tier);
    }
  });

  it("hand-checked: G5 (Gold, bought A) gets B by the rule A → B (confidence 3/4, lift 1.5), then D by popularity", async () => {
    const r = await get(app, "/customers/G5/recommendations?top=2", key);
    expect(r.body).toMatchObject({
      customerId: "G5",
      scheme: "value-grades",
      tier: "Gold",
      level: "product",
      items: [
        { rank: 1, item: "B", support: 0.5, confidence: 0.75, lift: 1.5 },
        { rank: 2, item: "D", support: 0.5, confidence: null, lift: null },
      ],
    });
  });

  it("an unknown customer is a 404, an unknown scheme a 400", async () => {
    const nobody = await get(app, "/customers/nobody/recommendations", key);
    expect([nobody.status, (nobody.body as { code: string }).code]).toEqual([404, "UNKNOWN_ENTITY"]);
    const scheme = await get(app, "/customers/G1/recommendations?scheme=nope", key);
    expect([scheme.status, (scheme.body as { field: string }).field]).toEqual([400, "scheme"]);
  });
});
