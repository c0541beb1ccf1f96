import { writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { makeFolder } from "../files/make-folder.js";
import type { ThresholdsScheme } from "../plan/policy.js";
import { calibratedPolicy } from "./calibrated-policy.js";
import type { Bound, CalibratedTier, CalibrateOptions, CalibrationCore } from "./calibration.js";
import { pct } from "./threshold-choice.js";

// What a calibration writes: the policy patch and the whole calibrated policy file.

/** A bound as the policy file writes it. */
export const fileBound = (
  b: { min?: number; above?: number; keep?: number },
  fileValue: (v: number) => number,
): Bound => ({
  ...(b.min !== undefined ? { min: fileValue(b.min) } : {}),
  ...(b.above !== undefined ? { above: fileValue(b.above) } : {}),
  ...(b.keep !== undefined ? { keep: fileValue(b.keep) } : {}),
});

/** Writes the patch (`patchOut`) and the whole calibrated policy (`policyOut`), when asked. */
export async function writeCalibration(
  options: CalibrateOptions,
  scheme: ThresholdsScheme,
  calibration: CalibrationCore,
  proposedBounds: ThresholdsScheme["bounds"],
  fileValue: (v: number) => number,
): Promise<void> {
  if (options.patchOut) {
    await makeFolder(dirname(options.patchOut));
    await writeFile(options.patchOut, calibration.patch);
  }
  if (options.policyOut !== undefined) {
    const header = patchHeader(options, calibration.asOf);
    const text = calibratedPolicy(options.policyText ?? "", scheme, proposedBounds, fileValue, header);
    await makeFolder(dirname(options.policyOut));
    await writeFile(options.policyOut, text);
  }
}

const boundText = (b: Bound) =>
  b.min !== undefined ? `min: ${b.min}` : b.above !== undefined ? `above: ${b.above}` : "no bound";

const patchHeader = (options: CalibrateOptions, asOf: string) =>
  `# tierwise calibrate: ${options.targets.map((t) => `${t.tier}=${t.percent}%`).join(", ")} of ${options.by === "customers" ? "customers" : "revenue"}, as of ${asOf}`;

/** The policy patch: the scheme and its calibrated tiers with their new bounds, each commented with what it gives. */
export function patchText(
  scheme: ThresholdsScheme,
  tiers: readonly CalibratedTier[],
  options: CalibrateOptions,
  asOf: string,
): string {
  const which = options.by === "customers" ? "customers" : "revenue";
  const lines = [
    patchHeader(options, asOf),
    "# In the policy, set these tiers' bounds in the scheme below (other keys stay as they are).",
    `scheme: ${JSON.stringify(scheme.name)}`,
    `metric: ${JSON.stringify(scheme.metric.text)}`,
    "tiers:",
  ];
  for (const t of tiers.filter((x) => x.target !== undefined)) {
    const got = options.by === "customers" ? t.proposed.share : t.proposed.revenueShare;
    lines.push(
      `  - name: ${JSON.stringify(t.tier)}`,
      `    min: ${t.proposedBound.min}  # was ${boundText(t.currentBound)}; gives ${pct(got)} of ${which} (target ${t.target}%)`,
    );
    if (t.proposedBound.keep !== undefined && t.proposedBound.keep !== t.currentBound.keep)
      lines.push(`    keep: ${t.proposedBound.keep}  # was ${t.currentBound.keep}: a retention bound is not above min`);
  }
  return `${lines.join("\n")}\n`;
}
