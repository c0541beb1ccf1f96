import type { Command } from "commander";
import { UsageError } from "../../errors/index.js";
import { loadPolicy } from "../../policy/load-policy.js";
import { deliverEvents } from "../../run/deliver.js";
import { loadRecordedPolicy } from "../../run/policy-versions.js";
import { run } from "../../run/run.js";
import { requireCustomers } from "../../store/index.js";
import { type AsOfFlags, allowFutureOption, asOfOption, refuseFutureAsOf } from "../as-of-option.js";
import { printJson, printText } from "../print.js";
import { createProgress } from "../progress.js";
import { renderRun } from "../render-run.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags, storeLabel } from "../store-options.js";
import { deliveryLine } from "./events.js";
import { policySource } from "./policy-source.js";

interface RunFlags extends StoreFlags, AsOfFlags {
  policy?: string;
  preset?: string[];
  policyVersion?: string;
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
    .option(
      "--policy-version <hash>",
      "re-run the policy recorded with earlier runs (hash or 8+ hex prefix; see tierwise policy history)",
    )
    .addOption(asOfOption("grade as of this date; only facts before it count (default: today)"))
    .addOption(allowFutureOption())
    .option("--json", "print the result as JSON");
  addStoreOptions(command).action(async (flags: RunFlags) => {
    if (flags.policyVersion && (flags.policy || flags.preset?.length))
      throw new UsageError("give --policy-version HASH or --policy/--preset, not both");
    refuseFutureAsOf(flags.asOf, flags.allowFuture);
    const policy = flags.policyVersion ? undefined : await loadPolicy(policySource(flags));
    const engine = await openStoreFromFlags(flags);
    const progress = createProgress();
    try {
      await requireCustomers(engine, storeLabel(flags));
      const used = policy ?? (await loadRecordedPolicy(engine, flags.policyVersion ?? ""));
      const result = await run(engine, used, {
        ...(flags.asOf ? { asOf: flags.asOf } : {}),
        onStep: (step, done, total) => progress.update(done, total, step),
      });
      progress.stop();
      if (flags.json) printJson(result);
      else printText(renderRun(result));
      // After the commit: the snapshot stands whatever the receivers answer; undelivered events wait for events retry.
      const webhooks = used.plan.webhooks ?? [];
      if (webhooks.length > 0) process.stderr.write(`${deliveryLine(await deliverEvents(engine, { webhooks }))}\n`);
    } finally {
      progress.stop();
      await engine.close();
    }
  });
}
