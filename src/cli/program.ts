import { Command } from "commander";
import { registerActions } from "./commands/actions.js";
import { registerAssignReps } from "./commands/assign-reps.js";
import { registerBackfill } from "./commands/backfill.js";
import { registerCalibrate } from "./commands/calibrate.js";
import { registerChurn } from "./commands/churn.js";
import { registerClv } from "./commands/clv.js";
import { registerDemo } from "./commands/demo.js";
import { registerDiff } from "./commands/diff.js";
import { registerEvents } from "./commands/events.js";
import { registerExplain } from "./commands/explain.js";
import { registerExport } from "./commands/export.js";
import { registerGenerate } from "./commands/generate.js";
import { registerHistory } from "./commands/history.js";
import { registerIngest } from "./commands/ingest.js";
import { registerInit } from "./commands/init.js";
import { registerKeys } from "./commands/keys.js";
import { registerMigrations } from "./commands/migrations.js";
import { registerOverride } from "./commands/override.js";
import { registerPolicy } from "./commands/policy.js";
import { registerRate } from "./commands/rate.js";
import { registerRecommend } from "./commands/recommend.js";
import { registerReport } from "./commands/report.js";
import { registerRun } from "./commands/run.js";
import { registerRuns } from "./commands/runs.js";
import { registerServe } from "./commands/serve.js";
import { registerSummary } from "./commands/summary.js";

/** The `tierwise` command with every subcommand registered. */
export function buildProgram(version: string): Command {
  const program = new Command("tierwise")
    .description("Tierwise grades customers: ingest your data, run tiering policies, explain every grade.")
    .version(version)
    .option("--debug", "show stack traces of unexpected errors")
    // a command's options go to that command, so a subcommand may share names with its parent (churn investigate)
    .enablePositionalOptions()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ outputError: (text, write) => write(text) });
  registerInit(program);
  registerGenerate(program);
  registerIngest(program);
  registerSummary(program);
  registerPolicy(program);
  registerRun(program);
  registerBackfill(program);
  registerRuns(program);
  registerExplain(program);
  registerHistory(program);
  registerMigrations(program);
  registerDiff(program);
  registerCalibrate(program);
  registerActions(program);
  registerAssignReps(program);
  registerChurn(program);
  registerReport(program);
  registerClv(program);
  registerRecommend(program);
  registerEvents(program);
  registerOverride(program);
  registerRate(program);
  registerExport(program);
  registerDemo(program);
  registerKeys(program);
  registerServe(program);
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const command of all(program).slice(1)) command.option("--debug", "show stack traces of unexpected errors");
  return program;
}
