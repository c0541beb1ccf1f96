import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { listRatings, type Rating, rate, removeRating } from "../run/ratings.js";
import type { ServeContext } from "./context.js";
import { decodeIdCursor, pageOf } from "./id-cursor.js";
import { RecordParams } from "./override-schemas.js";
import { NewRating, RatingPage, RatingQuery, RatingView } from "./rating-schemas.js";
import { authorOf, bodyId } from "./record-author.js";
import { ErrorBody, SECURED } from "./schemas.js";
import "./route-config.js";

const ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 500: ErrorBody } as const;

const view = (r: Rating) => ({
  id: r.id,
  customer_id: r.customerId,
  prospects: r.rating,
  rated_at: r.ratedAt,
  rated_by: r.ratedBy,
  removed_at: r.removedAt,
  removed_by: r.removedBy,
});

/**
 * `POST /ratings`, `GET /ratings`, `DELETE /ratings/{id}`: the manual
 * prospects ratings of the scorecard, as `tierwise rate` records them (the
 * same functions of src/run/ratings.ts), the author being the key's name.
 */
export function ratingRoutes(app: FastifyInstance, { engine, queue }: ServeContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/ratings",
    {
      config: { access: "change ratings" },
      schema: {
        summary: "Rate a customer's prospects (1-5) for the scorecard, as `tierwise rate`",
        tags: ["ratings"],
        security: SECURED,
        body: NewRating,
        response: { 201: RatingView, ...ERRORS, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const customerId = bodyId("customer_id", request.body.customer_id);
      const by = authorOf(request);
      const rating = await queue.run(() => rate(engine, customerId, request.body.prospects, { by }));
      return reply.code(201).send(view(rating));
    },
  );

  api.get(
    "/ratings",
    {
      config: { access: "read ratings" },
      schema: {
        summary: "Prospects ratings in id order, with who rated and removed them",
        tags: ["ratings"],
        security: SECURED,
        querystring: RatingQuery,
        response: { 200: RatingPage, ...ERRORS },
      },
    },
    async (request) => {
      const { customer_id, all, limit, cursor } = request.query;
      const afterId = decodeIdCursor(cursor);
      const customerId = customer_id === undefined ? undefined : bodyId("customer_id", customer_id);
      const rows = await queue.run(() =>
        listRatings(engine, {
          ...(customerId === undefined ? {} : { customerId }),
          ...(all ? { all: true } : {}),
          ...(afterId === undefined ? {} : { afterId }),
          limit: limit + 1,
        }),
      );
      const { page, next_cursor } = pageOf(rows, limit, (r) => r.id);
      return { items: page.map(view), next_cursor };
    },
  );

  api.delete(
    "/ratings/:id",
    {
      config: { access: "change ratings" },
      schema: {
        summary: "Remove a rating: runs no longer use it; the audit log keeps it",
        tags: ["ratings"],
        security: SECURED,
        params: RecordParams,
        response: { 200: RatingView, ...ERRORS, 404: ErrorBody },
      },
    },
    async (request) => {
      const by = authorOf(request);
      return view(await queue.run(() => removeRating(engine, request.params.id, by)));
    },
  );
}
