import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Engine } from "../engine/engine.js";
import { InternalError } from "../errors/index.js";
import { listOverrides, type Override, overrideAudit, removeOverride, setOverride } from "../run/overrides.js";
import type { ServeContext } from "./context.js";
import { decodeIdCursor, pageOf } from "./id-cursor.js";
import { NewOverride, OverridePage, OverrideQuery, OverrideView, RecordParams } from "./override-schemas.js";
import { authorOf, bodyId } from "./record-author.js";
import { ErrorBody, SECURED } from "./schemas.js";
import "./route-config.js";

const ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 500: ErrorBody } as const;

/** Today (UTC): an override expiring today no longer applies to a run as of today. */
const today = () => new Date().toISOString().slice(0, 10);

/** Overrides with their audit trail, as the routes answer them. */
async function withAudit(engine: Engine, overrides: readonly Override[]) {
  const log = await overrideAudit(
    engine,
    overrides.map((o) => o.id),
  );
  return overrides.map((o) => ({
    id: o.id,
    customer_id: o.entityId,
    scheme: o.scheme,
    tier: o.tier,
    mode: o.mode,
    reason: o.reason,
    created_by: o.by,
    created_at: o.createdAt,
    expires: o.expires,
    removed_at: o.removedAt,
    audit: log
      .filter((l) => Number(l.override_id) === o.id)
      .map((l) => ({
        action: l.action,
        at: l.logged_at,
        by: l.by_name,
        tier: l.tier,
        mode: l.mode,
        reason: l.reason,
        previous: l.previous,
      })),
  }));
}

/** The one override `id`, active or not, with its audit trail. */
async function overrideById(engine: Engine, id: number) {
  const [found] = await listOverrides(engine, { all: true, afterId: id - 1, limit: 1 });
  const [view] = await withAudit(engine, found?.id === id ? [found] : []);
  if (view === undefined) throw new InternalError(`override ${id} is not in the store`);
  return view;
}

/**
 * `POST /overrides`, `GET /overrides`, `DELETE /overrides/{id}`: manual
 * tiers as `tierwise override set / list / remove` make them (the same
 * functions of src/run/overrides.ts), the author being the key's name.
 */
export function overrideRoutes(app: FastifyInstance, { engine, queue }: ServeContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/overrides",
    {
      config: { access: "change overrides" },
      schema: {
        summary: "Set an override (replaces the customer's active one in the scheme), as `tierwise override set`",
        tags: ["overrides"],
        security: SECURED,
        body: NewOverride,
        response: { 201: OverrideView, ...ERRORS, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { customer_id, scheme, tier, mode, reason, expires } = request.body;
      const entityId = bodyId("customer_id", customer_id);
      const by = authorOf(request);
      const view = await queue.run(async () => {
        const o = await setOverride(engine, {
          entityId,
          scheme,
          tier,
          mode,
          reason,
          by,
          ...(expires ? { expires } : {}),
        });
        return overrideById(engine, o.id);
      });
      return reply.code(201).send(view);
    },
  );

  api.get(
    "/overrides",
    {
      config: { access: "read overrides" },
      schema: {
        summary: "Overrides in id order, each with its audit trail, as `tierwise override list`",
        tags: ["overrides"],
        security: SECURED,
        querystring: OverrideQuery,
        response: { 200: OverridePage, ...ERRORS },
      },
    },
    async (request) => {
      const { customer_id, scheme, all, limit, cursor } = request.query;
      const afterId = decodeIdCursor(cursor);
      const entityId = customer_id === undefined ? undefined : bodyId("customer_id", customer_id);
      return queue.run(async () => {
        const rows = await listOverrides(engine, {
          ...(scheme === undefined ? {} : { scheme }),
          ...(entityId === undefined ? {} : { entityId }),
          ...(all ? { all: true } : { activeOn: today() }),
          ...(afterId === undefined ? {} : { afterId }),
          limit: limit + 1,
        });
        const { page, next_cursor } = pageOf(rows, limit, (o) => o.id);
        return { items: await withAudit(engine, page), next_cursor };
      });
    },
  );

  api.delete(
    "/overrides/:id",
    {
      config: { access: "change overrides" },
      schema: {
        summary: "Remove an active override (its audit trail keeps it), as `tierwise override remove`",
        tags: ["overrides"],
        security: SECURED,
        params: RecordParams,
        response: { 200: OverrideView, ...ERRORS, 404: ErrorBody },
      },
    },
    async (request) => {
      const by = authorOf(request);
      return queue.run(async () => {
        await removeOverride(engine, request.params.id, by);
        return overrideById(engine, request.params.id);
      });
    },
  );
}
