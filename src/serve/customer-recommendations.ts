import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { recommendFor } from "../insight/recommend.js";
import { normaliseId } from "../model/index.js";
import { unknownEntity } from "../run/unknown-entity.js";
import { entityExistsSql } from "../sql/run/records.js";
import { ApiError } from "./api-error.js";
import type { ServeContext } from "./context.js";
import { CustomerRecommendations, RecommendationsQuery } from "./customer-schemas.js";
import { CustomerParams, ERROR_RESPONSES, SECURED } from "./schemas.js";
import "./route-config.js";

/**
 * `GET /customers/{id}/recommendations`: what peers of the customer's tier
 * buy that they have not (`recommendFor`: the rows `tierwise recommend`
 * writes for them, computed for their tier alone).
 */
export function customerRecommendationRoutes(app: FastifyInstance, { engine, queue }: ServeContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/customers/:id/recommendations",
    {
      config: { access: "read customers" },
      schema: {
        summary: "Cross-selling for one customer: what peers of their tier buy that they have not",
        tags: ["customers"],
        security: SECURED,
        params: CustomerParams,
        querystring: RecommendationsQuery,
        response: { 200: CustomerRecommendations, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const id = normaliseId(request.params.id);
      if (!id.ok) throw ApiError.invalid("id", `is not an id (${id.problem})`);
      const { scheme, level, top } = request.query;
      return queue.run(async () => {
        if (((await engine.query(entityExistsSql("customers", id.id)))[0]?.n ?? 0) === 0)
          throw await unknownEntity(engine, ["customers"], id.id, "customer");
        return recommendFor(engine, id.id, { level, top, ...(scheme === undefined ? {} : { scheme }) });
      });
    },
  );
}
