import { createHash } from "node:crypto";
import type { Command } from "commander";
import { UsageError } from "../../errors/index.js";
import type { LoadedPolicy } from "../../policy/load-policy.js";
import type { PolicySettings } from "../../policy/policy-settings.js";
import { type AsOfFlags, allowFutureOption, asOfOption, refuseFutureAsOf } from "../as-of-option.js";
import { addPolicySettingsOptions, type PolicySettingsFlags, policySettings } from "../policy-settings-options.js";
import { printJson, printText } from "../print.js";
import { createProgress } from "../progress.js";
import { renderRun } from "../render-run.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags, storeLabel } from "../store-options.js";
import { policySource } from "./policy-source.js";

interface RunFlags extends StoreFlags, AsOfFlags, PolicySettingsFlags {
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
  addPolicySettingsOptions(command);
  addStoreOptions(command).action(async (flags: RunFlags) => {
    if (flags.policyVersion && (flags.policy || flags.preset?.length))
      throw new UsageError("give --policy-version HASH or --policy/--preset, not both");
    refuseFutureAsOf(flags.asOf, flags.allowFuture);
    const { loadPolicy } = await import("../../policy/load-policy.js");
    const { loadRecordedPolicy } = await import("../../run/policy-versions.js");
    const { run } = await import("../../run/run.js");
    const { requireCustomers } = await import("../../store/index.js");
    const settings = await policySettings(flags);
    const policy = flags.policyVersion ? undefined : await loadPolicy(policySource(flags), settings);
    const engine = await openStoreFromFlags(flags);
    const progress = createProgress();
    try {
      await requireCustomers(engine, storeLabel(flags));
      const used =
        policy ?? (await withRecorded(await loadRecordedPolicy(engine, flags.policyVersion ?? ""), settings));
      const result = await run(engine, used, {
        ...(flags.asOf ? { asOf: flags.asOf } : {}),
        onStep: (step, done, total) => progress.update(done, total, step),
      });
      progress.stop();
      if (flags.json) printJson(result);
      else printText(renderRun(result));
      // A run never waits for a receiver: its events are in the outbox, `events deliver` sends them.
      if ((used.plan.webhooks ?? []).length > 0)
        process.stderr.write("events: in the outbox; send them to the webhooks with tierwise events deliver\n");
    } finally {
      progress.stop();
      await engine.close();
    }
  });
}

/** A recorded policy with `--currency`/`--scale`/`--policy-overlay` written in (a new policy version). */
async function withRecorded(recorded: LoadedPolicy, settings: PolicySettings): Promise<LoadedPolicy> {
  const { noSettings, withSettings } = await import("../../policy/policy-settings.js");
  const { planFromText } = await import("../../run/runs.js");
  if (noSettings(settings)) return recorded;
  const text = withSettings(recorded.text, settings);
  return { plan: planFromText(text), text, hash: createHash("sha256").update(text).digest("hex"), warnings: [] };
}
