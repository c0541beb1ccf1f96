import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  circuitOf,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  type RegisteredWebhook,
  registerWebhook,
  retryDelivery,
} from "../delivery/registered-webhooks.js";
import { checkWebhookUrl } from "../delivery/webhook-url.js";
import { urlDeliveriesSql } from "../sql/delivery/outbox-page.js";
import { ApiError } from "./api-error.js";
import type { ServeContext } from "./context.js";
import { ErrorBody, SECURED } from "./schemas.js";
import {
  DeliveryPage,
  DeliveryQuery,
  RetryParams,
  RetryResultView,
  WebhookCreate,
  WebhookCreated,
  WebhookList,
  WebhookParams,
  WebhookView,
} from "./webhook-schemas.js";
import "./route-config.js";

function view(w: RegisteredWebhook) {
  return {
    id: w.id,
    url: w.url,
    events: [...w.events],
    schemes: w.schemes === null ? null : [...w.schemes],
    created_by: w.createdBy,
    created_at: w.createdAt,
  };
}

const cursorOf = (event: number, attempt: number) =>
  Buffer.from(JSON.stringify({ event, attempt }), "utf8").toString("base64url");

function decodeDeliveryCursor(cursor: string): { event: number; attempt: number } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      typeof v === "object" &&
      v !== null &&
      "event" in v &&
      "attempt" in v &&
      Number.isSafeInteger(v.event) &&
      Number.isSafeInteger(v.attempt)
    )
      return { event: v.event as number, attempt: v.attempt as number };
  } catch {
    // reported below
  }
  throw ApiError.invalid("cursor", "is not a cursor this server gave (pass next_cursor unchanged)");
}

/** The errors each route can give (500: a bug, answered by the one error handler). */
const DENIED = { 401: ErrorBody, 403: ErrorBody, 500: ErrorBody } as const;
const BY_ID = { 400: ErrorBody, 404: ErrorBody, ...DENIED } as const;

/**
 * Webhook endpoints registered through the API: register, list, remove,
 * their delivery log, a manual retry. Endpoints are configuration: admin only.
 */
export function webhookRoutes(app: FastifyInstance, { engine, queue, webhooks }: ServeContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    "/webhooks",
    {
      config: { access: "manage webhooks" },
      schema: {
        summary: "Register a webhook endpoint (its secret is stored encrypted and never shown again)",
        tags: ["webhooks"],
        security: SECURED,
        body: WebhookCreate,
        response: { 201: WebhookCreated, 400: ErrorBody, 409: ErrorBody, 503: ErrorBody, ...DENIED },
      },
    },
    async (request, reply) => {
      const { url, secret, events, schemes } = request.body;
      const checked = await checkWebhookUrl(url, webhooks.allowPrivate ?? false);
      if (!checked.ok) throw ApiError.invalid("url", checked.problem);
      const made = await queue.run(() =>
        registerWebhook(
          engine,
          {
            url: checked.url,
            ...(secret === undefined ? {} : { secret }),
            ...(events === undefined ? {} : { events }),
            ...(schemes === undefined ? {} : { schemes }),
          },
          webhooks.secretKey,
          request.caller?.name ?? "(unknown)",
        ),
      );
      return reply.code(201).send({ ...view(made.webhook), ...(made.secret === null ? {} : { secret: made.secret }) });
    },
  );
  api.get(
    "/webhooks",
    {
      config: { access: "manage webhooks" },
      schema: {
        summary: "The registered webhook endpoints (policy webhooks are in the policy)",
        tags: ["webhooks"],
        security: SECURED,
        response: { 200: WebhookList, ...DENIED },
      },
    },
    async () => ({ items: (await queue.run(() => listWebhooks(engine))).map(view) }),
  );
  api.delete(
    "/webhooks/:id",
    {
      config: { access: "manage webhooks" },
      schema: {
        summary: "Remove a webhook endpoint: nothing more is sent to it (its delivery log stays)",
        tags: ["webhooks"],
        security: SECURED,
        params: WebhookParams,
        response: { 200: WebhookView, ...BY_ID },
      },
    },
    async (request) =>
      queue.run(async () => {
        const hook = await getWebhook(engine, request.params.id);
        await deleteWebhook(engine, hook.id);
        return view(hook);
      }),
  );
  api.get(
    "/webhooks/:id/deliveries",
    {
      config: { access: "manage webhooks" },
      schema: {
        summary: "Every delivery attempt to the endpoint (event, attempt, status, error) and its circuit breaker",
        tags: ["webhooks"],
        security: SECURED,
        params: WebhookParams,
        querystring: DeliveryQuery,
        response: { 200: DeliveryPage, ...BY_ID },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = cursor === undefined ? null : decodeDeliveryCursor(cursor);
      return queue.run(async () => {
        const hook = await getWebhook(engine, request.params.id);
        const circuit = await circuitOf(engine, hook.url);
        const rows = await engine.query(urlDeliveriesSql(hook.url, after, limit));
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          circuit: { failures: circuit.failures, open_until: circuit.openUntil },
          items: page.map((r) => ({ ...r })),
          next_cursor: rows.length > limit && last ? cursorOf(last.event_id, last.attempt) : null,
        };
      });
    },
  );
  api.post(
    "/webhooks/:id/deliveries/:eventId/retry",
    {
      config: { access: "manage webhooks" },
      schema: {
        summary: "Send one undelivered event to the endpoint now, once (the deliverer retries on its own too)",
        tags: ["webhooks"],
        security: SECURED,
        params: RetryParams,
        response: { 200: RetryResultView, ...BY_ID, 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const { id, eventId } = request.params;
      const r = await queue.run(() =>
        retryDelivery(engine, id, eventId, webhooks.secretKey, {
          timeoutMs: Math.min(webhooks.delivery?.timeoutMs ?? 10_000, 10_000),
          ...(webhooks.delivery?.failureThreshold === undefined
            ? {}
            : { failureThreshold: webhooks.delivery.failureThreshold }),
          ...(webhooks.delivery?.cooldownMs === undefined ? {} : { cooldownMs: webhooks.delivery.cooldownMs }),
        }),
      );
      return { delivered: r.delivered, attempted: r.attempted, circuit_open: r.circuitOpen };
    },
  );
}
