import type { Command } from "commander";
import { UsageError } from "../../errors/index.js";
import type { PolicyPlan } from "../../plan/policy.js";
import { allowFutureOption, asOfOption, refuseFutureAsOf } from "../as-of-option.js";
import { addPolicySettingsOptions, type PolicySettingsFlags, policySettings } from "../policy-settings-options.js";
import { printJson, printText } from "../print.js";
import { renderCalibration } from "../render-decisions.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";
import { policySource } from "./policy-source.js";

interface CalibrateFlags extends StoreFlags, PolicySettingsFlags {
  scheme: string;
  customers?: string;
  revenue?: string;
  policy?: string;
  preset?: string[];
  asOf?: string;
  allowFuture?: boolean;
  out: string;
  write?: string;
  json?: boolean;
}

export function registerCalibrate(program: Command): void {
  const command = program
    .command("calibrate")
    .description(
      "propose announceable thresholds that give tiers target shares of customers or revenue; writes a policy patch",
    )
    .requiredOption("--scheme <name>", "a thresholds scheme")
    .option("--customers <shares>", 'target shares of customers, top tier first: "VIP=10%,Gold=20%,Silver=30%"')
    .option("--revenue <shares>", 'target shares of revenue, top tier first: "A=80%,B=15%"')
    .option("--policy <file>", "the policy (default: the latest run's recorded policy)")
    .option("--preset <name>", "a shipped preset instead of --policy", (v: string, acc: string[] = []) => [...acc, v])
    .addOption(asOfOption("measure as of this date (default: today)"))
    .addOption(allowFutureOption())
    .option("--out <file>", "where to write the policy patch", "tierwise-calibration.yaml")
    .option(
      "--write <file>",
      "also write the whole policy with the calibrated bounds (passes policy check; a run gives the printed counts)",
    )
    .option("--json", "print the result as JSON");
  addPolicySettingsOptions(command);
  addStoreOptions(command).action(async (flags: CalibrateFlags) => {
    if ((flags.customers === undefined) === (flags.revenue === undefined))
      throw new UsageError("give --customers SHARES or --revenue SHARES (one of them)");
    refuseFutureAsOf(flags.asOf, flags.allowFuture);
    const { calibrate, parseShares } = await import("../../decisions/calibrate.js");
    const { loadPolicy } = await import("../../policy/load-policy.js");
    const { withSettings } = await import("../../policy/policy-settings.js");
    const { findRun, planFromText } = await import("../../run/runs.js");
    const by = flags.customers !== undefined ? "customers" : "revenue";
    const targets = parseShares(flags.customers ?? flags.revenue ?? "");
    const settings = await policySettings(flags);
    const given = flags.policy || flags.preset?.length ? await loadPolicy(policySource(flags), settings) : undefined;
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    try {
      const recorded = given ? undefined : await findRun(engine);
      const policyText = given?.text ?? withSettings(recorded?.policyText ?? "", settings);
      const plan: PolicyPlan = given?.plan ?? planFromText(policyText);
      const c = await calibrate(engine, plan, {
        scheme: flags.scheme,
        by,
        targets,
        patchOut: flags.out,
        ...(flags.write !== undefined ? { policyOut: flags.write, policyText } : {}),
        ...(flags.asOf ? { asOf: flags.asOf } : {}),
      });
      if (flags.json) printJson(c);
      else
        printText(
          `${recorded ? `policy of run ${recorded.runId} (as of ${recorded.asOf}), the latest run\n` : ""}${renderCalibration(c)}`,
        );
    } finally {
      await engine.close();
    }
  });
}
