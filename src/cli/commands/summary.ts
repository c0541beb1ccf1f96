import type { Command } from "commander";
import { DEFAULT_STORE, openStore, summariseStore } from "../../store/index.js";
import { renderSummary } from "../render-summary.js";

export function registerSummary(program: Command): void {
  program
    .command("summary")
    .description("print what the store holds: rows per table, revenue, date range, customers by kind")
    .option("--db <file>", "store file", DEFAULT_STORE)
    .option("--json", "print the summary as JSON")
    .action(async (flags: { db: string; json?: boolean }) => {
      const engine = await openStore(flags.db);
      try {
        const summary = await summariseStore(engine);
        process.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderSummary(summary)}\n`);
      } finally {
        await engine.close();
      }
    });
}
