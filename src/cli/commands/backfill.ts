import type { Command } from "commander";
import { formats } from "../../format/formats.js";
import type { BackfillOptions } from "../../run/backfill.js";
import type { RunResult } from "../../run/run.js";
import { allowFutureOption, refuseFutureAsOf } from "../as-of-option.js";
import { addPolicySettingsOptions, type PolicySettingsFlags, policySettings } from "../policy-settings-options.js";
import { fitProse } from "../print.js";
import { createProgress, type Progress } from "../progress.js";
import { isoDate } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags, storeLabel } from "../store-options.js";
import { outputWidth } from "../text-table.js";
import { policySource } from "./policy-source.js";

interface BackfillFlags extends StoreFlags, PolicySettingsFlags {
  from: string;
  to: string;
  every: string;
  policy?: string;
  preset?: string[];
  json?: boolean;
  allowFuture?: boolean;
}

/** One line per snapshot (wrapped to the terminal): run id, as-of date and the entities graded per scheme. */
function snapshotLine(r: RunResult): string {
  const schemes = r.schemes.map((s) => `${s.scheme} ${formats(r.locale, r.currency).count(s.graded)}`).join(", ");
  return fitProse(`run ${r.runId} as of ${r.asOf}, graded: ${schemes}`, outputWidth());
}

/**
 * A backfill's callbacks drawing its progress: dates written of all, the ETA,
 * the date and its run's step (step n of m) with the step's elapsed time;
 * each snapshot's line (unless `json`) printed above the bar.
 */
export function backfillReporter(
  progress: Progress,
  json: boolean,
): Pick<BackfillOptions, "onProgress" | "onSnapshot"> {
  return {
    onProgress: (p) =>
      progress.count({
        done: p.index,
        total: p.total,
        unit: "dates",
        current: p.asOf,
        step: p.step,
        ...(p.steps > 0 ? { stepNo: p.stepNo, steps: p.steps } : {}),
      }),
    onSnapshot: (r, index, total) => {
      if (!json) progress.log(snapshotLine(r));
      progress.count({ done: index + 1, total, unit: "dates", step: index + 1 === total ? "done" : "next date" });
    },
  };
}

export function registerBackfill(program: Command): void {
  const command = program
    .command("backfill")
    .description(
      "write one snapshot per date from --from to --to, oldest first, each as tierwise run writes it (each atomic on its own)",
    )
    .requiredOption("--from <date>", "first as-of date", isoDate("--from"))
    .requiredOption("--to <date>", "last as-of date (included when a step lands on it)", isoDate("--to"))
    .addOption(allowFutureOption())
    .requiredOption("--every <period>", "week, month or quarter (calendar steps from --from, clamped to month ends)")
    .option("--policy <file>", "policy YAML file (see tierwise policy schema)")
    .option(
      "--preset <name>",
      "a shipped preset (repeatable; `all` runs every preset)",
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option("--json", "print the results as JSON");
  addPolicySettingsOptions(command);
  addStoreOptions(command).action(async (flags: BackfillFlags) => {
    const { backfill, backfillDates } = await import("../../run/backfill.js");
    const { loadPolicy } = await import("../../policy/load-policy.js");
    const { requireCustomers } = await import("../../store/index.js");
    const dates = backfillDates(flags.from, flags.to, flags.every);
    refuseFutureAsOf(flags.to, flags.allowFuture, "--to");
    const policy = await loadPolicy(policySource(flags), await policySettings(flags));
    const engine = await openStoreFromFlags(flags);
    const progress = createProgress();
    try {
      await requireCustomers(engine, storeLabel(flags));
      const result = await backfill(engine, policy, {
        from: flags.from,
        to: flags.to,
        every: flags.every as "week" | "month" | "quarter",
        ...backfillReporter(progress, flags.json === true),
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
