import { join } from "node:path";
import type { Command } from "commander";
import { allowFutureOption, asOfOption, refuseFutureAsOf } from "../as-of-option.js";
import { shellWord } from "../print.js";
import { createProgress } from "../progress.js";
import { positiveInteger } from "../run-command.js";
import { formatCount, textTable } from "../text-table.js";

interface GenerateFlags {
  out: string;
  customers: number;
  seed: number;
  format: "csv" | "parquet";
  asOf?: string;
  allowFuture?: boolean;
  buying?: string;
  spend?: string;
  style: string;
}

const STYLES = ["tables", "shop-export"] as const;

export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description(
      "write a realistic sample business, one file per table, replacing earlier table files in --out (deterministic for a seed and as-of date)",
    )
    .requiredOption("--out <dir>", "directory to write one file per table into")
    .option("--customers <n>", "number of customers", positiveInteger("--customers"), 10_000)
    .option("--seed <n>", "random seed", positiveInteger("--seed"), 1)
    .option("--format <format>", "csv or parquet", "csv")
    .option(
      "--style <style>",
      "tables (one file per table) or shop-export (one raw line-item file online_retail.csv, csv only)",
      "tables",
    )
    .addOption(asOfOption("last day of history is the day before this date (default: today, UTC)"))
    .addOption(allowFutureOption())
    .option(
      "--buying <model>",
      "simulate repeat orders from known BG/NBD parameters, e.g. bgnbd:r=0.25,alpha=4,a=0.8,b=2.5[,unit=week]",
    )
    .option("--spend <model>", "with --buying: order values from Gamma-Gamma parameters, e.g. gamma-gamma:p=6,q=4,v=15")
    .action(async (flags: GenerateFlags) => {
      if (flags.format !== "csv" && flags.format !== "parquet") {
        program.error(`error: --format must be csv or parquet, got ${JSON.stringify(flags.format)}`, { exitCode: 2 });
      }
      if (!(STYLES as readonly string[]).includes(flags.style)) {
        program.error(`error: --style must be tables or shop-export, got ${JSON.stringify(flags.style)}`, {
          exitCode: 2,
        });
      }
      if (flags.style === "shop-export" && flags.format !== "csv") {
        program.error("error: --style shop-export writes one CSV file; --format must be csv", { exitCode: 2 });
      }
      refuseFutureAsOf(flags.asOf, flags.allowFuture);
      const { generateDataset, generateShopExport, parseBuying, parseSpend, SHOP_EXPORT_FILE, SHOP_EXPORT_MAPPING } =
        await import("../../generate/index.js");
      const progress = createProgress();
      try {
        if (flags.style === "shop-export") {
          const summary = await generateShopExport({
            outDir: flags.out,
            customers: flags.customers,
            seed: flags.seed,
            ...(flags.asOf ? { asOf: flags.asOf } : {}),
            ...(flags.buying ? { buying: parseBuying(flags.buying) } : {}),
            ...(flags.spend ? { spend: parseSpend(flags.spend) } : {}),
            onProgress: (step, done, total) => progress.update(done, total, step),
          });
          progress.stop();
          const rows = [
            ["invoice lines", formatCount(summary.lines)],
            ["invoices", formatCount(summary.invoices)],
            ["of which credit notes", formatCount(summary.creditNotes)],
          ];
          process.stdout.write(
            `${textTable([SHOP_EXPORT_FILE, "rows"], rows)}\n\nwrote ${join(flags.out, SHOP_EXPORT_FILE)}\n` +
              // One line, not wrapped, so that it can be copied as it is.
              `read it with the example mapping shipped with Tierwise:\n  tierwise ingest ${shellWord(flags.out)} --mapping ${shellWord(SHOP_EXPORT_MAPPING)}\n`,
          );
          return;
        }
        const summary = await generateDataset({
          outDir: flags.out,
          customers: flags.customers,
          seed: flags.seed,
          format: flags.format,
          ...(flags.asOf ? { asOf: flags.asOf } : {}),
          ...(flags.buying ? { buying: parseBuying(flags.buying) } : {}),
          ...(flags.spend ? { spend: parseSpend(flags.spend) } : {}),
          onProgress: (step, done, total) => progress.update(done, total, step),
        });
        progress.stop();
        const rows = Object.entries(summary.rows).map(([table, n]) => [table, formatCount(Number(n))]);
        process.stdout.write(`${textTable(["table", "rows"], rows)}\n\nwrote ${flags.out}\n`);
      } finally {
        progress.stop();
      }
    });
}
