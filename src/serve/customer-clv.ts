import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { customerClv } from "../insight/customer-clv.js";
import { normaliseId } from "../model/index.js";
import { unknownEntity } from "../run/unknown-entity.js";
import { entityExistsSql } from "../sql/run/records.js";
import { ApiError } from "./api-error.js";
import type { ServeContext } from "./context.js";
import { ClvQuery, CustomerClvBody } from "./customer-schemas.js";
import { CustomerParams, ERROR_RESPONSES, SECURED } from "./schemas.js";
import "./route-config.js";

/**
 * `GET /customers/{id}/clv`: the customer's probability alive, expected
 * purchases, spend and CLV from the latest fitted model (`tierwise clv
 * fit`), as `tierwise clv predict` computes their row; 404 `CLV_NO_MODEL`
 * when no model is fitted.
 */
export function customerClvRoutes(app: FastifyInstance, { engine, queue }: ServeContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/customers/:id/clv",
    {
      config: { access: "read customers" },
      schema: {
        summary: "One customer's CLV figures from the latest fitted model (as their row of `tierwise clv predict`)",
        tags: ["customers"],
        security: SECURED,
        params: CustomerParams,
        querystring: ClvQuery,
        response: { 200: CustomerClvBody, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const id = normaliseId(request.params.id);
      if (!id.ok) throw ApiError.invalid("id", `is not an id (${id.problem})`);
      const { months } = request.query;
      return queue.run(async () => {
        if (((await engine.query(entityExistsSql("customers", id.id)))[0]?.n ?? 0) === 0)
          throw await unknownEntity(engine, ["customers"], id.id, "customer");
        return customerClv(engine, id.id, { months });
      });
    },
  );
}
