import { type Command, Option } from "commander";
import { UsageError } from "../errors/index.js";
import { MAX_SCALE, MIN_SCALE } from "../policy/bounds.js";
import { currencyHint, knownCurrency } from "../policy/currency-code.js";
import type { PolicySettings } from "../policy/policy-settings.js";

/** The flags `addPolicySettingsOptions` adds. */
export interface PolicySettingsFlags {
  currency?: string;
  scale?: number;
  policyOverlay?: string;
}

/** `--currency CODE`: an ISO 4217 code the runtime knows, in any case (`gbp` is GBP). */
export function currencyCode(flag = "--currency") {
  return (value: string): string => {
    const code = value.trim().toUpperCase();
    if (!knownCurrency(code)) throw new UsageError(`${flag}: unknown currency ${value} (${currencyHint(value)})`);
    return code;
  };
}

/** `--scale N`: a positive number (0.01 for a shop a hundredth the size). */
export function positiveScale(value: string): number {
  const n = Number(value.replaceAll("_", ""));
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`--scale must be a positive number such as 0.1, got ${JSON.stringify(value)}`);
  if (n < MIN_SCALE || n > MAX_SCALE)
    throw new UsageError(`--scale must be from ${MIN_SCALE} to ${MAX_SCALE}, got ${JSON.stringify(value)}`);
  return n;
}

/** The three options one by one, for a command that lists its options in one chain. */
export const policySettingsOptions = {
  currency: () =>
    new Option("--currency <code>", "the policy's currency (ISO 4217, e.g. GBP), replacing its own").argParser(
      currencyCode(),
    ),
  scale: () =>
    new Option("--scale <n>", "the policy's scale (multiplies money thresholds), replacing its own").argParser(
      positiveScale,
    ),
  overlay: () =>
    new Option("--policy-overlay <file>", "a YAML file of currency, scale and locale that replace the policy's own"),
};

/**
 * Add `--currency`, `--scale` and `--policy-overlay` to a command that takes
 * a policy: they replace the policy's own `currency` and `scale` (docs/policy.md).
 */
export function addPolicySettingsOptions(command: Command): Command {
  return command
    .addOption(policySettingsOptions.currency())
    .addOption(policySettingsOptions.scale())
    .addOption(policySettingsOptions.overlay());
}

/** The settings to apply: the overlay file's, then the flags (which win). */
export async function policySettings(flags: PolicySettingsFlags): Promise<PolicySettings> {
  const { loadOverlay } = await import("../policy/policy-settings.js");
  const overlay = flags.policyOverlay ? await loadOverlay(flags.policyOverlay) : {};
  return {
    ...overlay,
    ...(flags.currency !== undefined ? { currency: flags.currency } : {}),
    ...(flags.scale !== undefined ? { scale: flags.scale } : {}),
  };
}
