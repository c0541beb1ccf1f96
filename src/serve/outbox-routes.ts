import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { outboxPage } from "../delivery/outbox-page.js";
import { ApiError } from "./api-error.js";
import type { ServeContext } from "./context.js";
import { ErrorBody, SECURED } from "./schemas.js";
import { EventPage, EventQuery } from "./webhook-schemas.js";
import "./route-config.js";

/** A cursor is opaque to callers: base64url JSON of the last event id of the page. */
export function encodeEventCursor(after: number): string {
  return Buffer.from(JSON.stringify({ after }), "utf8").toString("base64url");
}

function decodeEventCursor(cursor: string): number {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof value === "object" && value !== null && "after" in value && Number.isSafeInteger(value.after))
      return value.after as number;
  } catch {
    // reported below
  }
  throw ApiError.invalid("cursor", "is not a cursor this server gave (pass next_cursor unchanged)");
}

/** `GET /events`: the outbox as `tierwise events` lists it, filtered and paged. */
export function outboxRoutes(app: FastifyInstance, { engine, queue }: ServeContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/events",
    {
      config: { access: "read events" },
      schema: {
        summary: "The outbox: tier changes and alerts, oldest first (as `tierwise events`)",
        tags: ["events"],
        security: SECURED,
        querystring: EventQuery,
        response: { 200: EventPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 500: ErrorBody },
      },
    },
    async (request) => {
      const { run, scheme, kind, customer, delivered, limit, cursor } = request.query;
      const after = cursor === undefined ? null : decodeEventCursor(cursor);
      const page = await queue.run(() =>
        outboxPage(engine, {
          run: run ?? null,
          scheme: scheme ?? null,
          kind: kind ?? null,
          customer: customer ?? null,
          delivered: delivered === undefined ? null : delivered === "true",
          after,
          limit,
        }),
      );
      const last = page.items.at(-1);
      return { items: page.items, next_cursor: page.more && last ? encodeEventCursor(last.eventId) : null };
    },
  );
}
