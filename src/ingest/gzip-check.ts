import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createGunzip } from "node:zlib";

/**
 * Whether a gzip file decompresses to its end: DuckDB's readers take a
 * truncated stream or a bad checksum for the end of the data, so every
 * `.gz` input is first read through Node's zlib, which checks both (the
 * length and CRC-32 trailer of every member). Streamed, never held in memory.
 *
 * Returns null for a sound stream, else what is wrong and where, e.g.
 * `unexpected end of file at or before byte 1,024 of 1,024`.
 */
export async function gzipDamage(path: string): Promise<string | null> {
  const { size } = await stat(path);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: string | null) => {
      if (settled) return;
      settled = true;
      file.destroy();
      gunzip.destroy();
      resolve(result);
    };
    file.on("error", (error) => done(error.message));
    gunzip.on("error", (error) => {
      const what = error.message.replace(/^incorrect header check$/, "not a gzip stream (bad header)");
      const at = file.bytesRead.toLocaleString("en-US");
      done(`${what} at or before byte ${at} of ${size.toLocaleString("en-US")}`);
    });
    gunzip.on("data", () => undefined);
    gunzip.on("end", () => done(null));
    file.pipe(gunzip);
  });
}
