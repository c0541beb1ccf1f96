import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import type { RawSource } from "./engine.js";

/** A CSV file's bytes as UTF-8, streamed, with how far into the file the reading is. */
export interface CsvInput {
  readonly chunks: AsyncIterable<Buffer>;
  /** Bytes of the file on disk read so far (compressed bytes for gzip). */
  bytesRead(): number;
  /** Size of the file on disk. */
  readonly size: number;
}

/**
 * Open a CSV file for the streaming pre-pass: gunzip `.gz`, and transcode
 * Latin-1 and UTF-16 (little-endian, as DuckDB reads it; a byte-order mark is
 * dropped) to UTF-8. UTF-8 passes through untouched, invalid bytes included,
 * so that the scanner can reject their rows as DuckDB does.
 */
export async function openCsvInput(source: RawSource): Promise<CsvInput> {
  const { size } = await stat(source.path);
  const file = createReadStream(source.path, { highWaterMark: 256 * 1024 });
  const bytes = /\.gz$/i.test(source.path) ? file.pipe(createGunzip()) : file;
  file.on("error", (error) => bytes.destroy(error));
  return {
    chunks: transcode(bytes as AsyncIterable<Buffer>, source.encoding ?? "utf-8"),
    bytesRead: () => file.bytesRead,
    size,
  };
}

async function* transcode(
  chunks: AsyncIterable<Buffer>,
  encoding: "utf-8" | "utf-16" | "latin-1",
): AsyncGenerator<Buffer> {
  if (encoding === "utf-8") {
    yield* chunks;
    return;
  }
  if (encoding === "latin-1") {
    for await (const chunk of chunks) yield Buffer.from(chunk.toString("latin1"), "utf8");
    return;
  }
  const decoder = new TextDecoder("utf-16le");
  for await (const chunk of chunks) yield Buffer.from(decoder.decode(chunk, { stream: true }), "utf8");
  const rest = decoder.decode();
  if (rest) yield Buffer.from(rest, "utf8");
}
