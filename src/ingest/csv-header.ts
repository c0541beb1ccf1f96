import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";

/** What the first line of a CSV file says: its column names and delimiter. */
export interface CsvHeader {
  readonly columns: readonly string[];
  readonly delimiter: string;
}

const CANDIDATES = [",", ";", "\t", "|"] as const;
const MAX_HEADER_BYTES = 1 << 20;

/**
 * Read the header of a CSV file (plain or gzip), strip a byte-order mark,
 * pick the delimiter (the one given, else the candidate that splits the
 * header most often outside quotes) and split the header into names.
 * Returns null when the file has no header line at all.
 */
export async function readCsvHeader(
  path: string,
  options: { delimiter?: string; quote?: string; encoding?: "utf-8" | "utf-16" | "latin-1" } = {},
): Promise<CsvHeader | null> {
  const text = await readStart(path, options.encoding ?? "utf-8");
  const quote = options.quote ?? '"';
  const line = firstRecord(text.replace(/^\uFEFF/, ""), quote);
  if (line.trim() === "") return null;
  const delimiter = options.delimiter ?? detectDelimiter(line, quote);
  return { columns: splitRecord(line, delimiter, quote), delimiter };
}

async function readStart(path: string, encoding: "utf-8" | "utf-16" | "latin-1"): Promise<string> {
  const raw = createReadStream(path, { highWaterMark: 64 * 1024 });
  const stream = /\.gz$/i.test(path) ? raw.pipe(createGunzip()) : raw;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      const soFar = Buffer.concat(chunks);
      if (size >= MAX_HEADER_BYTES || soFar.includes(0x0a)) break;
    }
  } finally {
    raw.destroy();
  }
  const bytes = Buffer.concat(chunks);
  const label = encoding === "utf-16" ? "utf-16le" : encoding === "latin-1" ? "latin1" : "utf-8";
  return new TextDecoder(label).decode(bytes);
}

/** The text up to the first line break that is not inside quotes. */
function firstRecord(text: string, quote: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === quote) quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) return text.slice(0, i);
  }
  return text;
}

function detectDelimiter(line: string, quote: string): string {
  let best: string = ",";
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    const count = splitRecord(line, candidate, quote).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** Split one CSV record into fields, honouring quotes and doubled quotes. */
export function splitRecord(line: string, delimiter: string, quote: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === quote && line[i + 1] === quote) {
        field += quote;
        i++;
      } else if (ch === quote) {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === quote) {
      quoted = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = "";
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}
