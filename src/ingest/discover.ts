import { open, readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { RawSource, SourceFormat } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { TABLE_NAMES, type TableName } from "../model/index.js";
import type { Mapping } from "./mapping.js";

/** One input file found for a canonical table. */
export interface DiscoveredFile {
  readonly table: TableName;
  readonly path: string;
  readonly name: string;
  readonly format: SourceFormat;
}

const EXTENSIONS: ReadonlyArray<readonly [RegExp, SourceFormat | "json?"]> = [
  [/\.(csv|tsv|txt)(\.gz|\.zst)?$/i, "csv"],
  [/\.parquet$/i, "parquet"],
  [/\.(ndjson|jsonl)(\.gz)?$/i, "ndjson"],
  [/\.json(\.gz)?$/i, "json?"],
];

/** The format of a file from its name, or undefined for files Tierwise does not read. */
export function formatOf(name: string): SourceFormat | "json?" | undefined {
  return EXTENSIONS.find(([re]) => re.test(name))?.[1];
}

/** `orders.csv.gz` → `orders`. */
function stem(name: string): string {
  return name.replace(/(\.gz|\.zst)$/i, "").replace(/\.[^.]+$/, "");
}

/**
 * Whether discovery takes the file `name` for `table`: the file the mapping
 * names for it, else `<table>.<ext>` in a format Tierwise reads.
 */
export function isInputFor(name: string, table: TableName, mapping: Mapping): boolean {
  const named = mapping.tables?.[table]?.file;
  return named ? named === name : stem(name).toLowerCase() === table && formatOf(name) !== undefined;
}

/** Whether discovery takes the file `name` for some table (`tierwise serve` checks uploaded names with it). */
export function isInputName(name: string, mapping: Mapping): boolean {
  return TABLE_NAMES.some((table) => isInputFor(name, table, mapping));
}

/**
 * Find one input file per canonical table in `dir`, honouring file names
 * given in the mapping. Two candidates for one table is an error.
 */
export async function discoverFiles(
  dir: string,
  mapping: Mapping,
): Promise<{ files: DiscoveredFile[]; problems: TierwiseError[]; tablesWithInput: TableName[] }> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new TierwiseError("NOT_A_DIRECTORY", { dir });
  const entries = (await readdir(dir)).sort();
  const files: DiscoveredFile[] = [];
  const problems: TierwiseError[] = [];
  const tablesWithInput: TableName[] = [];
  for (const table of TABLE_NAMES) {
    const named = mapping.tables?.[table]?.file;
    const candidates = named ? [named] : entries.filter((e) => isInputFor(e, table, mapping));
    if (candidates.length > 0) tablesWithInput.push(table);
    if (candidates.length > 1) {
      problems.push(new TierwiseError("AMBIGUOUS_INPUT", { table, files: candidates.join(", ") }));
      continue;
    }
    const name = candidates[0];
    if (name === undefined) continue;
    const path = join(dir, name);
    const fileInfo = await stat(path).catch(() => null);
    if (!fileInfo?.isFile()) {
      problems.push(new TierwiseError("UNREADABLE_FILE", { file: name, format: "a file", detail: "not found" }));
      continue;
    }
    const guessed = formatOf(name) ?? "csv";
    const format = guessed === "json?" ? await jsonFlavour(path) : guessed;
    files.push({ table, path, name: basename(name), format });
  }
  if (files.length === 0 && problems.length === 0) throw new TierwiseError("NO_INPUT", { dir });
  return { files, problems, tablesWithInput };
}

/** `.json` holds either one array of records or one record per line. */
async function jsonFlavour(path: string): Promise<SourceFormat> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, 512, 0);
    const first = buffer
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trimStart()[0];
    return first === "[" ? "json" : "ndjson";
  } finally {
    await handle.close();
  }
}

/** Reader options for a discovered file from the mapping (the CSV delimiter may still be detected). */
export function rawSourceOf(
  file: DiscoveredFile,
  mapping: Mapping,
): { -readonly [K in keyof RawSource]: RawSource[K] } {
  const tm = mapping.tables?.[file.table];
  const delimiter = tm?.delimiter ?? mapping.delimiter ?? (/\.tsv(\.gz)?$/i.test(file.name) ? "\t" : undefined);
  return {
    path: file.path,
    format: file.format,
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(tm?.quote !== undefined ? { quote: tm.quote } : {}),
    ...(tm?.encoding !== undefined ? { encoding: tm.encoding } : {}),
  };
}

/** Whether a file has no bytes (or only a byte-order mark and whitespace). */
export async function isEmptyFile(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(64);
    const { bytesRead } = await handle.read(buffer, 0, 64, 0);
    if (bytesRead === 0) return true;
    if (path.endsWith(".gz") || path.endsWith(".parquet")) return false;
    return (
      bytesRead < 64 &&
      buffer
        .subarray(0, bytesRead)
        .toString("utf8")
        .replace(/^\uFEFF/, "")
        .trim() === ""
    );
  } finally {
    await handle.close();
  }
}
