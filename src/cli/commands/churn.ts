import type { Command } from "commander";
import { UsageError } from "../../errors/index.js";
import { formats } from "../../format/formats.js";
import type { ChurnEvery } from "../../insight/churn.js";
import { printJson, printText } from "../print.js";
import { renderChurn } from "../render-churn.js";
import { isoDate, positiveInteger } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";
import { registerChurnInvestigate } from "./churn-investigate.js";

function every(value: string): ChurnEvery {
  if (value === "month" || value === "quarter" || value === "year") return value;
  throw new UsageError(`--every takes month, quarter or year, got ${JSON.stringify(value)}`);
}

export function registerChurn(program: Command): void {
  const command = program
    .command("churn")
    .description("customers who turned per period and tier, share and revenue lost; customers at risk")
    .option("--scheme <name>", "the scheme whose tiers split the report (default: the first customer scheme)")
    .option("--every <period>", "month, quarter or year (default month)", every)
    .option("--from <date>", "first period's start (default 12 months before --to)", isoDate("--from"))
    .option("--to <date>", "end of the last period, exclusive (default the latest run's as-of)", isoDate("--to"))
    .option("--limit <n>", "how many at-risk customers to list (default 20)", positiveInteger("--limit"))
    .option("--json", "print the report as JSON")
    // the options of `churn investigate` after its name are its own, not those of `churn`
    .enablePositionalOptions();
  registerChurnInvestigate(command);
  addStoreOptions(command).action(
    async (
      flags: StoreFlags & {
        scheme?: string;
        every?: ChurnEvery;
        from?: string;
        to?: string;
        limit?: number;
        json?: boolean;
      },
    ) => {
      const { churn } = await import("../../insight/churn.js");
      const engine = await openStoreFromFlags(flags, { readOnly: true });
      try {
        const report = await churn(engine, {
          ...(flags.scheme !== undefined ? { scheme: flags.scheme } : {}),
          ...(flags.every !== undefined ? { every: flags.every } : {}),
          ...(flags.from !== undefined ? { from: flags.from } : {}),
          ...(flags.to !== undefined ? { to: flags.to } : {}),
          ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
        });
        if (flags.json) printJson(report);
        else printText(renderChurn(report, formats(report.locale, report.currency)));
      } finally {
        await engine.close();
      }
    },
  );
}
