import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { Engine } from "../../../src/engine/engine.js";
import { join, raw, sql } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";

/** One request a receiver read: its headers and raw body. */
export interface Hit {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface HookReceiver {
  readonly url: string;
  readonly hits: Hit[];
  /** Resolves once `n` requests were read in full. */
  received(n: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A webhook receiver on 127.0.0.1, port 0; `answer(n)` is the status of the n-th request (0-based), or a
 * promise of it (the request stays in flight until it settles), or "never".
 */
export async function hookReceiver(
  answer: (n: number) => number | Promise<number> | "never" = () => 200,
): Promise<HookReceiver> {
  const hits: Hit[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = hits.length;
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      for (const w of waiting.filter((x) => hits.length >= x.n)) w.resolve();
      const a = answer(n);
      if (a !== "never") void Promise.resolve(a).then((status) => res.writeHead(status).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hits,
    received: (n) =>
      hits.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `count` made-up tier changes appended to the outbox (event ids after the
 * last one), as a run would write them: what the deliverer sends.
 */
export async function appendEvents(engine: Engine, count: number, runId = 1): Promise<void> {
  const last = await engine.query(
    rawRows<{ n: unknown }>(raw("SELECT coalesce(max(event_id), 0) AS n FROM tw_events")),
  );
  const base = Number(last[0]?.n ?? 0);
  for (let from = 0; from < count; from += 100) {
    const rows = Array.from({ length: Math.min(100, count - from) }, (_, i) => {
      const id = base + from + i + 1;
      return sql`(${raw(String(id))}, ${raw(String(runId))}, CAST('2026-01-01' AS DATE), 'abc', ${`e${id}`}, 'B', 'A',
        'tier_change', ${`${runId}:abc:e${id}`}, CAST('2026-01-01 06:00:00' AS TIMESTAMP), 'thresholds')`;
    });
    await engine.exec(sql`INSERT INTO tw_events (event_id, run_id, as_of, scheme, entity_id, from_tier, to_tier, kind,
      idempotency_key, created_at, reason) VALUES ${join(rows)}`);
  }
}
