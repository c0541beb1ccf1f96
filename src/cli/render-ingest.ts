import { basename } from "node:path";
import { accepted, type IngestResult } from "../ingest/result.js";
import { formatCount, textTable } from "./text-table.js";

/**
 * The ingest summary: read = accepted + updated + rejected (+ skipped, when
 * the mapping's filters left rows out) for every table, then the reasons.
 */
export function renderIngest(result: IngestResult): string {
  // files named after their table (customers.csv, orders.parquet) need only their format: the table fits 80 columns
  const format = (t: IngestResult["tables"][number]) =>
    basename(t.file).startsWith(`${t.table}.`) ? basename(t.file).slice(t.table.length + 1) : undefined;
  const byFormat = result.tables.every((t) => format(t) !== undefined);
  const rows = result.tables.map((t) => [
    t.table,
    byFormat ? (format(t) ?? t.file) : t.file,
    formatCount(t.read),
    formatCount(accepted(t)),
    formatCount(t.inserted),
    formatCount(t.unchanged),
    formatCount(t.updated),
    formatCount(t.rejected),
  ]);
  const anySkipped = result.tables.some((t) => t.skipped > 0);
  // With a skipped column the new/unchanged split of accepted gives way, so the table still fits 80 columns.
  const out = anySkipped
    ? [
        textTable(
          ["table", byFormat ? "format" : "file", "read", "accepted", "updated", "rejected", "skipped"],
          result.tables.map((t, i) => [
            ...(rows[i] ?? []).slice(0, 4),
            formatCount(t.updated),
            formatCount(t.rejected),
            formatCount(t.skipped),
          ]),
        ),
        "",
        "Skipped rows by filter:",
        textTable(
          ["table", "filter", "rows"],
          result.tables.flatMap((t) => t.skips.map((k) => [t.table, k.name, formatCount(k.count)])),
        ),
      ]
    : [
        textTable(
          ["table", byFormat ? "format" : "file", "read", "accepted", "new", "unchanged", "updated", "rejected"],
          rows,
        ),
      ];
  const notes: string[] = [];
  const shared = (file: string) => result.tables.filter((t) => t.file === file).length > 1;
  for (const t of result.tables) {
    if (t.decimalMark === ",") notes.push(`${t.file}: numbers read with a decimal comma`);
    // A file several tables read (a raw line-item export) leaves columns to each: not worth a note.
    if (t.ignoredColumns.length > 0 && !shared(t.file)) {
      notes.push(`${t.file}: ignored columns ${t.ignoredColumns.join(", ")}`);
    }
    if (t.groups !== undefined && t.sourceRows !== undefined) {
      const groups = `${formatCount(t.groups)} group${t.groups === 1 ? "" : "s"}`;
      const rows = `${formatCount(t.sourceRows)} row${t.sourceRows === 1 ? "" : "s"}`;
      notes.push(`${t.table}: ${groups} of ${rows} of ${t.file} (read counts groups)`);
    }
  }
  const reasons = result.tables.flatMap((t) =>
    t.reasons.map((r) => [t.table, r.code, r.field ?? "(row)", formatCount(r.count), r.reason]),
  );
  if (reasons.length > 0) {
    out.push("", "Rejected rows by reason:", textTable(["table", "code", "field", "rows", "reason"], reasons));
  }
  const rejected = result.tables.reduce((sum, t) => sum + t.rejected, 0);
  if (notes.length > 0) out.push("", ...notes.map((n) => `note: ${n}`));
  out.push(
    "",
    rejected > 0
      ? `${formatCount(rejected)} rejected rows with line, column and reason: ${result.rejectsPath}`
      : `no rows rejected (rejects file: ${result.rejectsPath})`,
  );
  return out.join("\n");
}
