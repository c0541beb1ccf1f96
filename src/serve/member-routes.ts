import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { memberStatus } from "../insight/member-status.js";
import { normaliseId } from "../model/index.js";
import { ApiError } from "./api-error.js";
import type { ServeContext } from "./context.js";
import { MemberParams, MemberStatusBody } from "./member-schemas.js";
import { ERROR_RESPONSES, SECURED } from "./schemas.js";
import "./route-config.js";

/** `GET /members/{id}/status`: what a shop may show its member (customer-facing schemes only). */
export function memberRoutes(app: FastifyInstance, { queue }: ServeContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    "/members/:id/status",
    {
      config: { access: "member status" },
      schema: {
        summary:
          "A member's tiers in the customer-facing schemes: benefits, progress, projected tier, pending downgrade",
        tags: ["members"],
        security: SECURED,
        params: MemberParams,
        response: { 200: MemberStatusBody, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const id = normaliseId(request.params.id);
      if (!id.ok) throw ApiError.invalid("id", `is not an id (${id.problem})`);
      const status = await queue.read((engine) => memberStatus(engine, id.id));
      return {
        customer_id: status.customerId,
        run: { id: status.runId, as_of: status.asOf },
        currency: status.currency,
        locale: status.locale,
        schemes: status.schemes.map((s) => ({
          scheme: s.scheme,
          tier: s.tier,
          benefits: s.benefits.map((b) => ({ name: b.name, discount_percent: b.discountPercent })),
          next_tier: s.nextTier,
          progress: s.progress,
          projected: s.projected,
          pending_downgrade: s.pendingDowngrade && {
            tier: s.pendingDowngrade.tier,
            due_on: s.pendingDowngrade.dueOn,
            text: s.pendingDowngrade.text,
          },
        })),
      };
    },
  );
}
