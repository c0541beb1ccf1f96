import type { Engine } from "../engine/engine.js";
import { type OutboxSearch, outboxPageSql } from "../sql/delivery/outbox-page.js";
import { type TierEvent, toEvent } from "./events.js";

export type { OutboxSearch } from "../sql/delivery/outbox-page.js";

/** One page of the outbox (`GET /events`): the events as `tierwise events` lists them, and whether each reached a webhook. */
export async function outboxPage(
  engine: Engine,
  search: OutboxSearch,
): Promise<{ items: (TierEvent & { delivered: boolean })[]; more: boolean }> {
  const rows = await engine.query(outboxPageSql(search));
  const more = rows.length > search.limit;
  return {
    items: rows.slice(0, search.limit).map((r) => ({ ...toEvent(r), delivered: r.delivered })),
    more,
  };
}
