import { userInfo } from "node:os";
import type { Command } from "commander";
import { UsageError } from "../../errors/index.js";
import { printJson } from "../print.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";
import { policySource } from "./policy-source.js";

/** Authors are named as API keys are: 1 to 64 letters, digits and `. _ @ -`. */
function author(value: string | undefined): string {
  const name = value ?? safeUserName();
  if (!/^[\w.@-]{1,64}$/.test(name))
    throw new UsageError(`--author takes 1 to 64 letters, digits and . _ @ -, got ${JSON.stringify(name)}`);
  return name;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return "cli";
  }
}

/**
 * `tierwise policy activate` and `tierwise policy active`: the store's active
 * policy (what `POST /runs`, `/backfills` and `/policies/diff` of `tierwise
 * serve` use when a request names none; `POST /policies` activates the same
 * way, with the API key's name as author).
 */
export function registerPolicyActivation(policy: Command): void {
  const activate = policy
    .command("activate")
    .description(
      "store a policy as the store's next active version: what tierwise serve runs when a request names no policy",
    )
    .argument("[file]", "policy YAML file")
    .option(
      "--preset <name>",
      "a shipped preset (repeatable; `all` runs every preset)",
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option("--author <name>", "who activates it (default: your user name)");
  addStoreOptions(activate).action(
    async (file: string | undefined, flags: StoreFlags & { preset?: string[]; author?: string }) => {
      const by = author(flags.author);
      const { loadPolicy } = await import("../../policy/load-policy.js");
      const { activatePolicy, activatedVersions } = await import("../../run/active-policy.js");
      const loaded = await loadPolicy(policySource({ ...(file ? { policy: file } : {}), ...flags }));
      const engine = await openStoreFromFlags(flags);
      try {
        const before = (await activatedVersions(engine))[0]?.version ?? 0;
        const v = await activatePolicy(engine, loaded, by);
        const what = v.version > before ? "activated" : "already active:";
        process.stdout.write(`${what} policy version ${v.version} (${v.policyHash.slice(0, 12)}) by ${v.author}\n`);
      } finally {
        await engine.close();
      }
    },
  );
  const active = policy
    .command("active")
    .description("print the store's active policy: its version, author and YAML text")
    .option("--json", "print it as JSON");
  addStoreOptions(active).action(async (flags: StoreFlags & { json?: boolean }) => {
    const { activePolicy } = await import("../../run/active-policy.js");
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    try {
      const a = await activePolicy(engine);
      if (flags.json) {
        printJson(a);
        return;
      }
      const head =
        a.version === null
          ? `# the latest run's policy (${a.policyHash.slice(0, 12)}, ${a.since}); none activated`
          : `# policy version ${a.version} (${a.policyHash.slice(0, 12)}) activated by ${a.author} at ${a.since}`;
      process.stdout.write(`${head}\n${a.text.endsWith("\n") ? a.text : `${a.text}\n`}`);
    } finally {
      await engine.close();
    }
  });
}
