/**
 * Writes docs/data-model.md from src/model, so the documentation is the
 * model. Run `npm run docs`; a test fails when the file is out of date.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ColumnDef, TableDef } from "../src/model/index.js";
import { TABLES } from "../src/model/index.js";

function typeLabel(c: ColumnDef): string {
  if (c.type === "enum") return `enum: ${(c.enumValues ?? []).map((v) => `\`${v}\``).join(" / ")}`;
  const range =
    c.min !== undefined || c.max !== undefined
      ? ` (${c.min ?? ""}${c.max !== undefined ? `..${c.max}` : " or more"})`
      : "";
  return `${c.type}${range}`;
}

function tableSection(t: TableDef): string {
  const lines = [
    `## \`${t.name}\`${t.requiredTable ? " (required)" : ""}`,
    "",
    t.description,
    "",
    `Natural key: ${t.key.map((k) => `\`${k}\``).join(" + ")}. Re-ingesting a row with a known key updates it.`,
    "",
    "| column | type | required | default | references | meaning |",
    "|---|---|---|---|---|---|",
    ...t.columns.map(
      (c) =>
        `| \`${c.name}\` | ${typeLabel(c)} | ${c.required ? "yes" : "no"} | ${c.default !== undefined ? `\`${c.default}\`` : ""} | ${
          c.references ? `\`${c.references.table}.${c.references.column}\`` : ""
        } | ${c.description} |`,
    ),
    "",
    "Example row:",
    "",
    "```csv",
    t.columns.map((c) => c.name).join(","),
    t.columns.map((c) => (/[,"]/.test(c.example) ? `"${c.example.replaceAll('"', '""')}"` : c.example)).join(","),
    "```",
    "",
  ];
  return lines.join("\n");
}

export function dataModelDoc(): string {
  return [
    "# Canonical data model",
    "",
    "<!-- Generated from src/model/tables.ts by `npm run docs`; do not edit by hand. -->",
    "",
    "Tierwise reads one file per table (CSV, gzip CSV, TSV, Parquet, JSON array or NDJSON) named after the",
    "table (`customers.csv`, `orders.parquet`, …). Only `customers` and `orders` are required; every other",
    "table switches features on. A mapping file adapts other column names, date formats and values (see",
    "[ingest.md](ingest.md)).",
    "",
    "Types:",
    "",
    "- **id**: text; leading zeros and any script survive (`007` ≠ `7`). At most 200 characters, no control characters.",
    "- **timestamp**: ISO 8601 by default (`2025-03-31`, `2025-03-31 14:05`, `2025-03-31T14:05:00+01:00`). Values with an offset are converted to UTC; values without one are read in the ingest's time zone (default UTC). Stored as UTC `TIMESTAMP`.",
    "- **money** / **number**: exact decimals with 4 fractional digits (`DECIMAL(18,4)`); thousands separators, scientific notation and a decimal comma are understood. NaN and Infinity are rejected.",
    "- **integer**: whole numbers. **enum**: one of the listed values, matched case-insensitively. **json**: a JSON object.",
    "- An empty or blank cell is a missing value.",
    "",
    "The store is an ordinary DuckDB file with these tables and columns; Tierwise's own bookkeeping tables",
    "start with `tw_`. Uniqueness of keys and references are enforced by ingestion (rejected rows are",
    "reported), not by database constraints, so bulk loads stay fast.",
    "",
    ...TABLES.map(tableSection),
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL("../docs/data-model.md", import.meta.url), dataModelDoc());
}
