import { z } from "zod";

/**
 * The zod schemas of `POST /ingest` and `GET /jobs/{id}/rejects`
 * (ingest-routes.ts). The request is multipart/form-data, read part by part
 * (upload.ts): `IngestParts` is there for the OpenAPI document (a multipart
 * request has no parsed body to validate).
 */

const binary = () => z.string().meta({ format: "binary" });

/** The parts of `POST /ingest`, as the OpenAPI document shows them. */
export const IngestParts = z.preprocess(
  // A multipart request has no parsed body (null): the parts are read in the handler.
  (body) => body ?? undefined,
  z
    .object({
      files: z
        .array(binary())
        .describe("data files, one per table, each under its file name (customers.csv, orders.parquet, …)"),
      mapping: binary().describe("the mapping file (YAML), as `tierwise ingest --mapping`"),
    })
    .partial()
    .optional(),
);

const RejectReason = z.object({
  code: z.string(),
  field: z.string().nullable(),
  reason: z.string(),
  count: z.number().int(),
});

/** What one table's file did, as `tierwise ingest --json` prints it. */
export const IngestTableResult = z.object({
  table: z.string(),
  file: z.string(),
  format: z.string(),
  read: z.number().int(),
  inserted: z.number().int(),
  unchanged: z.number().int(),
  updated: z.number().int(),
  rejected: z.number().int(),
  skipped: z.number().int(),
  reasons: z.array(RejectReason),
});

/** The `result` of an ingest job that succeeded. */
export const IngestJobResult = z.object({
  tables: z.array(IngestTableResult.passthrough()),
  timeZone: z.string(),
  rejected: z.number().int().describe("rows rejected, every table together"),
  rejects: z.string().describe("where the rejects file is: GET this path (text/csv)"),
});

/** The rejects file: the CSV `tierwise ingest` writes, byte for byte. */
export const RejectsCsv = z
  .string()
  .describe("text/csv: table, file, line, record, column, field, code, reason, source_record");
