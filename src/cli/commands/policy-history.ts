import type { Command } from "commander";
import { printJson, printText } from "../print.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

/** `tierwise policy history`: the distinct policy versions the store's runs recorded. */
export function registerPolicyHistory(policy: Command): void {
  const command = policy
    .command("history")
    .description(
      "list the policy versions recorded with the store's runs (re-run one: tierwise run --policy-version HASH)",
    )
    .option("--json", "print the versions as JSON");
  addStoreOptions(command).action(async (flags: StoreFlags & { json?: boolean }) => {
    const { policyHistory } = await import("../../run/policy-versions.js");
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    try {
      const versions = await policyHistory(engine);
      if (flags.json) {
        printJson(versions);
        return;
      }
      if (versions.length === 0) {
        process.stdout.write("no runs yet\n");
        return;
      }
      for (const v of versions) {
        const runs = v.runs.map((r) => `${r.runId} (as of ${r.asOf})`).join(", ");
        const schemes = v.schemes.map((s) => `${s.name} (${s.kind}, ${s.tiers} tiers)`).join(", ");
        printText(
          `${v.policyHash.slice(0, 12)} used ${v.firstUsed} … ${v.lastUsed}\n  schemes: ${schemes || "(recorded text no longer checks)"}\n  runs: ${runs}`,
        );
      }
    } finally {
      await engine.close();
    }
  });
}
