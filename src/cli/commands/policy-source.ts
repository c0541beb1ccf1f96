import { UsageError } from "../../errors/index.js";

/** `--policy FILE` or `--preset NAME…` (exactly one of them). */
export function policySource(flags: { policy?: string; preset?: string[] }): { file: string } | { presets: string[] } {
  if (flags.policy && flags.preset?.length) throw new UsageError("give --policy FILE or --preset NAME, not both");
  if (flags.policy) return { file: flags.policy };
  if (flags.preset?.length) return { presets: flags.preset };
  throw new UsageError("name a policy: --policy FILE or --preset NAME (e.g. --preset value-grades, --preset all)");
}
