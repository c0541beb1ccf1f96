import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { printJson, printText } from "../print.js";
import { createProgress } from "../progress.js";
import { type RawFlags, rawOption } from "../raw-option.js";
import { renderIngest } from "../render-ingest.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

interface IngestFlags extends StoreFlags, RawFlags {
  mapping?: string;
  policy?: string;
  timeZone?: string;
  rejects?: string;
  json?: boolean;
}

/**
 * The mapping file (resolved next to the policy) and the time zone a policy
 * names; the policy's zone applies only when the mapping sets none.
 */
async function policyInputs(file: string): Promise<{ mapping?: string; timeZone?: string }> {
  const { loadPolicy } = await import("../../policy/load-policy.js");
  const { loadMapping } = await import("../../ingest/mapping.js");
  const { plan } = await loadPolicy({ file });
  const mapping = plan.mapping === undefined ? undefined : resolve(dirname(file), plan.mapping);
  const mappingZone = mapping ? (await loadMapping(mapping)).time_zone : undefined;
  const timeZone = mappingZone ?? (plan.timeZone !== "UTC" ? plan.timeZone : undefined);
  return { ...(mapping ? { mapping } : {}), ...(timeZone ? { timeZone } : {}) };
}

export function registerIngest(program: Command): void {
  const command = program
    .command("ingest")
    .description("validate and load a directory of files (one per table) into the store, in one transaction")
    .argument("<dir>", "directory with customers.csv, orders.parquet, … (CSV, gzip CSV, Parquet, JSON, NDJSON)")
    .option("--mapping <file>", "YAML mapping that adapts your export (renamed columns, formats, values, constants)")
    .option("--policy <file>", "take the mapping (its `mapping:` file) and time zone from this policy")
    .option(
      "--time-zone <zone>",
      "IANA zone for timestamps without an offset (default: mapping's, else the policy's, else UTC)",
    )
    .option("--rejects <file>", "where to write rejected rows (default: next to the --db file)")
    .option("--json", "print the result as JSON")
    .addOption(rawOption())
    .addHelpText(
      "after",
      "\nEvery rejected row is written to the rejects file with its file, line, column, code and reason.\nExit code 1 only when a whole file is unusable; the store is then left exactly as it was.\nWith --engine postgres the store is the database at --database-url; the rejects file is still written here.",
    );
  addStoreOptions(command).action(async (dir: string, flags: IngestFlags) => {
    const { ingestDirectory } = await import("../../ingest/ingest.js");
    const { rejectsPathFor } = await import("../../store/index.js");
    const fromPolicy = flags.policy ? await policyInputs(flags.policy) : {};
    const mapping = flags.mapping ?? fromPolicy.mapping;
    const timeZone = flags.timeZone ?? fromPolicy.timeZone;
    const engine = await openStoreFromFlags(flags, { create: true });
    const progress = createProgress();
    try {
      const result = await ingestDirectory(engine, {
        dir,
        ...(mapping ? { mapping } : {}),
        ...(timeZone ? { timeZone } : {}),
        rejectsPath: flags.rejects ?? rejectsPathFor(flags.db),
        ...(flags.raw ? { raw: true } : {}),
        onProgress: (p) => progress.update(p.done, p.total, p.step),
      });
      progress.stop();
      if (flags.json) printJson(result);
      else printText(renderIngest(result));
    } finally {
      progress.stop();
      await engine.close();
    }
  });
}
