import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import { formatMessage } from "../errors/index.js";
import { ApiError } from "./api-error.js";

/** What one `POST /ingest` may carry (docs/serve.md, Ingest). */
export interface UploadLimits {
  /** Bytes of one file. */
  readonly fileBytes: number;
  /** Bytes of every file of the request together. */
  readonly requestBytes: number;
  /** Data files (one per table) plus the mapping. */
  readonly files: number;
}

export const UPLOAD_LIMITS: UploadLimits = {
  fileBytes: 1024 * 1024 * 1024,
  requestBytes: 2 * 1024 * 1024 * 1024,
  files: 20,
};

/** The files of a `POST /ingest`, on disk: `dir` holds the data files, `mapping` the mapping (if sent). */
export interface Upload {
  /** The temporary folder of the upload: remove it when done (`dropUpload`). */
  readonly root: string;
  readonly dir: string;
  /** The data files' names, as sent. */
  readonly files: readonly string[];
  readonly mapping: string | null;
}

/** A file name an upload may use: one name (no folder), 1 to 100 letters, digits, `. _ -`, not starting with a dot. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;

function tooLarge(part: string, limit: number): ApiError {
  return new ApiError(413, {
    code: "API_FILE_TOO_LARGE",
    message: formatMessage("API_FILE_TOO_LARGE", { part, limit }),
    field: part,
  });
}

/**
 * Stream the parts of a multipart request to a new temporary folder, never
 * whole in memory: data files as parts named `files` (each under its file
 * name), the mapping as the part `mapping`. Anything else, a name twice, a
 * file over its limit or a request over its total is refused, naming the
 * part; the folder is then removed.
 */
export async function receiveUpload(request: FastifyRequest, limits: UploadLimits): Promise<Upload> {
  const root = await mkdtemp(join(tmpdir(), "tierwise-ingest-"));
  const dir = join(root, "data");
  await mkdir(dir);
  const files: string[] = [];
  let mapping: string | null = null;
  let total = 0;
  try {
    const parts = request.parts({
      limits: { fileSize: limits.fileBytes, files: limits.files, fields: 0, parts: limits.files },
    });
    for await (const part of parts) {
      const field =
        typeof part.fieldname === "string" && part.fieldname !== "" ? part.fieldname : "(a part without a name)";
      if (part.type !== "file")
        throw ApiError.invalid(
          field,
          "is not a part POST /ingest takes: send files as `files`, the mapping as `mapping`",
        );
      let target: string;
      let label: string;
      if (field === "mapping") {
        if (mapping !== null) throw ApiError.invalid("mapping", "is sent twice: send one mapping file");
        mapping = join(root, "mapping.yaml");
        target = mapping;
        label = "mapping";
      } else if (field === "files") {
        const name = part.filename;
        label = `files: ${name}`;
        if (!FILE_NAME.test(name))
          throw ApiError.invalid(
            "files",
            `${JSON.stringify(name.slice(0, 100))} is not a file name the server takes (1 to 100 letters, digits, . _ -)`,
          );
        if (files.some((f) => f.toLowerCase() === name.toLowerCase()))
          throw ApiError.invalid("files", `${name} is sent twice`);
        files.push(name);
        target = join(dir, name);
      } else {
        throw ApiError.invalid(
          field,
          "is not a part POST /ingest takes: send files as `files`, the mapping as `mapping`",
        );
      }
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          total += chunk.length;
          if (total > limits.requestBytes) {
            done(
              new ApiError(413, {
                code: "API_BODY_TOO_LARGE",
                message: formatMessage("API_BODY_TOO_LARGE", { limit: limits.requestBytes }),
              }),
            );
            return;
          }
          done(null, chunk);
        },
      });
      await pipeline(part.file, count, createWriteStream(target, { flags: "wx" }));
      if (part.file.truncated) throw tooLarge(label, limits.fileBytes);
    }
    return { root, dir, files, mapping };
  } catch (error) {
    await dropUpload(root);
    const code = (error as { code?: unknown }).code;
    if (code === "FST_FILES_LIMIT" || code === "FST_PARTS_LIMIT")
      throw ApiError.invalid("files", `more than ${limits.files} files: send one file per table and one mapping`);
    if (code === "FST_FIELDS_LIMIT")
      throw ApiError.invalid("body", "holds a text field: send files as `files`, the mapping as `mapping`");
    // The parser's own complaints (a truncated body, a malformed part header) are the client's; a
    // file system failure (it names a system call) is the server's.
    if (error instanceof Error && !(error instanceof ApiError) && !("syscall" in error)) {
      const status = (error as { statusCode?: unknown }).statusCode;
      if (typeof status !== "number" || status < 500)
        throw ApiError.invalid("body", `is not well-formed multipart/form-data (${error.message})`);
    }
    throw error;
  }
}

/** Remove an upload's folder (the job's end, or a refused request). */
export async function dropUpload(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}
