import type { Command } from "commander";
import { assignReps } from "../../decisions/assign-reps.js";
import { renderRepAssignment } from "../render-decisions.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

export function registerAssignReps(program: Command): void {
  const command = program
    .command("assign-reps")
    .description(
      "assign service reps by the rep level each tier's playbook needs, within capacities; lists every change",
    )
    .option("--scheme <name>", "the scheme (default: the first of the latest run whose playbooks name rep levels)")
    .option("--dry-run", "list the changes without recording them")
    .option("--json", "print the result as JSON");
  addStoreOptions(command).action(async (flags: StoreFlags & { scheme?: string; dryRun?: boolean; json?: boolean }) => {
    const engine = await openStoreFromFlags(flags);
    try {
      const a = await assignReps(engine, {
        ...(flags.scheme ? { scheme: flags.scheme } : {}),
        ...(flags.dryRun ? { dryRun: true } : {}),
      });
      process.stdout.write(flags.json ? `${JSON.stringify(a, null, 2)}\n` : `${renderRepAssignment(a)}\n`);
    } finally {
      await engine.close();
    }
  });
}
