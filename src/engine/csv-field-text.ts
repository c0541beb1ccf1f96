import { isUtf8 } from "node:buffer";

/**
 * Byte-level text of CSV fields as DuckDB's reader produces it: unescaping a
 * quoted field and decoding (possibly invalid) UTF-8 the way its rejects show
 * it. Used by the record splitter in csv-scanner.ts.
 */

/** A quoted field's content unescaped as DuckDB does: a quote is dropped unless the previous one was. */
export function unquote(bytes: Buffer, quote: number): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  let justDropped = false;
  for (const b of bytes) {
    if (b === quote && !justDropped) {
      justDropped = true;
      continue;
    }
    out[n++] = b;
    justDropped = false;
  }
  return out.subarray(0, n);
}

/**
 * UTF-8 text with each invalid sequence shown as one `?` per byte it claims
 * (a lead byte claims its sequence length, as DuckDB's rejects show it).
 */
export function decodeLikeDuckDb(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString("utf8");
  let out = "";
  let i = 0;
  let plainFrom = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xf0 && b <= 0xf7 ? 4 : b >= 0xe0 ? (b <= 0xef ? 3 : 1) : b >= 0xc0 ? 2 : 1;
    const end = Math.min(bytes.length, i + length);
    const sequence = bytes.subarray(i, end);
    if (length > 1 && end - i === length && isUtf8(sequence)) {
      i = end;
      continue;
    }
    out += bytes.subarray(plainFrom, i).toString("utf8") + "?".repeat(end - i);
    i = end;
    plainFrom = i;
  }
  return out + bytes.subarray(plainFrom).toString("utf8");
}
