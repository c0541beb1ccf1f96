import type { Command } from "commander";
import { printJson, printText } from "../print.js";
import { type RawFlags, rawOption } from "../raw-option.js";
import { renderActions } from "../render-decisions.js";
import { positiveInteger } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

interface ActionsFlags extends StoreFlags, RawFlags {
  out: string;
  run?: number;
  scheme?: string;
  tier?: string;
  redact?: boolean;
  json?: boolean;
}

export function registerActions(program: Command): void {
  const command = program
    .command("actions")
    .description(
      "write the action lists of a run from its playbooks: who gets the call, each benefit and campaign (one row per customer and action, with the customer's name, email and rep)",
    )
    .requiredOption("--out <file>", "FILE.csv, FILE.parquet or FILE.json")
    .option("--scheme <name>", "only this scheme (default: every customer scheme with playbooks)")
    .option("--tier <name>", "only this tier")
    .option("--run <id>", "a run id (default: the latest)", positiveInteger("--run"))
    .option(
      "--redact",
      "leave the customers' contact data out (the email column); customer id, name and rep stay so the list can be acted on",
    )
    .option("--json", "print the summary as JSON")
    .addOption(rawOption());
  addStoreOptions(command).action(async (flags: ActionsFlags) => {
    const { writeActions } = await import("../../decisions/actions.js");
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    try {
      const r = await writeActions(engine, {
        out: flags.out,
        ...(flags.run !== undefined ? { runId: flags.run } : {}),
        ...(flags.scheme !== undefined ? { scheme: flags.scheme } : {}),
        ...(flags.tier !== undefined ? { tier: flags.tier } : {}),
        ...(flags.redact ? { redact: true } : {}),
        ...(flags.raw ? { raw: true } : {}),
      });
      if (flags.json) printJson(r);
      else printText(renderActions(r));
    } finally {
      await engine.close();
    }
  });
}
