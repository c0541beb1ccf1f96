import type { FastifyRequest } from "fastify";
import { InternalError } from "../errors/index.js";
import { normaliseId } from "../model/index.js";
import { ApiError } from "./api-error.js";
import "./route-config.js";

/**
 * The author of what a request changes (an override, a rating): the name of
 * the request's key, never a field the client sends.
 */
export function authorOf(request: FastifyRequest): string {
  const name = request.caller?.name;
  if (name === undefined) throw new InternalError("a route that changes data was reached without a key");
  return name;
}

/** An id of a body or query field, trimmed as ingest trims ids; a 400 naming the field when it is none. */
export function bodyId(field: string, text: string): string {
  const id = normaliseId(text);
  if (!id.ok) throw ApiError.invalid(field, `is not an id (${id.problem})`);
  return id.id;
}
