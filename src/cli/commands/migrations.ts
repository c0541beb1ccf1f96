import type { Command } from "commander";
import { UsageError } from "../../errors/index.js";
import { formats } from "../../format/formats.js";
import { isCalendarDate } from "../../plan/calendar-date.js";
import { printJson, printText } from "../print.js";
import { renderMigrations } from "../render-history.js";
import { positiveInteger } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

/** `--from` / `--to`: a run id (a whole number) or an as-of date. */
function runOrDate(name: string) {
  return (value: string): number | string => {
    if (/^\d+$/.test(value)) return Number(value);
    if (isCalendarDate(value)) return value;
    throw new UsageError(`${name} takes a run id or a date (YYYY-MM-DD), got ${JSON.stringify(value)}`);
  };
}

export function registerMigrations(program: Command): void {
  const command = program
    .command("migrations")
    .description("how a scheme's tiers moved between two runs: matrix, upgrades and downgrades, movers with reasons")
    .requiredOption("--scheme <name>", "the scheme")
    .option("--from <run|date>", "a run id or as-of date (default: the run before --to)", runOrDate("--from"))
    .option("--to <run|date>", "a run id or as-of date (default: the latest run of the scheme)", runOrDate("--to"))
    .option("--movers <n>", "how many movers to list (default 20)", positiveInteger("--movers"))
    .option("--json", "print the comparison as JSON");
  addStoreOptions(command).action(
    async (
      flags: StoreFlags & {
        scheme: string;
        from?: number | string;
        to?: number | string;
        movers?: number;
        json?: boolean;
      },
    ) => {
      const { migrations } = await import("../../insight/migrations.js");
      const engine = await openStoreFromFlags(flags, { readOnly: true });
      try {
        const m = await migrations(engine, {
          scheme: flags.scheme,
          ...(flags.from !== undefined ? { from: flags.from } : {}),
          ...(flags.to !== undefined ? { to: flags.to } : {}),
          ...(flags.movers !== undefined ? { movers: flags.movers } : {}),
        });
        if (flags.json) printJson(m);
        else printText(renderMigrations(m, formats(m.locale, m.currency)));
      } finally {
        await engine.close();
      }
    },
  );
}
