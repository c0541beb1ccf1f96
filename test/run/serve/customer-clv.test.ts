import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitClv } from "../../../src/clv-store/fit.js";
import { predictClv } from "../../../src/clv-store/predict.js";
import type { Engine } from "../../../src/engine/engine.js";
import { buildServer } from "../../../src/serve/server.js";
import { col, ident, select, sql } from "../../../src/sql/index.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { ingestCdnowSample } from "../clv/support.js";
import { memoryStore } from "../support.js";
import { get } from "./support.js";

interface FileRow {
  customer_id: string;
  frequency: number;
  recency: number;
  T: number;
  monetary_value: number | null;
  p_alive: number;
  expected_purchases: number;
  expected_spend: number | null;
  clv: number | null;
}
interface Body {
  prediction: {
    frequency: number;
    recency: number;
    T: number;
    monetaryValue: number | null;
    pAlive: number;
    expectedPurchases: number;
    expectedSpend: number | null;
    clv: number | null;
  } | null;
}

/** Relative closeness: the file's values pass through SQL (a decimal mean as a double), the route's through TypeScript. */
const close = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** `GET /customers/{id}/clv` on the CDNOW sample: each customer's row of `tierwise clv predict`. */
describe("GET /customers/{id}/clv", () => {
  let engine: Engine;
  let app: FastifyInstance;
  let key: string;
  let dir = "";
  beforeAll(async () => {
    engine = await memoryStore();
    await ingestCdnowSample(engine);
    key = await createApiKey(engine, "k", "viewer");
    app = await buildServer(engine, { logger: false });
    await app.ready();
    dir = await mkdtemp(join(tmpdir(), "tw-serve-clv-"));
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("before a fit: 404 CLV_NO_MODEL", async () => {
    const id = (
      await engine.query(select({ id: col.text }, sql`SELECT min(customer_id) AS id FROM ${ident("customers")}`))
    )[0]?.id;
    const r = await get(app, `/customers/${id}/clv`, key);
    expect([r.status, (r.body as { code: string }).code]).toEqual([404, "CLV_NO_MODEL"]);
  });

  it("after `clv fit`: each customer's figures are their row of `clv predict` (12 and 6 months)", async () => {
    await fitClv(engine, { calibrationEnd: "1997-09-30" });
    for (const months of [12, 6]) {
      const out = join(dir, `p${months}.json`);
      await predictClv(engine, { out, horizon: { amount: months, unit: "month" } });
      const rows = JSON.parse(await readFile(out, "utf8")) as FileRow[];
      expect(rows.length).toBeGreaterThan(1000);
      // Every 97th customer: one-time buyers and repeat buyers alike.
      const sample = rows.filter((_, i) => i % 97 === 0);
      expect(sample.some((r) => Number(r.frequency) === 0) && sample.some((r) => Number(r.frequency) > 2)).toBe(true);
      for (const f of sample) {
        const r = await get(app, `/customers/${encodeURIComponent(f.customer_id)}/clv?months=${months}`, key);
        expect(r.status).toBe(200);
        const p = (r.body as Body).prediction;
        const n = (v: number | null) => (v === null ? null : Number(v));
        const ok =
          p !== null &&
          p.frequency === Number(f.frequency) &&
          close(p.recency, n(f.recency)) &&
          close(p.T, n(f.T)) &&
          close(p.monetaryValue, n(f.monetary_value)) &&
          close(p.pAlive, n(f.p_alive)) &&
          close(p.expectedPurchases, n(f.expected_purchases)) &&
          close(p.expectedSpend, n(f.expected_spend)) &&
          close(p.clv, n(f.clv));
        expect({ id: f.customer_id, months, p, f, ok }).toMatchObject({ ok: true });
      }
    }
  });
});
