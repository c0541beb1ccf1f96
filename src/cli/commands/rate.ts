import type { Command } from "commander";
import { idArgument } from "../id-argument.js";
import { positiveInteger } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

export function registerRate(program: Command): void {
  addStoreOptions(
    program
      .command("rate")
      .description(
        "record the manual prospects rating (1-5) of a customer, used by the scorecard's prospects indicator",
      )
      .argument("<id>", "customer id", idArgument("<id>"))
      .requiredOption("--prospects <n>", "1 (poor) to 5 (excellent)", positiveInteger("--prospects"))
      .option("--by <name>", "who rates (default: $TIERWISE_USER or $USER)"),
  ).action(async (id: string, flags: StoreFlags & { prospects: number; by?: string }) => {
    const { rate } = await import("../../run/ratings.js");
    const engine = await openStoreFromFlags(flags);
    try {
      await rate(engine, id, flags.prospects, flags.by ? { by: flags.by } : {});
      process.stdout.write(`rated ${id}: prospects ${flags.prospects}\n`);
    } finally {
      await engine.close();
    }
  });
}
