import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { generateDataset } from "../../generate/index.js";
import { ingestDirectory } from "../../ingest/ingest.js";
import { loadPolicy } from "../../policy/load-policy.js";
import { reportHtml } from "../../report/html.js";
import { buildReport } from "../../run/report.js";
import { run } from "../../run/run.js";
import { openStore, rejectsPathFor, summariseStore } from "../../store/index.js";
import { createProgress } from "../progress.js";
import { renderIngest } from "../render-ingest.js";
import { renderRun } from "../render-run.js";
import { renderSummary } from "../render-summary.js";
import { isoDate, positiveInteger } from "../run-command.js";

interface DemoFlags {
  dir: string;
  customers: number;
  seed: number;
  asOf?: string;
}

/**
 * The demo is a pipeline of steps over one demo folder; later capabilities
 * (running every preset, the HTML report) add steps here; it ends
 * with the path of the HTML report.
 */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("generate a sample business, ingest it into a fresh store, summarise it and run every preset")
    .option("--dir <dir>", "demo folder (data/ and the store go here; replaced each run)", "tierwise-demo")
    .option("--customers <n>", "number of customers", positiveInteger("--customers"), 10_000)
    .option("--seed <n>", "random seed", positiveInteger("--seed"), 1)
    .option("--as-of <date>", "generate history up to the day before this date (default: today)", isoDate("--as-of"))
    .action(async (flags: DemoFlags) => {
      const dataDir = join(flags.dir, "data");
      const db = join(flags.dir, "tierwise.duckdb");
      await rm(flags.dir, { recursive: true, force: true });
      const progress = createProgress();
      const say = (text: string) => process.stdout.write(`${text}\n`);

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
        const graded = await run(engine, await loadPolicy({ presets: ["all"] }), {
          ...(flags.asOf ? { asOf: flags.asOf } : {}),
          onStep: (step, done, total) => progress.update(done, total, step),
        });
        progress.stop();
        say(renderRun(graded));
        say(`\nstore: ${db} (open it with any DuckDB client; tables: customers, orders, …, tw_runs, tw_assignments)`);
        say(`next: tierwise explain <customer id> --db ${db}`);
        // The board's view of the run: the value grades crossed with the relationship ladder (issue 6's example).
        const reportPath = join(flags.dir, "report.html");
        const report = await buildReport(engine, {
          crosstab: ["value-grades", "relationship-ladder"],
          historyScheme: "value-grades",
        });
        await writeFile(reportPath, reportHtml(report), "utf8");
        say(`report: ${reportPath} (open it in a browser; tierwise report --format html --db ${db} writes it again)`);
      } finally {
        progress.stop();
        await engine.close();
      }
    });
}
