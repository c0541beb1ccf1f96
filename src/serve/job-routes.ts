import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { formatMessage } from "../errors/index.js";
import { ApiError } from "./api-error.js";
import type { ServeContext } from "./context.js";
import { ERROR_RESPONSES, JobList, JobParams, JobView, SECURED } from "./schemas.js";
import "./route-config.js";

/** `GET /jobs` and `GET /jobs/{id}`: the background jobs (runs, backfills, ingests) and how far they are. */
export function jobRoutes(app: FastifyInstance, { jobs }: ServeContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    "/jobs",
    {
      config: { access: "read jobs" },
      schema: {
        summary: "Background jobs of this server, newest first",
        tags: ["jobs"],
        security: SECURED,
        response: { 200: JobList, ...ERROR_RESPONSES },
      },
    },
    async () => ({ items: jobs.list() }),
  );
  api.get(
    "/jobs/:id",
    {
      config: { access: "read jobs" },
      schema: {
        summary: "One background job: status, progress, result or error",
        tags: ["jobs"],
        security: SECURED,
        params: JobParams,
        response: { 200: JobView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const job = jobs.get(request.params.id);
      if (!job)
        throw new ApiError(404, {
          code: "JOB_NOT_FOUND",
          message: formatMessage("JOB_NOT_FOUND", { id: request.params.id }),
        });
      return job;
    },
  );
}
