/** The CDNOW sample (test/fixtures/cdnow) converted and ingested into a store, and small helpers for CLV tests. */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cdnowToCsv } from "../../../scripts/cdnow-to-csv.js";
import type { Engine } from "../../../src/engine/engine.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { CDNOW_DIR } from "../../clv/cdnow.js";

export { CDNOW_DIR };

/** Ingest CDNOW_sample.txt (2,357 customers, 6,919 orders) as customers + orders. */
export async function ingestCdnowSample(engine: Engine): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tw-cdnow-"));
  const csv = cdnowToCsv(await readFile(new URL("CDNOW_sample.txt", CDNOW_DIR), "latin1"));
  await writeFile(join(dir, "customers.csv"), csv.customers);
  await writeFile(join(dir, "orders.csv"), csv.orders);
  await ingestDirectory(engine, { dir, rejectsPath: join(dir, "rejects.csv") });
}

/** Rows of a published summary CSV (header line, comma separated, CRLF or LF). */
export async function summaryRows(file: string): Promise<Record<string, string>[]> {
  const lines = (await readFile(new URL(file, CDNOW_DIR), "utf8")).split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = (lines[0] ?? "").split(",");
  return lines.slice(1).map((l) => {
    const cells = l.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}

/**
 * A strict little XML well-formedness check (elements balanced, attributes
 * quoted, only the five predefined entities); returns the element names in
 * document order with their `id` attribute.
 */
export function parseXml(text: string): { name: string; id?: string; attrs: Record<string, string> }[] {
  const out: { name: string; id?: string; attrs: Record<string, string> }[] = [];
  const stack: string[] = [];
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, "");
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  for (;;) {
    token.lastIndex = at;
    m = token.exec(body);
    if (!m) break;
    at = token.lastIndex;
    if (m[5] !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(m[5])) throw new Error(`bad entity in text at ${m.index}`);
      continue;
    }
    const [, close, name = "", attrText = "", selfClose] = m;
    if (close) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}> at ${m.index}`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(a[2] ?? "")) throw new Error("bad entity in an attribute");
      attrs[a[1] ?? ""] = a[2] ?? "";
    }
    out.push({ name, attrs, ...(attrs["id"] ? { id: attrs["id"] } : {}) });
    if (!selfClose) stack.push(name);
  }
  if (at !== body.length) throw new Error(`not XML at offset ${at}: ${JSON.stringify(body.slice(at, at + 40))}`);
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("><")}>`);
  return out;
}
