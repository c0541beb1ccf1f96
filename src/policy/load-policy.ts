import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { didYouMean } from "../errors/index.js";
import type { PolicyPlan } from "../plan/policy.js";
import { checkPolicy } from "./check-policy.js";
import { PolicyErrors, PolicyProblem } from "./codes.js";
import { type PolicySettings, withSettings } from "./policy-settings.js";
import { PRESETS_DIR, presetNames } from "./presets.js";

// The shipped presets, in their own file so the CLI lists them without loading the checker.
export { PRESETS_DIR, presetNames } from "./presets.js";

/** A checked policy with the exact text it came from (recorded with every run). */
export interface LoadedPolicy {
  readonly plan: PolicyPlan;
  /** The policy text(s) used, concatenated in order (presets: each file). */
  readonly text: string;
  /** SHA-256 of `text`. */
  readonly hash: string;
  /** Warnings found while checking (errors throw). */
  readonly warnings: readonly PolicyProblem[];
}

async function loadOne(
  file: string,
  display: string,
  settings: PolicySettings,
): Promise<{ plan: PolicyPlan; text: string; warnings: PolicyProblem[] }> {
  let text: string;
  try {
    text = withSettings(await readFile(file, "utf8"), settings);
  } catch (error) {
    const detail = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new PolicyErrors([
      new PolicyProblem("policy.unreadable", { file: display, reason: detail }, { file: display }),
    ]);
  }
  return checkedText(text, display);
}

function checkedText(text: string, display: string): { plan: PolicyPlan; text: string; warnings: PolicyProblem[] } {
  const { plan, problems } = checkPolicy(text, display);
  if (!plan) throw new PolicyErrors(problems.filter((p) => p.severity === "error"));
  return { plan, text, warnings: [...problems] };
}

/**
 * Check a policy given as text (an HTTP request's body, a recorded or
 * activated version), as `loadPolicy` checks a file; `display` names it in
 * the problems' locations.
 * @throws PolicyErrors listing every problem.
 */
export function loadPolicyText(text: string, display: string, settings: PolicySettings = {}): LoadedPolicy {
  const checked = checkedText(withSettings(text, settings), display);
  return { ...checked, hash: createHash("sha256").update(checked.text).digest("hex") };
}

/**
 * Load a policy file, or presets by name (`all` for every preset), and check
 * it. Several presets are run together as one policy; their settings must
 * agree (the shipped ones do). `settings` (currency, scale, locale) replace
 * the file's own values in the text that is checked and recorded.
 * @throws PolicyErrors listing every problem.
 */
export async function loadPolicy(
  source: { readonly file: string } | { readonly presets: readonly string[] },
  settings: PolicySettings = {},
): Promise<LoadedPolicy> {
  const parts: { plan: PolicyPlan; text: string; warnings: PolicyProblem[] }[] = [];
  if ("file" in source) parts.push(await loadOne(source.file, source.file, settings));
  else {
    const known = presetNames();
    const names = source.presets.includes("all") ? known : source.presets;
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length > 0) {
      throw new PolicyErrors(
        unknown.map(
          (n) =>
            new PolicyProblem(
              "policy.unknown-preset",
              { preset: n },
              { file: "--preset" },
              didYouMean(n, known) ?? `presets: ${known.join(", ")}, all`,
            ),
        ),
      );
    }
    for (const n of [...new Set(names)])
      parts.push(await loadOne(`${PRESETS_DIR}${n}.yaml`, `presets/${n}.yaml`, settings));
  }
  const [first, ...rest] = parts;
  if (!first) throw new PolicyErrors([new PolicyProblem("policy.no-preset", {}, { file: "--preset" })]);
  const alerts = parts.flatMap((p) => p.plan.alerts ?? []);
  const plan: PolicyPlan = {
    ...first.plan,
    schemes: parts.flatMap((p) => p.plan.schemes),
    metrics: parts.flatMap((p) => p.plan.metrics),
    ...(alerts.length > 0 ? { alerts } : {}),
  };
  const text = parts.length === 1 ? first.text : parts.map((p) => p.text).join("\n---\n");
  void rest;
  return {
    plan,
    text,
    hash: createHash("sha256").update(text).digest("hex"),
    warnings: parts.flatMap((p) => p.warnings),
  };
}
