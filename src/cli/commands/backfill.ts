import type { Command } from "commander";
import { formats } from "../../format/formats.js";
import { loadPolicy } from "../../policy/load-policy.js";
import { backfill, backfillDates } from "../../run/backfill.js";
import type { RunResult } from "../../run/run.js";
import { createProgress } from "../progress.js";
import { isoDate } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";
import { policySource } from "./policy-source.js";

interface BackfillFlags extends StoreFlags {
  from: string;
  to: string;
  every: string;
  policy?: string;
  preset?: string[];
  json?: boolean;
}

/** One line per snapshot: run id, as-of date and the entities graded per scheme. */
function snapshotLine(r: RunResult): string {
  const schemes = r.schemes.map((s) => `${s.scheme} ${formats(r.locale, r.currency).count(s.graded)}`).join(", ");
  return `run ${r.runId}  as of ${r.asOf}  graded: ${schemes}`;
}

export function registerBackfill(program: Command): void {
  const command = program
    .command("backfill")
    .description(
      "write one snapshot per date from --from to --to, oldest first, each as tierwise run writes it (each atomic on its own)",
    )
    .requiredOption("--from <date>", "first as-of date", isoDate("--from"))
    .requiredOption("--to <date>", "last as-of date (included when a step lands on it)", isoDate("--to"))
    .requiredOption("--every <period>", "week, month or quarter (calendar steps from --from, clamped to month ends)")
    .option("--policy <file>", "policy YAML file (see tierwise policy schema)")
    .option(
      "--preset <name>",
      "a shipped preset (repeatable; `all` runs every preset)",
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option("--json", "print the results as JSON");
  addStoreOptions(command).action(async (flags: BackfillFlags) => {
    const dates = backfillDates(flags.from, flags.to, flags.every);
    const policy = await loadPolicy(policySource(flags));
    const engine = await openStoreFromFlags(flags);
    const progress = createProgress();
    try {
      const result = await backfill(engine, policy, {
        from: flags.from,
        to: flags.to,
        every: flags.every as "week" | "month" | "quarter",
        onProgress: (p) =>
          progress.update(p.index + p.fraction, p.total, `${p.asOf} (${p.index + 1}/${p.total}): ${p.step}`),
        onSnapshot: (r) => {
          if (!flags.json) process.stdout.write(`${snapshotLine(r)}\n`);
        },
      });
      progress.stop();
      if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else
        process.stdout.write(
          `${dates.length} snapshot${dates.length === 1 ? "" : "s"} written in ${formats(result.runs[0]?.locale ?? "en-US").decimal(result.durationMs / 1000, 1)} s\n`,
        );
    } finally {
      progress.stop();
      await engine.close();
    }
  });
}
