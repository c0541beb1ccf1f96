import type { Command } from "commander";
import { UsageError } from "../../errors/index.js";
import { printJson, printText } from "../print.js";
import { type RawFlags, rawOption } from "../raw-option.js";
import { renderRepAssignment } from "../render-reps.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

/** Changes listed on the terminal unless --limit or --all says otherwise. */
export const DEFAULT_LIST_LIMIT = 20;

interface AssignRepsFlags extends StoreFlags, RawFlags {
  scheme?: string;
  dryRun?: boolean;
  json?: boolean;
  limit?: number;
  all?: boolean;
  out?: string;
}

function wholeNumber(name: string) {
  return (value: string): number => {
    const n = Number(value.replaceAll("_", ""));
    if (!Number.isInteger(n) || n < 0 || n > 2_147_483_647)
      throw new UsageError(`${name} must be a whole number (0 or more), got ${JSON.stringify(value)}`);
    return n;
  };
}

export function registerAssignReps(program: Command): void {
  const command = program
    .command("assign-reps")
    .description(
      "assign service reps by the rep level each tier's playbook needs, within capacities: a summary per level and rep, then the changes with reasons",
    )
    .option("--scheme <name>", "the scheme (default: the first of the latest run whose playbooks name rep levels)")
    .option("--dry-run", "compute and show the changes without recording them")
    .option(
      "--limit <n>",
      `list at most n changes and n unassignable customers (default ${DEFAULT_LIST_LIMIT}; 0: the summary only; with --json: all)`,
      wholeNumber("--limit"),
    )
    .option("--all", "list every change and unassignable customer")
    .option("--out <file>", "write every change and unassignable customer to FILE.csv, FILE.parquet or FILE.json")
    .option("--json", "print the result as JSON")
    .addOption(rawOption());
  addStoreOptions(command).action(async (flags: AssignRepsFlags) => {
    if (flags.all && flags.limit !== undefined) throw new UsageError("--all and --limit cannot be used together");
    const limit = flags.all ? undefined : (flags.limit ?? (flags.json ? undefined : DEFAULT_LIST_LIMIT));
    const { assignReps } = await import("../../decisions/assign-reps.js");
    const engine = await openStoreFromFlags(flags);
    try {
      const a = await assignReps(engine, {
        ...(flags.scheme ? { scheme: flags.scheme } : {}),
        ...(flags.dryRun ? { dryRun: true } : {}),
        ...(limit !== undefined ? { limit } : {}),
        ...(flags.out !== undefined ? { out: flags.out } : {}),
        ...(flags.raw ? { raw: true } : {}),
      });
      if (flags.json) printJson(a);
      else printText(renderRepAssignment(a));
    } finally {
      await engine.close();
    }
  });
}
