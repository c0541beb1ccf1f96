import { type Command, Option } from "commander";
import { formats } from "../../format/formats.js";
import { type RawFlags, rawOption } from "../raw-option.js";
import { positiveInteger } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

interface ExportFlags extends StoreFlags, RawFlags {
  run?: number;
  scheme?: string[];
  visibility?: "internal" | "customer-facing";
  out: string;
}

export function registerExport(program: Command): void {
  addStoreOptions(
    program
      .command("export")
      .description("write a run's grades: one row per entity and scheme (entity_id, scheme, tier, tier_rank, score)")
      .requiredOption("--out <file>", "FILE.csv, FILE.parquet or FILE.json")
      .option("--run <id>", "a run id (default: the latest)", positiveInteger("--run"))
      .option("--scheme <name>", "only this scheme (repeatable)", (v: string, acc: string[] = []) => [...acc, v])
      .addOption(
        new Option("--visibility <v>", "only schemes of this visibility").choices(["internal", "customer-facing"]),
      )
      .addOption(rawOption()),
  ).action(async (flags: ExportFlags) => {
    const { exportAssignments } = await import("../../insight/export.js");
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    try {
      const r = await exportAssignments(engine, {
        out: flags.out,
        ...(flags.run !== undefined ? { runId: flags.run } : {}),
        ...(flags.scheme ? { schemes: flags.scheme } : {}),
        ...(flags.visibility ? { visibility: flags.visibility } : {}),
        ...(flags.raw ? { raw: true } : {}),
      });
      process.stdout.write(
        `wrote ${formats(r.locale).count(r.rows)} rows of run ${r.runId} (as of ${r.asOf}; ${r.schemes.join(", ") || "no schemes"}) to ${r.path}\n`,
      );
    } finally {
      await engine.close();
    }
  });
}
