import { createReadStream } from "node:fs";
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { formatMessage, TierwiseError, TierwiseErrors } from "../errors/index.js";
import { expandDerivedTables } from "../ingest/derived-table.js";
import { isInputName } from "../ingest/discover.js";
import { ingestDirectory } from "../ingest/ingest.js";
import { EMPTY_MAPPING, loadMapping, type Mapping } from "../ingest/mapping.js";
import { ApiError } from "./api-error.js";
import type { ServeContext } from "./context.js";
import { IngestParts, RejectsCsv } from "./ingest-schemas.js";
import { KEPT_REJECTS, KeptRejects } from "./kept-rejects.js";
import { ErrorBody, JobParams, JobView, SECURED } from "./schemas.js";
import { dropUpload, receiveUpload, UPLOAD_LIMITS, type Upload, type UploadLimits } from "./upload.js";
import "./route-config.js";

/** A problem's one line without the upload's temporary folder (the caller never saw it). */
function oneLine(error: TierwiseError, root: string): string {
  return error.oneLine().replaceAll(`${root}/data/`, "").replaceAll(`${root}/`, "");
}

/** The mapping of an upload, checked before the job starts: a 400 naming `mapping` when it is not one. */
async function mappingOf(upload: Upload): Promise<Mapping> {
  if (upload.mapping === null) return EMPTY_MAPPING;
  try {
    const { mapping, problems } = expandDerivedTables(await loadMapping(upload.mapping));
    if (problems.length > 0) throw new TierwiseErrors(problems);
    return mapping;
  } catch (error) {
    const all = error instanceof TierwiseErrors ? error.errors : error instanceof TierwiseError ? [error] : null;
    if (all === null) throw error;
    throw ApiError.invalid("mapping", all.map((e) => oneLine(e, upload.root)).join("; "));
  }
}

/** An ingest's refusal as the job's error: its own code when it is one problem, INGEST_REFUSED for several. */
function refusal(error: unknown, root: string): unknown {
  const all = error instanceof TierwiseErrors ? error.errors : error instanceof TierwiseError ? [error] : null;
  if (all === null) return error;
  const [only] = all;
  if (all.length === 1 && only && !only.oneLine().includes(root)) return only;
  return new TierwiseError("INGEST_REFUSED", { problems: all.map((e) => oneLine(e, root)).join("; ") });
}

/**
 * `POST /ingest`: data files (and a mapping) uploaded as multipart/form-data,
 * streamed to a temporary folder and ingested as a background job by the
 * CLI's `ingestDirectory` (the same validation, counts and rejects file);
 * `GET /jobs/{id}/rejects`: that job's rejects file. Multipart parsing is
 * registered for `POST /ingest` only.
 */
export function ingestRoutes(app: FastifyInstance, { jobs }: ServeContext, limits: UploadLimits = UPLOAD_LIMITS): void {
  const rejects = new KeptRejects();
  app.addHook("onClose", async () => {
    await jobs.drain();
    await rejects.close();
  });

  app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: limits.fileBytes, files: limits.files, fields: 0, parts: limits.files },
      // upload.ts answers a file over the limit itself, naming the part.
      throwFileSizeLimit: false,
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/ingest",
      {
        config: { access: "ingest" },
        schema: {
          summary: "Upload data files (and a mapping) and ingest them as a background job, as `tierwise ingest DIR`",
          description:
            "multipart/form-data: each data file a part named `files` with its file name (customers.csv, orders.parquet, …); the mapping, if any, a part named `mapping`. Answers 202 with the job; GET /jobs/{id} shows its counts.",
          tags: ["ingest"],
          security: SECURED,
          consumes: ["multipart/form-data"],
          body: IngestParts,
          response: {
            202: JobView,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            413: ErrorBody,
            500: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw ApiError.invalid("body", "must be multipart/form-data (files and a mapping)");
        const upload = await receiveUpload(request, limits);
        try {
          const mapping = await mappingOf(upload);
          if (upload.files.length === 0)
            throw ApiError.invalid(
              "files",
              "holds no data file: send customers.csv, orders.csv, … as parts named files",
            );
          const unexpected = upload.files.find((name) => !isInputName(name, mapping));
          if (unexpected !== undefined)
            throw ApiError.invalid(
              "files",
              `${unexpected} is not a file tierwise ingest reads: name it after its table (customers.csv, orders.parquet, …) or in the mapping`,
            );
        } catch (error) {
          await dropUpload(upload.root);
          throw error;
        }
        let jobId = "";
        const job = jobs.start("ingest", request.caller, async ({ engine, progress }) => {
          const rejectsPath = await rejects.newPath();
          try {
            const result = await ingestDirectory(engine, {
              dir: upload.dir,
              ...(upload.mapping === null ? {} : { mapping: upload.mapping }),
              rejectsPath,
              onProgress: (p) => progress(`${p.table}: ${p.step}`, p.total > 0 ? Math.min(1, p.done / p.total) : null),
            });
            await rejects.keep(jobId, rejectsPath);
            return {
              tables: result.tables,
              timeZone: result.timeZone,
              rejected: result.tables.reduce((n, t) => n + t.rejected, 0),
              rejects: `/jobs/${jobId}/rejects`,
            };
          } catch (error) {
            await rejects.discard(rejectsPath);
            throw refusal(error, upload.root);
          } finally {
            await dropUpload(upload.root);
          }
        });
        jobId = job.id;
        return reply.code(202).send(job);
      },
    );
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    "/jobs/:id/rejects",
    {
      config: { access: "ingest" },
      schema: {
        summary: "The rejects file of an ingest job (text/csv), as `tierwise ingest` writes it",
        tags: ["ingest"],
        security: SECURED,
        params: JobParams,
        response: {
          200: { description: "the rejects file", content: { "text/csv": { schema: RejectsCsv } } },
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          500: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const path = rejects.get(request.params.id);
      if (path === undefined)
        throw new ApiError(404, {
          code: "API_NO_REJECTS",
          message: formatMessage("API_NO_REJECTS", { id: request.params.id, kept: KEPT_REJECTS }),
        });
      // A stream is sent as it is (no serialiser): the CSV, byte for byte.
      return reply.type("text/csv; charset=utf-8").send(createReadStream(path) as unknown as string);
    },
  );
}
