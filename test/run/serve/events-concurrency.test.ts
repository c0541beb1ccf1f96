import { expect, it } from "vitest";
import { raw } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";
import { grade } from "../support.js";
import { live } from "./live-support.js";
import { CUSTOMERS, call } from "./support.js";

/**
 * 40 events from 8 customers posted at once while three full runs go on as
 * background jobs (POST /runs, each on a connection of its own): every
 * event is acknowledged and stored once, and no outbox event id is given
 * twice (events and runs both number outbox events).
 */
it("events while full runs go on: none lost, none doubled, outbox ids unique", async () => {
  const s = await live();
  try {
    const started = await Promise.all(
      [0, 1, 2].map(() =>
        call(s.app, "POST", "/runs", s.key, {
          presets: ["value-grades", "abc", "satisfaction"],
          as_of: "2026-01-01",
          allow_future: true,
        }),
      ),
    );
    expect(started.map((r) => r.status)).toEqual([202, 202, 202]);
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
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    for (const r of started) expect(await jobStatus(s, (r.body as { id: string }).id)).toBe("succeeded");
    const [row] = await s.engine.query(
      rawRows<{ dup: number; orders: number; runs: number }>(
        raw(`SELECT (SELECT count(*) FROM (SELECT event_id FROM tw_events GROUP BY event_id HAVING count(*) > 1) x) AS dup,
          (SELECT count(*) FROM orders WHERE order_id LIKE 'cc%') AS orders, (SELECT count(*) FROM tw_runs) AS runs`),
      ),
    );
    expect([Number(row?.dup), Number(row?.orders), Number(row?.runs)]).toEqual([0, 40, 4]);
  } finally {
    await s.close();
  }
});

/** The job's status once it has finished (polled by count). */
async function jobStatus(s: Awaited<ReturnType<typeof live>>, id: string): Promise<string> {
  let status = "queued";
  for (let poll = 0; poll < 4000 && (status === "queued" || status === "running"); poll++) {
    status = ((await call(s.app, "GET", `/jobs/${id}`, s.viewer)).body as { status: string }).status;
    if (status === "queued" || status === "running") await new Promise((done) => setTimeout(done, 25));
  }
  return status;
}

/**
 * The concurrency case through the API only: 8 clients each post
 * their events one after another while a full run (POST /runs, a job on its
 * own connection) and reads (GET /customers/{id}/grades, GET /customers)
 * go on. Afterwards no event is lost or doubled, and every customer's grade
 * now equals a batch run of all the data at the same as-of: the run that
 * finished in the middle superseded the live grades it might not have seen,
 * and those customers were graded again on top of it.
 */
it("8 clients posting events while a run job and reads go on: none lost or doubled, every grade consistent after", async () => {
  const s = await live(["value-grades", "satisfaction"]);
  try {
    const clients = Array.from({ length: 8 }, (_, client) =>
      (async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) {
          const r = await call(s.app, "POST", "/events/orders", s.key, {
            order_id: `k${client}-${i}`,
            customer_id: `c${String(1 + ((client * 3 + i) % 12)).padStart(2, "0")}`,
            ordered_at: "2025-12-30",
            amount: 9000 * ((client + i) % 4),
            status: "completed",
          });
          statuses.push(r.status);
        }
        return statuses;
      })(),
    );
    const started = await call(s.app, "POST", "/runs", s.key, {
      presets: ["value-grades", "satisfaction"],
      as_of: "2026-01-01",
      allow_future: true,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const readers = Array.from({ length: 3 }, (_, r) =>
      (async () => {
        let ok = 0;
        for (let i = 0; i < 8; i++) {
          const a = await call(
            s.app,
            "GET",
            `/customers/c${String(1 + ((r + i) % 12)).padStart(2, "0")}/grades`,
            s.viewer,
          );
          const b = await call(s.app, "GET", "/customers?limit=5", s.viewer);
          if (a.status === 200 && b.status === 200) ok++;
        }
        return ok;
      })(),
    );
    const answered = (await Promise.all(clients)).flat();
    expect(answered).toEqual(Array(48).fill(200));
    expect(await Promise.all(readers)).toEqual([8, 8, 8]);
    expect(await jobStatus(s, (started.body as { id: string }).id)).toBe("succeeded");

    const [row] = await s.engine.query(
      rawRows<{ dup: number; orders: number }>(
        raw(`SELECT (SELECT count(*) FROM (SELECT event_id FROM tw_events GROUP BY event_id HAVING count(*) > 1) x) AS dup,
          (SELECT count(*) FROM orders WHERE order_id LIKE 'k%') AS orders`),
      ),
    );
    expect([Number(row?.dup), Number(row?.orders)]).toEqual([0, 48]);
    const now = new Map<string, string | null>();
    for (const c of CUSTOMERS) {
      const id = String(c["customer_id"]);
      const r = await call(s.app, "GET", `/customers/${id}/grades`, s.viewer);
      const g = (r.body as { grades?: { scheme: string; tier: string | null }[] }).grades ?? [];
      now.set(id, g.find((x) => x.scheme === "value-grades")?.tier ?? null);
    }
    const batch = await grade(s.engine, { presets: ["value-grades", "satisfaction"] }, "2026-01-01");
    const want = new Map(
      CUSTOMERS.map((c) => [String(c["customer_id"]), batch.grades.get(String(c["customer_id"]))?.tier ?? null]),
    );
    expect(now).toEqual(want);
  } finally {
    await s.close();
  }
});
