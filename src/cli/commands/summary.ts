import type { Command } from "commander";
import { printJson, printText } from "../print.js";
import { renderSummary } from "../render-summary.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

export function registerSummary(program: Command): void {
  const command = program
    .command("summary")
    .description("print what the store holds: rows per table, revenue, date range, customers by kind")
    .option("--json", "print the summary as JSON");
  addStoreOptions(command).action(async (flags: StoreFlags & { json?: boolean }) => {
    const { summariseStore } = await import("../../store/index.js");
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    try {
      const summary = await summariseStore(engine);
      if (flags.json) printJson(summary);
      else printText(renderSummary(summary));
    } finally {
      await engine.close();
    }
  });
}
