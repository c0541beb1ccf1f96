import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { type ErrorCode, formatMessage, TierwiseError } from "../errors/index.js";

/** The body of every error response. */
export interface ErrorReply {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

/** A coded error with its HTTP status, raised by the server's own checks. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorReply,
  ) {
    super(body.message);
  }

  static invalid(field: string, detail: string): ApiError {
    return new ApiError(400, {
      code: "API_INVALID_REQUEST",
      message: formatMessage("API_INVALID_REQUEST", { field, detail }),
      field,
    });
  }
}

/** The status of the catalogue's codes a route may raise; any other TierwiseError is a 500. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  UNKNOWN_ENTITY: 404,
  NO_RUNS: 404,
  RUN_NOT_FOUND: 404,
  UNKNOWN_SCHEME: 400,
  UNKNOWN_TIER: 400,
  NO_ACTIVE_POLICY: 404,
  NO_CUSTOMERS: 409,
  POLICY_VERSION_NOT_FOUND: 404,
  OVERRIDE_NOT_FOUND: 404,
  RATING_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  EVENT_NOT_FOUND: 404,
  WEBHOOK_URL_TAKEN: 409,
  EVENT_DELIVERED: 409,
  EVENT_IN_FLIGHT: 409,
  WEBHOOK_KEY_MISSING: 503,
  CLV_NO_MODEL: 404,
};

/** The request field a validation error is about: `limit`, `cursor`, `id`… */
function fieldOf(error: FastifyError): string {
  const first = error.validation?.[0];
  const path = first?.instancePath.replace(/^\//, "").replaceAll("/", ".") ?? "";
  return path !== "" ? path : (error.validationContext ?? "request");
}

/**
 * Turn whatever a route threw into `{ code, message }` with its status.
 * Unexpected failures are logged with their stack and answered with
 * `API_INTERNAL` and the request id only: no stack, no customer data.
 */
export function replyError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiError) return reply.code(error.status).send(error.body);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0];
    const field = fieldOf(error);
    return reply.code(400).send(ApiError.invalid(field, issue?.message ?? "is not valid").body);
  }
  const status = error instanceof TierwiseError ? STATUS[error.code as ErrorCode] : undefined;
  if (error instanceof TierwiseError && status !== undefined) {
    return reply.code(status).send({
      code: error.code,
      message: error.reason,
      ...(status === 400 ? { field: error.code === "UNKNOWN_TIER" ? "tier" : "scheme" } : {}),
    });
  }
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return reply.code(413).send({
      code: "API_BODY_TOO_LARGE",
      message: formatMessage("API_BODY_TOO_LARGE", { limit: request.routeOptions.bodyLimit ?? 0 }),
    });
  }
  // Fastify's own client errors (a malformed body, an unsupported media type): the status it chose.
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return reply.code(error.statusCode).send(ApiError.invalid("body", error.message).body);
  }
  request.log.error({ err: error }, "request failed");
  return reply
    .code(500)
    .send({ code: "API_INTERNAL", message: formatMessage("API_INTERNAL", { request: request.id }) });
}
