import type { Command } from "commander";
import { UsageError } from "../../errors/index.js";
import { deleteRuns } from "../../run/delete-runs.js";
import { listRuns, type RunListing } from "../../run/run-list.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";
import { formatCount, textTable } from "../text-table.js";

/** `tierwise runs`: one row per run, latest first, and which run the commands read by default. */
export function renderRuns(runs: readonly RunListing[]): string {
  if (runs.length === 0) return "no runs yet; run tierwise run first";
  const rows = runs.map((r) => [
    String(r.runId),
    r.asOf,
    r.policyHash.slice(0, 8),
    r.schemes.map((s) => s.scheme).join(", "),
    formatCount(r.customers),
    r.createdAt,
    r.events === 0 ? "0" : `${formatCount(r.events)} (${formatCount(r.delivered)} delivered)`,
  ]);
  const [latest] = runs;
  const table = textTable(["run", "as of", "policy", "schemes", "customers", "created at", "events"], rows, [4, 6]);
  return latest ? `${table}\nlatest: run ${latest.runId} (as of ${latest.asOf}), the default of every command` : table;
}

function runIds(values: readonly string[]): number[] {
  return values.map((v) => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`runs delete takes run ids (whole numbers), got ${v}`);
    return Number(v);
  });
}

export function registerRuns(program: Command): void {
  const command = program
    .command("runs")
    .description(
      "the stored runs, latest first (by as-of, ties to the newest run): the latest is every command's default",
    )
    .option("--json", "print the runs as JSON")
    .enablePositionalOptions();
  const remove = command
    .command("delete")
    .description(
      "delete runs (e.g. one with a mistyped as-of) with their grades and undelivered events, in one transaction",
    )
    .argument("<ids...>", "the run ids")
    .option("--force", "also delete runs whose events a webhook already received");
  addStoreOptions(remove).action(async (ids: string[], flags: StoreFlags & { force?: boolean }) => {
    const wanted = runIds(ids);
    const engine = await openStoreFromFlags(flags);
    try {
      const r = await deleteRuns(engine, wanted, flags.force ? { force: true } : {});
      const runs = r.deleted.map((d) => `run ${d.runId} (as of ${d.asOf})`).join(", ");
      const events =
        r.deliveredEvents > 0 ? `${r.events} events, ${r.deliveredEvents} of them delivered` : `${r.events} events`;
      const latest = r.latest ? `latest: run ${r.latest.runId} (as of ${r.latest.asOf})` : "no runs left";
      process.stdout.write(`deleted ${runs} with ${events}; ${latest}\n`);
    } finally {
      await engine.close();
    }
  });
  addStoreOptions(command).action(async (flags: StoreFlags & { json?: boolean }) => {
    const engine = await openStoreFromFlags(flags);
    try {
      const runs = await listRuns(engine);
      process.stdout.write(flags.json ? `${JSON.stringify(runs, null, 2)}\n` : `${renderRuns(runs)}\n`);
    } finally {
      await engine.close();
    }
  });
}
