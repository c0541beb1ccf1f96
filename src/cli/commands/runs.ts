import type { Command } from "commander";
import { UsageError } from "../../errors/index.js";
import type { RunListing } from "../../run/run-list.js";
import { printJson, printText } from "../print.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";
import { displayWidth, formatCount, textTable } from "../text-table.js";

/** The width `tierwise runs` fits its table to: the terminal's, or 80 columns off a terminal. */
const WIDTH = 80;

/** `abc, b2b-scorecard, … (8)`: the run's schemes cut to `room` cells, with the count when cut (`8 schemes` when little fits). */
function schemeList(names: readonly string[], room: number): string {
  const all = names.join(", ");
  if (displayWidth(all) <= room) return all;
  const count = ` (${names.length})`;
  let shown = "";
  for (const name of names) {
    const next = shown === "" ? name : `${shown}, ${name}`;
    if (displayWidth(next) + displayWidth(count) + 3 > room) break;
    shown = next;
  }
  // one name and an ellipsis says less than the count
  return shown.includes(",") ? `${shown}, …${count}` : `${names.length} schemes`;
}

/** `tierwise runs`: one row per run, latest first, and which run the commands read by default; fits 80 columns. */
export function renderRuns(runs: readonly RunListing[], width = WIDTH): string {
  if (runs.length === 0) return "no runs yet; run tierwise run first";
  const fixed = runs.map((r) => [
    String(r.runId),
    r.asOf,
    `${r.policyHash.slice(0, 8)} ${r.currency}`,
    formatCount(r.customers),
    r.events === 0 ? "0" : `${formatCount(r.events)} (${formatCount(r.delivered)} sent)`,
  ]);
  // when each run was made is in `runs --json` (createdAt); the table keeps what tells runs apart
  const headers = ["run", "as of", "policy", "customers", "events"];
  const used = headers.map((h, i) => Math.max(displayWidth(h), ...fixed.map((row) => displayWidth(row[i] ?? ""))));
  // what is left for the schemes column after the other columns and the two-space gaps
  const room = Math.max(12, width - used.reduce((a, b) => a + b, 0) - 2 * headers.length);
  const rows = runs.map((r, i) => {
    const [run, asOf, policy, customers, events] = fixed[i] ?? [];
    const schemes = schemeList(
      r.schemes.map((s) => s.scheme),
      room,
    );
    return [run, asOf, policy, schemes, customers, events].map((c) => c ?? "");
  });
  const [latest] = runs;
  const table = textTable(["run", "as of", "policy", "schemes", "customers", "events"], rows, [4, 5]);
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
    const { deleteRuns } = await import("../../run/delete-runs.js");
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
    const { listRuns } = await import("../../run/run-list.js");
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    try {
      const runs = await listRuns(engine);
      if (flags.json) printJson(runs);
      else printText(renderRuns(runs));
    } finally {
      await engine.close();
    }
  });
}
