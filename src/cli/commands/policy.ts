import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { PolicyErrors, PolicyProblem } from "../../policy/codes.js";
import { PRESETS_DIR, presetNames } from "../../policy/presets.js";
import { registerPolicyActivation } from "./policy-activate.js";
import { registerPolicyHistory } from "./policy-history.js";

export function registerPolicy(program: Command): void {
  const policy = program.command("policy").description("check policy files, print their JSON Schema, list presets");
  policy
    .command("check")
    .description("report every problem of a policy file with its code, line and column, and a hint")
    .argument("<file>", "policy YAML file")
    .option("--json", "print the problems as JSON")
    .action(async (file: string, flags: { json?: boolean }) => {
      const { checkPolicy } = await import("../../policy/check-policy.js");
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch {
        throw new PolicyErrors([new PolicyProblem("policy.unreadable-file", { file }, { file })]);
      }
      const { plan, problems } = checkPolicy(text, file);
      if (flags.json) process.stdout.write(`${JSON.stringify({ ok: Boolean(plan), problems }, null, 2)}\n`);
      if (!plan) throw new PolicyErrors(problems);
      if (!flags.json) {
        for (const p of problems) process.stdout.write(`${p.oneLine()}\n`);
        const summary = plan.schemes.map((s) => `${s.name} (${s.kind}, ${s.tiers.length} tiers)`).join(", ");
        process.stdout.write(`${file}: ok: ${summary}\n`);
      }
    });
  policy
    .command("schema")
    .description("print the JSON Schema of policy files (for editors: yaml-language-server, VS Code)")
    .action(async () => {
      const { policyJsonSchema } = await import("../../policy/schema.js");
      process.stdout.write(`${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
    });
  policy
    .command("presets")
    .description("list the shipped presets and where their YAML files are")
    .action(() => {
      for (const name of presetNames()) process.stdout.write(`${name}\t${PRESETS_DIR}${name}.yaml\n`);
    });
  registerPolicyHistory(policy);
  registerPolicyActivation(policy);
}
