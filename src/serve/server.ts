import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { Engine } from "../engine/engine.js";
import { formatMessage } from "../errors/index.js";
import { countRowsSql } from "../sql/store/schema.js";
import { replyError } from "./api-error.js";
import { authHook } from "./auth.js";
import type { ServeContext } from "./context.js";
import { customerClvRoutes } from "./customer-clv.js";
import { customerHistoryRoutes } from "./customer-history.js";
import { customerRecommendationRoutes } from "./customer-recommendations.js";
import { customerRoutes } from "./customers.js";
import { eventRoutes } from "./event-routes.js";
import { ingestRoutes } from "./ingest-routes.js";
import { jobRoutes } from "./job-routes.js";
import { Jobs } from "./jobs.js";
import { DEFAULT_RATE_LIMIT, registerCors, registerRateLimit } from "./limits.js";
import { memberRoutes } from "./member-routes.js";
import { outboxRoutes } from "./outbox-routes.js";
import { overrideRoutes } from "./override-routes.js";
import { policyRoutes } from "./policy-routes.js";
import { ratingRoutes } from "./rating-routes.js";
import { runRoutes } from "./run-routes.js";
import { Health, Ready } from "./schemas.js";
import { StoreQueue } from "./store-queue.js";
import type { UploadLimits } from "./upload.js";
import { webhookDelivery } from "./webhook-delivery.js";
import { webhookRoutes } from "./webhook-routes.js";
import type { WebhookSettings } from "./webhook-settings.js";
import "./route-config.js";

/** Limits of every request (docs/serve.md, Limits). */
export const BODY_LIMIT = 1024 * 1024;
export const REQUEST_TIMEOUT_MS = 30_000;
/** Read connections beside the main one: one per core, at most 4. */
export const DEFAULT_READERS = Math.min(4, availableParallelism());

export interface ServerOptions {
  /** pino options, or false for none (tests); default: JSON lines on stdout at level info. */
  readonly logger?: FastifyServerOptions["logger"];
  readonly version?: string;
  /** Requests per minute per key; 0: no limit (default DEFAULT_RATE_LIMIT). */
  readonly rateLimit?: number;
  /** Connections lent to read-only requests beside the main one (default DEFAULT_READERS; 0: all on the main one). */
  readonly readers?: number;
  /** Origins a browser page may call the API from (CORS); none: CORS off. */
  readonly corsOrigins?: readonly string[];
  /** Limits of `POST /ingest` (default UPLOAD_LIMITS, docs/serve.md, Ingest). */
  readonly upload?: UploadLimits;
  /** Registered webhooks and the continuous deliverer (off unless `deliver`). */
  readonly webhooks?: WebhookSettings;
  /** The clock of real-time grading (tests fix it); default the system's. */
  readonly now?: () => Date;
}

/**
 * The Tierwise HTTP API over an open store: routes, OpenAPI document, docs
 * page, auth, errors and logs. Not listening yet: `startServer`
 * (listen.ts) listens; tests call `inject`. Closing the server waits for
 * the requests in flight and their store work; the store stays open (its
 * opener closes it).
 */
export async function buildServer(engine: Engine, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: "info" },
    // The route, not the URL: ids and search text in a URL are customer data.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: BODY_LIMIT,
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionTimeout: REQUEST_TIMEOUT_MS,
    return503OnClosing: true,
    // Node's own default: an idle keep-alive connection is closed after 5 s (Fastify's 72 s would also
    // hold a graceful shutdown that long).
    keepAliveTimeout: 5_000,
    // Long ids reach the route and get its 400 naming the field (Fastify's default, 100, answers 414).
    routerOptions: { maxParamLength: 2048 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const queue = new StoreQueue(engine, options.readers ?? DEFAULT_READERS);
  const context: ServeContext = {
    engine,
    queue,
    // DuckDB: a job writes in turn with the requests that write (reads go on); PostgreSQL: beside them.
    jobs: new Jobs(engine, app.log, engine.dialect.oneWriterProcess ? (work) => queue.run(work) : undefined),
    webhooks: options.webhooks ?? {},
    ...(options.now ? { now: options.now } : {}),
  };

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Tierwise",
        description: "Customer tiers, their explanations and the runs behind them (docs/serve.md).",
        version: options.version ?? "0",
      },
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } },
    },
    transform: jsonSchemaTransform,
  });
  // The docs page and its assets (served from the package, no CDN) need no key.
  app.addHook("onRoute", (route) => {
    // CORS preflights carry no key by design (answered only for the configured origins).
    if (route.url.startsWith("/docs") || route.method === "OPTIONS")
      route.config = { ...route.config, access: "public" };
  });
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true, uiConfig: { url: "/openapi.json" } });

  app.addHook("onRequest", authHook(engine, queue));
  // After the auth hook (route-level hooks run after the app's): limits count per key.
  await registerRateLimit(app, options.rateLimit ?? DEFAULT_RATE_LIMIT);
  await registerCors(app, options.corsOrigins ?? []);
  // While the server closes, the answers to the requests still in flight close their connections, so
  // that close() ends when they are answered rather than when the clients' keep-alive runs out.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    if (closing) reply.header("connection", "close");
  });
  app.addHook("onResponse", async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? "(no route)",
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        key: request.caller?.name,
      },
      "request",
    );
  });
  app.setErrorHandler(replyError);
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ code: "API_ROUTE_NOT_FOUND", message: formatMessage("API_ROUTE_NOT_FOUND", {}) }),
  );
  app.addHook("onClose", async () => {
    await Promise.all([queue.drain(), context.jobs.drain()]);
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    "/health",
    {
      config: { access: "public" },
      schema: { summary: "The process is up", tags: ["operation"], response: { 200: Health } },
    },
    async () => ({ status: "ok" as const }),
  );
  api.get(
    "/ready",
    {
      config: { access: "public" },
      schema: { summary: "The store answers", tags: ["operation"], response: { 200: Ready, 503: Ready } },
    },
    async (request, reply) => {
      try {
        await queue.run(() => engine.query(countRowsSql("tw_meta")));
        return { status: "ready" as const };
      } catch (error) {
        request.log.warn({ err: error }, "store not reachable");
        return reply.code(503).send({ status: "unavailable" as const });
      }
    },
  );
  app.get("/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () => app.swagger());
  // Each group of routes in its own file; the role of each route in roles.ts.
  customerRoutes(app, context);
  customerHistoryRoutes(app, context);
  customerRecommendationRoutes(app, context);
  customerClvRoutes(app, context);
  jobRoutes(app, context);
  memberRoutes(app, context);
  runRoutes(app, context);
  policyRoutes(app, context);
  overrideRoutes(app, context);
  ingestRoutes(app, context, options.upload);
  ratingRoutes(app, context);
  outboxRoutes(app, context);
  webhookRoutes(app, context);
  webhookDelivery(app, context);
  eventRoutes(app, context);
  return app;
}
