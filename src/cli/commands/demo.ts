import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { generateDataset } from "../../generate/index.js";
import { ingestDirectory } from "../../ingest/ingest.js";
import { openStore, rejectsPathFor, summariseStore } from "../../store/index.js";
import { createProgress } from "../progress.js";
import { renderIngest } from "../render-ingest.js";
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
 * (running every preset, the HTML report) add steps here.
 */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("generate a sample business, ingest it into a fresh store and summarise it")
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

      say(`1/3 generating ${flags.customers.toLocaleString("en-US")} customers into ${dataDir}`);
      await generateDataset({
        outDir: dataDir,
        customers: flags.customers,
        seed: flags.seed,
        format: "csv",
        ...(flags.asOf ? { asOf: flags.asOf } : {}),
        onProgress: (step, done, total) => progress.update(done, total, step),
      });
      progress.stop();

      say(`2/3 ingesting into ${db}`);
      const engine = await openStore(db);
      try {
        const result = await ingestDirectory(engine, {
          dir: dataDir,
          rejectsPath: rejectsPathFor(db),
          onProgress: (p) => progress.update(p.done, p.total, p.step),
        });
        progress.stop();
        say(renderIngest(result));
        say("\n3/3 data summary");
        say(renderSummary(await summariseStore(engine)));
        say(`\nstore: ${db} (open it with any DuckDB client; tables: customers, orders, …)`);
      } finally {
        progress.stop();
        await engine.close();
      }
    });
}
