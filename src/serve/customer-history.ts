import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { TierwiseError } from "../errors/index.js";
import { history } from "../insight/history.js";
import { normaliseId } from "../model/index.js";
import { findRun } from "../run/runs.js";
import { unknownEntity } from "../run/unknown-entity.js";
import { entityExistsSql } from "../sql/run/records.js";
import { ApiError } from "./api-error.js";
import type { ServeContext } from "./context.js";
import { CustomerHistory, HistoryQuery } from "./customer-schemas.js";
import { CustomerParams, ERROR_RESPONSES, SECURED } from "./schemas.js";
import "./route-config.js";

/**
 * `GET /customers/{id}/history`: the customer's tier changes across the
 * stored runs, as `tierwise history ID --json` prints them (one set-based
 * query over the customer's grades); a sub-resource, so the customer's own
 * read stays one lookup.
 */
export function customerHistoryRoutes(app: FastifyInstance, { engine, queue }: ServeContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/customers/:id/history",
    {
      config: { access: "read customers" },
      schema: {
        summary: "One customer's tier changes across the stored runs (as `tierwise history ID --json`)",
        tags: ["customers"],
        security: SECURED,
        params: CustomerParams,
        querystring: HistoryQuery,
        response: { 200: CustomerHistory, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const id = normaliseId(request.params.id);
      if (!id.ok) throw ApiError.invalid("id", `is not an id (${id.problem})`);
      const { scheme } = request.query;
      return queue.run(async () => {
        await findRun(engine);
        if (((await engine.query(entityExistsSql("customers", id.id)))[0]?.n ?? 0) === 0)
          throw await unknownEntity(engine, ["customers"], id.id, "customer");
        try {
          return await history(engine, id.id, scheme === undefined ? {} : { scheme });
        } catch (error) {
          // A customer no run graded (in that scheme) has no changes; an unknown scheme stays an error.
          if (error instanceof TierwiseError && error.code === "UNKNOWN_ENTITY")
            return { entityId: id.id, changes: [] };
          throw error;
        }
      });
    },
  );
}
