import type { FastifyInstance } from "fastify";
import type { Engine } from "../../../src/engine/engine.js";
import { buildServer } from "../../../src/serve/server.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { grade, memoryStore, seed } from "../support.js";
import { CUSTOMERS } from "./support.js";

/**
 * Events in and real-time grades (docs/serve.md, "Events and real-time
 * grades"). The store of the serve tests (spend in 2025: c01 400, c02 300,
 * c03 and c04 100, c05…c12 10, x none) graded by value-grades (thresholds),
 * abc (pareto: A ≥ 100, B ≥ 10, C below, the cut-offs of run 1) and
 * satisfaction (rules on surveys) as of 2026-01-01; the server's clock is
 * 2025-12-31 12:00 UTC, so the live as-of is 2026-01-01, the run's.
 */
export const NOW = new Date("2025-12-31T12:00:00Z");

const ORDERS = CUSTOMERS.flatMap((c, i) => {
  const id = String(c["customer_id"]);
  if (id === "x") return [];
  const amount = ({ c01: 400, c02: 300, c03: 100, c04: 100 } as Record<string, number>)[id] ?? 10;
  return [{ order_id: `o${i + 1}`, customer_id: id, ordered_at: "2025-06-01", amount, status: "completed" }];
});

export interface Live {
  readonly engine: Engine;
  readonly app: FastifyInstance;
  readonly key: string;
  readonly viewer: string;
  close(): Promise<void>;
}

export async function live(presets: readonly string[] = ["value-grades", "abc", "satisfaction"]): Promise<Live> {
  const engine = await memoryStore();
  await seed(engine, { customers: CUSTOMERS, orders: ORDERS });
  await grade(engine, { presets });
  const key = await createApiKey(engine, "shop", "analyst");
  const viewer = await createApiKey(engine, "crm", "viewer");
  const app = await buildServer(engine, { logger: process.env["TW_LOG"] ? { level: "error" } : false, now: () => NOW });
  await app.ready();
  return {
    engine,
    app,
    key,
    viewer,
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}
