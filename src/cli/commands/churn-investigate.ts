import type { Command } from "commander";
import { printJson, printText } from "../print.js";
import { renderChurnInvestigation } from "../render-churn-investigation.js";
import { positiveInteger } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

/** `tierwise churn investigate`: what differed in the last days of a tier's churned customers. */
export function registerChurnInvestigate(churn: Command): void {
  const command = churn
    .command("investigate")
    .description(
      "for one tier, compare churned with retained customers over their last 90 days, signals ranked by effect size",
    )
    .option("--scheme <name>", "the scheme (default: the first customer scheme)")
    .option(
      "--tier <name>",
      "the tier to investigate (default: the scheme's top tier; the lowest tier triggers nothing)",
    )
    .option(
      "--run <id>",
      "the run whose grades and as-of are used (default: the scheme's latest run)",
      positiveInteger("--run"),
    )
    .option("--days <n>", "length of each customer's window in days (default 90)", positiveInteger("--days", 36_525))
    .option("--json", "print the investigation as JSON");
  addStoreOptions(command).action(
    async (flags: StoreFlags & { scheme?: string; tier?: string; run?: number; days?: number; json?: boolean }) => {
      const { investigateChurn } = await import("../../insight/churn-investigate.js");
      const engine = await openStoreFromFlags(flags, { readOnly: true });
      try {
        const report = await investigateChurn(engine, {
          ...(flags.scheme !== undefined ? { scheme: flags.scheme } : {}),
          ...(flags.tier !== undefined ? { tier: flags.tier } : {}),
          ...(flags.run !== undefined ? { run: flags.run } : {}),
          ...(flags.days !== undefined ? { days: flags.days } : {}),
        });
        if (flags.json) printJson(report);
        else printText(renderChurnInvestigation(report));
      } finally {
        await engine.close();
      }
    },
  );
}
