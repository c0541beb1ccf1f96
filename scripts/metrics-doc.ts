import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { METRICS, type MetricInfo } from "../src/plan/metrics.js";

const signature = (m: MetricInfo) =>
  m.params.length === 0
    ? `\`${m.name}\``
    : `\`${m.name}(${m.params.map((p) => (p === "number" ? "x" : p)).join(", ")})\``;

function section(entity: "customers" | "leads"): string[] {
  const rows = METRICS.filter((m) => m.entity === entity).map(
    (m) =>
      `| ${signature(m)} | ${m.type} | ${m.definition.replaceAll("|", "\\|")} | ${m.empty} | ${m.needs.join(", ") || "–"} |`,
  );
  return ["| metric | type | definition | when nothing to measure | reads |", "|---|---|---|---|---|", ...rows];
}

/** docs/metrics.md, generated from the metric catalogue (src/plan/metrics.ts). */
export function metricsDoc(): string {
  return [
    "# Metrics",
    "",
    "<!-- Generated from src/plan/metrics.ts by `npm run docs`; do not edit by hand. -->",
    "",
    "Every scheme's conditions, indicators and values are expressions over these built-in metrics (and the",
    "policy's own named `metrics:`), see [expressions.md](expressions.md) for the expression language.",
    "",
    "**Windows are parameters.** A `window` is `N days|weeks|months|years` or `lifetime`: `spend(12 months)`,",
    "`orders(lifetime)`, `complaints(90 days)`. All windows are measured backwards from the run's as-of date and",
    "exclude it: a 12-month window at 2026-01-01 covers 2025-01-01 up to 2025-12-31 (midnight in the policy's",
    "`time_zone`). Nothing dated on or after as-of counts. Months are calendar months (2026-03-31 − 1 month is",
    "2026-02-28). Order windows use `ordered_at`, invoices `due_at`, interactions `at`, leads `created_at`.",
    "Calendar windows `calendar_year`, `calendar_quarter` and `calendar_month` start at the first day of the",
    "period holding the day before as-of: `spend(calendar_year)` at 2026-05-10 covers 2026-01-01 up to 2026-05-09,",
    "and at 2027-01-01 the whole of 2026 (a lifecycle's qualification year; see policy.md, Lifecycle).",
    "",
    "Money metrics (`spend`, `aov`, `contribution`, `compensation`, `overdue_amount`) are in the data's",
    "currency; number literals compared with them are multiplied by the policy's `scale`.",
    "",
    "**Unavailable signals.** `categories` and `new_categories` need order lines. When the store has none, a",
    "rule that uses them is evaluated without that part (in `a and b` or `a or b` the other side decides) and",
    "the run prints a warning, never silently false.",
    "",
    "## Customer metrics",
    "",
    ...section("customers"),
    "",
    "Columns of `customers` (`kind`, `region`, `prospects_rating`, `created_at`, …) can be named directly, and",
    "any model table can be aggregated with `sum|avg|min|max|count(table.column, window [, filter])`, e.g.",
    "`count(interactions, 90 days, kind = 'support')` (see policy.md).",
    "",
    "## Lead metrics",
    "",
    "Schemes with `entity: leads` grade each lead; its columns (`need`, `status`, `amount`,",
    "`expected_close_at`, …) can be named directly.",
    "",
    ...section("leads"),
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL("../docs/metrics.md", import.meta.url), metricsDoc());
}
