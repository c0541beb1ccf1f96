import type { Command } from "commander";
import { idArgument } from "../id-argument.js";
import { printJson, printText } from "../print.js";
import { renderHistory } from "../render-history.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

export function registerHistory(program: Command): void {
  const command = program
    .command("history")
    .description("every tier change of a customer (or lead) across the stored runs, with the rule behind it")
    .argument("<id>", "customer id or lead id", idArgument("<id>"))
    .option("--scheme <name>", "only this scheme")
    .option("--json", "print the history as JSON");
  addStoreOptions(command).action(async (id: string, flags: StoreFlags & { scheme?: string; json?: boolean }) => {
    const { history } = await import("../../insight/history.js");
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    try {
      const h = await history(engine, id, flags.scheme !== undefined ? { scheme: flags.scheme } : {});
      if (flags.json) printJson(h);
      else printText(renderHistory(h));
    } finally {
      await engine.close();
    }
  });
}
