import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { formatMessage } from "../errors/index.js";
import { ApiError } from "./api-error.js";
import "./route-config.js";

/** Requests per minute per key (per address for the routes without a key) unless `--rate-limit` says otherwise. */
export const DEFAULT_RATE_LIMIT = 6000;

/**
 * Per-key rate limits (@fastify/rate-limit): each key gets `perMinute`
 * requests in a sliding minute, then 429 `API_RATE_LIMITED` with
 * `Retry-After`. The limit is checked after the key (the auth hook runs
 * first), so it counts per key name, not per address: one shop's key behind
 * a balancer is one client. `perMinute` 0 turns the limits off.
 */
export async function registerRateLimit(app: FastifyInstance, perMinute: number): Promise<void> {
  if (perMinute <= 0) return;
  await app.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => (request.caller ? `key:${request.caller.name}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, {
        code: "API_RATE_LIMITED",
        message: formatMessage("API_RATE_LIMITED", {
          limit: context.max,
          seconds: Math.max(1, Math.ceil(context.ttl / 1000)),
        }),
      }),
  });
}

/**
 * CORS is off unless origins are named (`--cors-origin`): a browser page
 * from another origin may then call the API with a key; preflights are
 * answered for those origins only. Never `*`: a key is a credential.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  await app.register(cors, {
    origin: [...origins],
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowedHeaders: ["authorization", "content-type", "x-request-id"],
    exposedHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
  });
}
