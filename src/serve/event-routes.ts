import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import { normaliseId } from "../model/index.js";
import { currentGrades } from "../realtime/current-grades.js";
import { type EventItem, EventRejected, type EventTable } from "../realtime/event-rows.js";
import { liveAsOf, recordEvents } from "../realtime/record-events.js";
import { unknownEntity } from "../run/unknown-entity.js";
import { entityExistsSql } from "../sql/run/records.js";
import { ApiError } from "./api-error.js";
import type { ServeContext } from "./context.js";
import { CurrentGrades, EventsAccepted, InteractionEvents, OrderEvents, RefundEvents } from "./event-schemas.js";
import { CustomerParams, ERROR_RESPONSES, ErrorBody, SECURED } from "./schemas.js";
import "./route-config.js";

type Body = z.infer<typeof OrderEvents> | z.infer<typeof RefundEvents> | z.infer<typeof InteractionEvents>;

/** The items of a body: one event, or `{ items }`. */
function itemsOf(body: Body): { items: EventItem[]; batch: boolean } {
  if ("items" in body && Array.isArray(body.items)) return { items: body.items as EventItem[], batch: true };
  return { items: [body as EventItem], batch: false };
}

/**
 * `POST /events/orders`, `/events/refunds`, `/events/interactions` and
 * `GET /customers/{id}/grades`: events written with the ingest's rules, the
 * customers they name re-graded before the answer (src/realtime).
 */
export function eventRoutes(app: FastifyInstance, { engine, queue, now }: ServeContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const clock = now ?? (() => new Date());
  const post = (path: string, table: EventTable, schema: typeof OrderEvents, name: string, credit = false) =>
    api.post(
      path,
      {
        config: { access: "send events" },
        schema: {
          summary: `Write ${name} events and re-grade their customers at once`,
          tags: ["events"],
          security: SECURED,
          body: schema,
          response: {
            200: EventsAccepted,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            422: ErrorBody,
            500: ErrorBody,
          },
        },
      },
      async (request) => {
        const { items, batch } = itemsOf(request.body as Body);
        const rows = credit ? items.map((i) => ({ ...i, kind: "credit" })) : items;
        const at = clock();
        try {
          // Answered only once committed: an acknowledged event is in the store.
          const regraded = await queue.run(() => recordEvents(engine, table, rows, at));
          return {
            accepted: items.length,
            as_of: liveAsOf(at),
            customers: regraded.map((r) => ({
              id: r.customer,
              run: r.run,
              grades: r.grades.map((g) => ({
                scheme: g.scheme,
                tier: g.tier,
                rank: g.rank,
                score: g.score,
                rule: g.rule,
                cutoffs_run: g.cutoffsRun,
              })),
              changes: [...r.changes],
              skipped: [...r.skipped],
            })),
          };
        } catch (error) {
          if (!(error instanceof EventRejected)) throw error;
          const at = batch ? `items.${error.item}` : "";
          const field = [at, error.column ?? ""].filter((p) => p !== "").join(".") || "body";
          throw new ApiError(422, { code: error.code, message: `${field}: ${error.reason}`, field });
        }
      },
    );
  post("/events/orders", "orders", OrderEvents, "order");
  post("/events/refunds", "orders", RefundEvents as unknown as typeof OrderEvents, "refund (credit note)", true);
  post("/events/interactions", "interactions", InteractionEvents, "interaction");

  api.get(
    "/customers/:id/grades",
    {
      config: { access: "read customers" },
      schema: {
        summary: "A customer's grades now: the latest run's, overlaid with live grades made by events since",
        tags: ["customers", "events"],
        security: SECURED,
        params: CustomerParams,
        response: { 200: CurrentGrades, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const id = normaliseId(request.params.id);
      if (!id.ok) throw ApiError.invalid("id", `is not an id (${id.problem})`);
      return queue.read(async (engine) => {
        if (((await engine.query(entityExistsSql("customers", id.id)))[0]?.n ?? 0) === 0)
          throw await unknownEntity(engine, ["customers"], id.id, "customer");
        const { run, grades } = await currentGrades(engine, id.id);
        return {
          id: id.id,
          run: { id: run.id, as_of: run.asOf },
          grades: grades.map((g) => ({
            scheme: g.scheme,
            tier: g.tier,
            rank: g.rank,
            score: g.score,
            rule: g.rule,
            life_state: g.lifeState,
            due_on: g.dueOn,
            source: g.source,
            as_of: g.asOf,
            event: g.event,
            cutoffs_run: g.cutoffsRun,
            basis:
              g.source === "run"
                ? `run ${run.id} as of ${run.asOf}`
                : `live as of ${g.asOf ?? "?"} after ${g.event?.table ?? "event"} ${g.event?.id ?? ""}` +
                  (g.cutoffsRun === null ? "" : `, against the cut-offs stored with run ${g.cutoffsRun}`),
          })),
        };
      });
    },
  );
}
