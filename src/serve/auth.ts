import type { FastifyRequest } from "fastify";
import type { Engine } from "../engine/engine.js";
import { formatMessage } from "../errors/index.js";
import { verifyApiKey } from "../store/api-keys.js";
import { ApiError } from "./api-error.js";
import { allows } from "./roles.js";
import type { StoreQueue } from "./store-queue.js";
import "./route-config.js";

const BEARER = /^Bearer ([!-~]{1,200})$/;

/**
 * The `onRequest` hook: a route's access (src/serve/roles.ts) decides
 * whether it needs a key; then `Authorization: Bearer KEY` must name a
 * stored key (401 otherwise) whose role the access allows (403 otherwise).
 * Runs before validation, so a caller without a key learns nothing about
 * the parameters. Unknown routes pass on to the 404 answer.
 */
export function authHook(engine: Engine, queue: StoreQueue) {
  return async (request: FastifyRequest): Promise<void> => {
    const route = request.routeOptions.url;
    if (route === undefined || request.is404) return;
    const access = request.routeOptions.config.access ?? "admin only";
    if (access === "public") return;
    const key = BEARER.exec(request.headers.authorization ?? "")?.[1];
    // Checked on a read connection; the key's last use is recorded on the writing one, not waited for.
    const caller =
      key === undefined
        ? undefined
        : await queue.read((reader) =>
            verifyApiKey(reader, key, (touch) => {
              void queue
                .run(() => touch(engine))
                .catch((error: unknown) => {
                  request.log.warn({ err: error }, "could not record the key's last use");
                });
            }),
          );
    if (!caller) {
      throw new ApiError(401, { code: "API_UNAUTHORIZED", message: formatMessage("API_UNAUTHORIZED", {}) });
    }
    if (access === "admin only" ? caller.role !== "admin" : !allows(access, caller.role)) {
      const where = `${request.method} ${route}`;
      throw new ApiError(403, {
        code: "API_FORBIDDEN",
        message: formatMessage("API_FORBIDDEN", { role: caller.role, route: where }),
      });
    }
    request.caller = caller;
  };
}
