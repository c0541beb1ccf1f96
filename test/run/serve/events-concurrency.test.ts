import { expect, it } from "vitest";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { raw } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { live } from "./live-support.js";
import { call } from "./support.js";

/**
 * 40 events from 8 customers posted at once while three full runs go on
 * on a second connection (as a background run job does): every event is
 * acknowledged and stored once, and no outbox event id is given twice.
 */
it("events while full runs go on: none lost, none doubled, outbox ids unique", async () => {
  const s = await live();
  const other = await s.engine.connect();
  try {
    const policy = await loadPolicy({ presets: ["value-grades", "abc", "satisfaction"] });
    const runs = (async () => {
      for (let i = 0; i < 3; i++) await run(other, policy, { asOf: "2026-01-01" });
    })();
    const posts = Array.from({ length: 40 }, (_, i) =>
      call(s.app, "POST", "/events/orders", s.key, {
        order_id: `cc${i}`,
        customer_id: `c${String(5 + (i % 8)).padStart(2, "0")}`,
        ordered_at: "2025-12-30",
        amount: 20000 * (i % 5),
        status: "completed",
      }),
    );
    const answers = await Promise.all(posts);
    await runs;
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    const [row] = await s.engine.query(
      rawRows<{ dup: number; orders: number }>(
        raw(`SELECT (SELECT count(*) FROM (SELECT event_id FROM tw_events GROUP BY event_id HAVING count(*) > 1) x) AS dup,
          (SELECT count(*) FROM orders WHERE order_id LIKE 'cc%') AS orders`),
      ),
    );
    expect([Number(row?.dup), Number(row?.orders)]).toEqual([0, 40]);
  } finally {
    await other.close();
    await s.close();
  }
}, 300_000);
