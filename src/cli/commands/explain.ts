import type { Command } from "commander";
import { idArgument } from "../id-argument.js";
import { printJson, printText } from "../print.js";
import { renderExplanation } from "../render-run.js";
import { positiveInteger } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

export function registerExplain(program: Command): void {
  const command = program
    .command("explain")
    .description(
      "why a customer (or lead) has its tiers: rule or score, metric values, distance to the next tier, overrides",
    )
    .argument("<id>", "customer id or lead id", idArgument("<id>"))
    .option("--scheme <name>", "only this scheme")
    .option("--run <id>", "a run id (default: the latest)", positiveInteger("--run"))
    .option("--json", "print the explanation as JSON");
  addStoreOptions(command).action(
    async (id: string, flags: StoreFlags & { scheme?: string; run?: number; json?: boolean }) => {
      const { explain } = await import("../../insight/explain.js");
      const engine = await openStoreFromFlags(flags, { readOnly: true });
      try {
        const e = await explain(engine, id, {
          ...(flags.scheme !== undefined ? { scheme: flags.scheme } : {}),
          ...(flags.run !== undefined ? { runId: flags.run } : {}),
        });
        if (flags.json) printJson(e);
        else printText(renderExplanation(e));
      } finally {
        await engine.close();
      }
    },
  );
}
