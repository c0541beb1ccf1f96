import { existsSync } from "node:fs";
import type { Command } from "commander";
import type { SchemePair } from "../../decisions/what-if.js";
import { UsageError } from "../../errors/index.js";
import { presetNames } from "../../policy/presets.js";
import { allowFutureOption, asOfOption, refuseFutureAsOf } from "../as-of-option.js";
import { addPolicySettingsOptions, type PolicySettingsFlags, policySettings } from "../policy-settings-options.js";
import { printJson, printText } from "../print.js";
import { type RawFlags, rawOption } from "../raw-option.js";
import { renderWhatIf } from "../render-decisions.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

/** `preset:NAME`, or a file, or (when no such file exists) a preset name. */
export function policyOrPreset(value: string): { file: string } | { presets: string[] } {
  if (value.startsWith("preset:")) return { presets: [value.slice("preset:".length)] };
  if (!existsSync(value) && presetNames().includes(value)) return { presets: [value] };
  return { file: value };
}

/** `--scheme CURRENT=PROPOSED` → a pair (the first `=` separates the names). */
export function schemePair(value: string, pairs: SchemePair[] = []): SchemePair[] {
  const at = value.indexOf("=");
  const current = value.slice(0, at).trim();
  const proposed = value.slice(at + 1).trim();
  if (at < 0 || current === "" || proposed === "")
    throw new UsageError(`--scheme takes CURRENT=PROPOSED (e.g. value-grades=value-ytd), not ${JSON.stringify(value)}`);
  return [...pairs, { current, proposed }];
}

export function registerDiff(program: Command): void {
  const command = program
    .command("diff")
    .description(
      "what-if: grade by two policies without writing a snapshot and compare tiers, movers and benefit costs",
    )
    .option(
      "--policy <file|preset>",
      "give twice: the current policy, then the proposed one (a file, a preset name or preset:NAME)",
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option(
      "--scheme <current=proposed>",
      "compare these two schemes whatever their names (repeatable; the others are matched by name)",
      schemePair,
    )
    .addOption(asOfOption("grade as of this date (default: today)"))
    .addOption(allowFutureOption())
    .option("--movers <file.csv>", "write every customer whose tier would change to this CSV file")
    .option("--json", "print the comparison as JSON")
    .addOption(rawOption());
  addPolicySettingsOptions(command);
  addStoreOptions(command).action(
    async (
      flags: StoreFlags & {
        policy?: string[];
        scheme?: SchemePair[];
        asOf?: string;
        allowFuture?: boolean;
        movers?: string;
        json?: boolean;
      } & PolicySettingsFlags &
        RawFlags,
    ) => {
      const [a, b, ...more] = flags.policy ?? [];
      if (a === undefined || b === undefined || more.length > 0)
        throw new UsageError("give --policy twice: the current policy, then the proposed one");
      refuseFutureAsOf(flags.asOf, flags.allowFuture);
      const { whatIf } = await import("../../decisions/what-if.js");
      const { loadPolicy } = await import("../../policy/load-policy.js");
      const settings = await policySettings(flags);
      const current = await loadPolicy(policyOrPreset(a), settings);
      const proposed = await loadPolicy(policyOrPreset(b), settings);
      const engine = await openStoreFromFlags(flags, { readOnly: true });
      try {
        const w = await whatIf(engine, current, proposed, {
          ...(flags.asOf ? { asOf: flags.asOf } : {}),
          ...(flags.movers ? { moversOut: flags.movers } : {}),
          ...(flags.raw ? { raw: true } : {}),
          ...(flags.scheme ? { pairs: flags.scheme } : {}),
        });
        if (flags.json) printJson(w);
        else printText(renderWhatIf(w));
      } finally {
        await engine.close();
      }
    },
  );
}
