import type { ApiCaller } from "../store/api-keys.js";
import type { Access } from "./roles.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route (src/serve/roles.ts); `admin` only when absent. */
    access?: Access;
  }
  interface FastifyRequest {
    /** The key's owner, set by the auth hook on routes that need a key. */
    caller?: ApiCaller;
  }
}
