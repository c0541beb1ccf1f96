import type { Command } from "commander";
import { loadPolicy } from "../../policy/load-policy.js";
import { run } from "../../run/run.js";
import { createProgress } from "../progress.js";
import { renderRun } from "../render-run.js";
import { isoDate } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";
import { policySource } from "./policy-source.js";

interface RunFlags extends StoreFlags {
  policy?: string;
  preset?: string[];
  asOf?: string;
  json?: boolean;
}

export function registerRun(program: Command): void {
  const command = program
    .command("run")
    .description("grade every customer and lead by a policy as of a date and write one snapshot atomically")
    .option("--policy <file>", "policy YAML file (see tierwise policy schema)")
    .option(
      "--preset <name>",
      "a shipped preset (repeatable; `all` runs every preset)",
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option("--as-of <date>", "grade as of this date; only facts before it count (default: today)", isoDate("--as-of"))
    .option("--json", "print the result as JSON");
  addStoreOptions(command).action(async (flags: RunFlags) => {
    const policy = await loadPolicy(policySource(flags));
    const engine = await openStoreFromFlags(flags);
    const progress = createProgress();
    try {
      const result = await run(engine, policy, {
        ...(flags.asOf ? { asOf: flags.asOf } : {}),
        onStep: (step, done, total) => progress.update(done, total, step),
      });
      progress.stop();
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderRun(result)}\n`);
    } finally {
      progress.stop();
      await engine.close();
    }
  });
}
