import { writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { UsageError } from "../../errors/index.js";
import { parseCrosstab } from "../crosstab-option.js";
import { currencyCode } from "../policy-settings-options.js";
import { fitProse } from "../print.js";
import { renderReport } from "../render-report.js";
import { positiveInteger } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags, storeFile } from "../store-options.js";
import { outputWidth } from "../text-table.js";

type ReportFormat = "text" | "json" | "html";

function format(value: string): ReportFormat {
  if (value === "text" || value === "json" || value === "html") return value;
  throw new UsageError(`--format takes text, json or html, got ${JSON.stringify(value)}`);
}

function crosstab(value: string): [string, string] {
  const pair = parseCrosstab(value);
  if (!pair) throw new UsageError(`--crosstab takes two scheme names as "A x B", got ${JSON.stringify(value)}`);
  return pair;
}

interface ReportFlags extends StoreFlags {
  run?: number;
  format: ReportFormat;
  out?: string;
  crosstab?: [string, string];
  scheme?: string;
  locale?: string;
  currency?: string;
  crossSell?: boolean;
}

/** Where an HTML report goes without `--out`: `report.html` next to the DuckDB store (the working directory for PostgreSQL). */
export function defaultHtmlPath(flags: StoreFlags): string {
  const file = storeFile(flags);
  return file === undefined ? resolve("report.html") : join(dirname(resolve(file)), "report.html");
}

export function registerReport(program: Command): void {
  const command = program
    .command("report")
    .description(
      "tiers with shares of customers, revenue and contribution; Pareto curve and Gini; crosstab; migrations and churn",
    )
    .option("--run <id>", "the run to report on (default: the latest)", positiveInteger("--run"))
    .option("--format <format>", "text, json or html (default text)", format, "text" as ReportFormat)
    .option("--out <file>", "write the report to this file (default: stdout; html: report.html next to the store)")
    .option("--crosstab <pair>", 'two customer schemes to cross, "A x B" (default: the run\'s first two)', crosstab)
    .option("--scheme <name>", "the scheme of the history sections (default: the run's first customer scheme)")
    .option("--locale <tag>", "numbers, money and dates for this locale (default: the policy's locale)")
    .addOption(
      new Option(
        "--currency <code>",
        "name the amounts in this currency (default: the run's policy currency)",
      ).argParser(currencyCode()),
    )
    .option("--no-cross-sell", "leave out the tiers' cross-sell association rules");
  addStoreOptions(command).action(async (flags: ReportFlags) => {
    const { reportHtml } = await import("../../report/html.js");
    const { buildReport } = await import("../../insight/report.js");
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    try {
      const report = await buildReport(engine, {
        ...(flags.run !== undefined ? { run: flags.run } : {}),
        ...(flags.crosstab ? { crosstab: flags.crosstab } : {}),
        ...(flags.scheme !== undefined ? { historyScheme: flags.scheme } : {}),
        ...(flags.locale !== undefined ? { locale: flags.locale } : {}),
        ...(flags.currency !== undefined ? { currency: flags.currency } : {}),
        ...(flags.crossSell === false ? { crossSell: false } : {}),
      });
      const text =
        flags.format === "json"
          ? `${JSON.stringify(report, null, 2)}\n`
          : flags.format === "html"
            ? reportHtml(report)
            : `${renderReport(report)}\n`;
      const out = flags.out ?? (flags.format === "html" ? defaultHtmlPath(flags) : undefined);
      // Prose fitted to the terminal; a file keeps its lines whole.
      if (out === undefined) process.stdout.write(flags.format === "text" ? fitProse(text, outputWidth()) : text);
      else {
        await writeFile(out, text, "utf8");
        process.stdout.write(`report: ${out} (run ${report.runId}, as of ${report.asOf})\n`);
      }
    } finally {
      await engine.close();
    }
  });
}
