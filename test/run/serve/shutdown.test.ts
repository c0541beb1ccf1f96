import { describe, expect, it } from "vitest";
import { listen } from "../../../src/serve/listen.js";
import { buildServer } from "../../../src/serve/server.js";
import { memoryStore } from "../support.js";
import { served } from "./support.js";

describe("graceful shutdown and readiness", () => {
  it("close() finishes the requests in flight, then refuses new connections", async () => {
    const s = await served();
    await s.app.close();
    const app = await buildServer(s.engine, { logger: false });
    let arrived = 0;
    let allArrived: () => void = () => undefined;
    const eight = new Promise<void>((resolve) => {
      allArrived = resolve;
    });
    app.addHook("preHandler", async () => {
      if (++arrived === 8) allArrived();
    });
    const server = await listen(app, "127.0.0.1", 0);
    try {
      const headers = { authorization: `Bearer ${s.keys.viewer}` };
      // 8 explanations queue on the one store connection; close() starts while they are in flight
      const inFlight = ["c01", "c02", "c03", "c04", "c05", "c06", "c07", "x"].map((id) =>
        fetch(`${server.url}/customers/${id}`, { headers }).then(async (r) => ({
          status: r.status,
          body: await r.json(),
        })),
      );
      await eight; // all 8 are in the server (queued on the store or answering)
      const closing = server.close();
      const answers = await Promise.all(inFlight);
      await closing;
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(answers.map((a) => (a.body as { entityId: string }).entityId)).toEqual([
        "c01",
        "c02",
        "c03",
        "c04",
        "c05",
        "c06",
        "c07",
        "x",
      ]);
      await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    } finally {
      await s.engine.close();
    }
  });

  it("/ready is 503 when the store does not answer; /health stays 200", async () => {
    const engine = await memoryStore();
    const app = await buildServer(engine, { logger: false });
    try {
      expect((await app.inject({ url: "/ready" })).json()).toEqual({ status: "ready" });
      await engine.close();
      const ready = await app.inject({ url: "/ready" });
      expect([ready.statusCode, ready.json()]).toEqual([503, { status: "unavailable" }]);
      expect((await app.inject({ url: "/health" })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
