import { describe, expect, it } from "vitest";
import { listen } from "../../../src/serve/listen.js";
import { buildServer } from "../../../src/serve/server.js";
import { raw } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { live, NOW } from "./live-support.js";

/** Accepted events are never lost: close() with events in flight answers them, and every acknowledged one is stored. */
describe("graceful shutdown with events in flight", () => {
  it("every event acknowledged before close() is in the store, with its customer's live grade", async () => {
    const s = await live();
    await s.app.close();
    const app = await buildServer(s.engine, { logger: false, now: () => NOW });
    const EVENTS = 12;
    let arrived = 0;
    let allArrived: () => void = () => undefined;
    const all = new Promise<void>((resolve) => {
      allArrived = resolve;
    });
    app.addHook("preHandler", async () => {
      if (++arrived === EVENTS) allArrived();
    });
    const server = await listen(app, "127.0.0.1", 0);
    try {
      // No keep-alive: close() would otherwise also wait out the idle sockets (Fastify keeps them 72 s).
      const headers = { authorization: `Bearer ${s.key}`, "content-type": "application/json", connection: "close" };
      const customers = ["c05", "c06", "c07", "c08"];
      const inFlight = Array.from({ length: EVENTS }, (_, i) =>
        fetch(`${server.url}/events/orders`, {
          method: "POST",
          headers,
          body: JSON.stringify({
            order_id: `flight-${i}`,
            customer_id: customers[i % customers.length],
            ordered_at: "2025-12-30T10:00:00Z",
            amount: 1000 * (i + 1),
            status: "completed",
          }),
        }).then((r) => r.status),
      );
      await all; // every event is in the server: queued on the store or being written
      const closing = server.close();
      const statuses = await Promise.all(inFlight);
      await closing;
      expect(statuses).toEqual(Array(EVENTS).fill(200));
      const stored = await s.engine.query(
        rawRows<{ order_id: string }>(
          raw("SELECT order_id FROM orders WHERE order_id LIKE 'flight-%' ORDER BY order_id"),
        ),
      );
      expect(stored.map((r) => r.order_id).sort()).toEqual(
        Array.from({ length: EVENTS }, (_, i) => `flight-${i}`).sort(),
      );
      const graded = await s.engine.query(
        rawRows<{ customer_id: string }>(
          raw("SELECT DISTINCT customer_id FROM tw_live_grades WHERE event_id LIKE 'flight-%' ORDER BY customer_id"),
        ),
      );
      expect(graded.map((g) => g.customer_id)).toEqual(customers);
    } finally {
      await s.engine.close();
    }
  });
});
