import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { extname, join } from "node:path";
import { DuckDbEngine } from "../engine/duckdb-engine.js";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { placeFile, stagingFolder } from "../files/output-file.js";
import type { Visibility } from "../plan/policy.js";
import { findRun, planFromText } from "../run/runs.js";
import { parquetFromCsvSql } from "../sql/insight/export.js";
import { exportPageSql } from "../sql/run/records.js";
import { spreadsheetSafeText } from "../sql/spreadsheet-safe.js";

export interface ExportOptions {
  readonly out: string;
  readonly runId?: number;
  /** Only these schemes (default: all of the run). */
  readonly schemes?: readonly string[];
  /** Only schemes of this visibility (customer-facing exports carry only customer-facing schemes). */
  readonly visibility?: Visibility;
  /** Rows per page read from the store (memory stays bounded by one page). */
  readonly pageSize?: number;
  /** Write text cells as they are: no `'` before a cell starting with =, +, -, @, tab or CR (CSV files; docs/exports.md). */
  readonly raw?: boolean;
}

export interface ExportResult {
  readonly path: string;
  readonly runId: number;
  /** The run's as-of date. */
  readonly asOf: string;
  readonly rows: number;
  readonly schemes: readonly string[];
  /** The run's policy locale: the summary line formats its count in it (the file itself keeps plain numbers). */
  readonly locale: string;
}

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/**
 * Write a run's assignments (default: the latest run) as CSV, JSON (an
 * array) or Parquet: one row per entity and scheme with `entity_id, scheme,
 * tier, tier_rank, score`. Streams page by page; the file appears only when
 * complete.
 */
export async function exportAssignments(engine: Engine, options: ExportOptions): Promise<ExportResult> {
  const format = extname(options.out).toLowerCase();
  if (![".csv", ".json", ".parquet"].includes(format)) throw new TierwiseError("EXPORT_FORMAT", { path: options.out });
  const stored = await findRun(engine, options.runId);
  const plan = planFromText(stored.policyText);
  for (const s of options.schemes ?? []) {
    if (!plan.schemes.some((p) => p.name === s)) {
      throw new TierwiseError(
        "UNKNOWN_SCHEME",
        { scheme: s, where: `run ${stored.runId}` },
        undefined,
        `schemes: ${plan.schemes.map((p) => p.name).join(", ")}`,
      );
    }
  }
  const schemes = plan.schemes
    .filter((s) => options.schemes === undefined || options.schemes.length === 0 || options.schemes.includes(s.name))
    .filter((s) => options.visibility === undefined || s.visibility === options.visibility)
    .map((s) => s.name);
  // Staged next to the target (same file system), renamed into place when complete.
  const dir = await stagingFolder(options.out, ".tierwise-export-");
  const staging = join(dir, format === ".json" ? "out.json" : "out.csv");
  let rows = 0;
  try {
    const stream = createWriteStream(staging, "utf8");
    const write = async (text: string) => {
      if (!stream.write(text)) await once(stream, "drain");
    };
    const json = format === ".json";
    const cell = format === ".csv" && options.raw !== true ? spreadsheetSafeText : (v: string) => v;
    await write(json ? "[" : "entity_id,scheme,tier,tier_rank,score\n");
    let after: { scheme: string; entityId: string } | undefined;
    const limit = options.pageSize ?? 50_000;
    while (schemes.length > 0) {
      const page = await engine.query(exportPageSql(stored.runId, schemes, after, limit));
      for (const r of page) {
        const { score } = r;
        const row = { entity_id: r.entity_id, scheme: r.scheme, tier: r.tier, tier_rank: r.tier_rank, score };
        await write(
          json
            ? `${rows > 0 ? "," : ""}\n${JSON.stringify(row)}`
            : `${[row.entity_id, row.scheme, row.tier].map((v) => csvField(cell(v))).join(",")},${row.tier_rank},${score ?? ""}\n`,
        );
        rows += 1;
      }
      const last = page[page.length - 1];
      if (!last || page.length < limit) break;
      after = { scheme: last.scheme, entityId: last.entity_id };
    }
    await write(json ? "\n]\n" : "");
    stream.end();
    await once(stream, "finish");
    if (format === ".parquet") {
      const duck = await DuckDbEngine.open({ path: ":memory:" });
      try {
        await duck.exec(parquetFromCsvSql(staging, join(dir, "out.parquet")));
      } finally {
        await duck.close();
      }
      await placeFile(join(dir, "out.parquet"), options.out);
    } else {
      await placeFile(staging, options.out);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { path: options.out, runId: stored.runId, asOf: stored.asOf, rows, schemes, locale: plan.locale };
}
