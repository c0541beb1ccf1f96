import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { TierwiseError } from "../../errors/index.js";
import { DEFAULT_STORE } from "../../store/default-store.js";
import { type AsOfFlags, allowFutureOption, asOfOption, refuseFutureAsOf } from "../as-of-option.js";
import { type PolicySettingsFlags, policySettings, policySettingsOptions } from "../policy-settings-options.js";
import { printText } from "../print.js";
import { createProgress } from "../progress.js";
import { renderIngest } from "../render-ingest.js";
import { renderRun } from "../render-run.js";
import { renderSummary } from "../render-summary.js";
import { positiveInteger } from "../run-command.js";

interface DemoFlags extends AsOfFlags, PolicySettingsFlags {
  dir: string;
  db: string;
  force?: boolean;
  customers: number;
  seed: number;
}

/**
 * Remove the store file at `db` (and DuckDB's write-ahead log) when demo may
 * replace it: it is missing, demo made it, or `--force` was given.
 */
async function clearStore(db: string, force: boolean): Promise<void> {
  if (!existsSync(db)) return;
  const { isDemoStoreFile } = await import("../../store/index.js");
  if (!force && !(await isDemoStoreFile(db))) throw new TierwiseError("NOT_A_DEMO_STORE", { path: db });
  await rm(db, { force: true });
  await rm(`${db}.wal`, { force: true });
}

/** The commands to try next, exactly as typed (with `--db` only when the store is not the default one). */
function nextSteps(db: string, reportPath: string): string[] {
  const onDb = db === DEFAULT_STORE ? "" : ` --db ${db}`;
  return [
    "",
    `report: ${reportPath} (open it in a browser)`,
    `store: ${db} (the store every tierwise command here uses${onDb ? " with --db" : ""}; a DuckDB file)`,
    "next, try:",
    `  tierwise explain C0000042${onDb}       # why this customer has its grades`,
    `  tierwise history C0000042${onDb}       # its tier changes across runs`,
    `  tierwise runs${onDb}                   # the stored runs: the latest is the default`,
    `  tierwise report --format html${onDb}   # the report again, next to the store`,
    "and the README's Grading section, in order (migrations and churn after a backfill)",
  ];
}

/**
 * The demo is a pipeline of steps: generate a sample business into the demo
 * folder, ingest it into the default store (what every other command opens),
 * summarise it, run every preset and write the HTML report; it ends with the
 * commands to try next. The store is marked as a demo store, so a later demo
 * replaces it but never a store demo did not make (unless --force).
 */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "generate a sample business, ingest it into the store (./tierwise.duckdb), summarise it and run every preset",
    )
    .option("--dir <dir>", "demo folder for the data files and report.html (replaced each run)", "tierwise-demo")
    .option("--db <file>", "store file to (re)create; a store demo did not make needs --force", DEFAULT_STORE)
    .option("--force", "replace the --db file even if tierwise demo did not make it")
    .option("--customers <n>", "number of customers", positiveInteger("--customers"), 10_000)
    .option("--seed <n>", "random seed", positiveInteger("--seed"), 1)
    .addOption(asOfOption("generate history up to the day before this date (default: today)"))
    .addOption(allowFutureOption())
    .addOption(policySettingsOptions.currency())
    .addOption(policySettingsOptions.scale())
    .addOption(policySettingsOptions.overlay())
    .action(async (flags: DemoFlags) => {
      refuseFutureAsOf(flags.asOf, flags.allowFuture);
      const { generateDataset } = await import("../../generate/index.js");
      const { ingestDirectory } = await import("../../ingest/ingest.js");
      const { loadPolicy } = await import("../../policy/load-policy.js");
      const { reportHtml } = await import("../../report/html.js");
      const { buildReport } = await import("../../insight/report.js");
      const { run } = await import("../../run/run.js");
      const { markDemoStore, openStore, rejectsPathFor, summariseStore } = await import("../../store/index.js");
      const settings = await policySettings(flags);
      const dataDir = join(flags.dir, "data");
      const db = flags.db;
      await clearStore(db, flags.force === true);
      await rm(flags.dir, { recursive: true, force: true });
      const progress = createProgress();
      const say = printText;

      say(`1/4 generating ${flags.customers.toLocaleString("en-US")} customers into ${dataDir}`);
      await generateDataset({
        outDir: dataDir,
        customers: flags.customers,
        seed: flags.seed,
        format: "csv",
        ...(flags.asOf ? { asOf: flags.asOf } : {}),
        onProgress: (step, done, total) => progress.update(done, total, step),
      });
      progress.stop();

      say(`2/4 ingesting into ${db}`);
      const engine = await openStore(db);
      try {
        await markDemoStore(engine);
        const result = await ingestDirectory(engine, {
          dir: dataDir,
          rejectsPath: rejectsPathFor(db),
          onProgress: (p) => progress.update(p.done, p.total, p.step),
        });
        progress.stop();
        say(renderIngest(result));
        say("\n3/4 data summary");
        say(renderSummary(await summariseStore(engine)));
        say("\n4/4 running every preset (tierwise run --preset all)");
        const graded = await run(engine, await loadPolicy({ presets: ["all"] }, settings), {
          ...(flags.asOf ? { asOf: flags.asOf } : {}),
          onStep: (step, done, total) => progress.update(done, total, step),
        });
        progress.stop();
        say(renderRun(graded));
        // The board's view of the run: the value grades crossed with the relationship ladder (issue 6's example).
        const reportPath = join(flags.dir, "report.html");
        const report = await buildReport(engine, {
          crosstab: ["value-grades", "relationship-ladder"],
          historyScheme: "value-grades",
        });
        await writeFile(reportPath, reportHtml(report), "utf8");
        for (const line of nextSteps(db, reportPath)) say(line);
      } finally {
        progress.stop();
        await engine.close();
      }
    });
}
