import { copyFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { DuckDbEngine } from "../src/engine/duckdb-engine.js";
import { loadPolicy } from "../src/policy/load-policy.js";
import { backfill } from "../src/run/backfill.js";
import { run } from "../src/run/run.js";
import { ensureStoreSchema } from "../src/store/schema.js";
import { pristineStore, withPeakRss } from "./run.js";

const FROM = "2024-01-31";
const TO = "2025-12-31";

const out = (line = "") => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(7)} s`;
const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString("en-US")} MB`;

/**
 * `backfill` of every preset over 24 month ends (2024-01-31 … 2025-12-31) on
 * a fresh copy of the run benchmark's ingested store, against one `run` of
 * the same policy on the same store. A backfill shares the date-independent
 * work (order lines joined once, the fingerprint) and rolls the order facts
 * from date to date, but grades and writes every snapshot on its own, with
 * its outbox events (the one run, the store's first, writes none).
 */
export async function benchBackfill(customers: number): Promise<void> {
  const pristine = await pristineStore(customers);
  const path = join(".bench", `run-${customers}`, "backfill.duckdb");
  await rm(`${path}.wal`, { force: true });
  await copyFile(pristine, path);
  const engine = await DuckDbEngine.open({ path });
  await ensureStoreSchema(engine);
  try {
    const policy = await loadPolicy({ presets: ["all"] });
    const one = await withPeakRss(() => run(engine, policy, { asOf: TO }));
    out(`one run, all presets, as of ${TO}:       ${seconds(one.ms)}   peak RSS ${mb(one.peakRss)}`);
    let last = performance.now();
    let lastMs = 0;
    const all = await withPeakRss(() =>
      backfill(engine, policy, {
        from: FROM,
        to: TO,
        every: "month",
        onSnapshot: (r, i, n) => {
          const now = performance.now();
          lastMs = now - last;
          out(`  ${String(i + 1).padStart(2)}/${n} as of ${r.asOf} ${seconds(lastMs)}`);
          last = now;
        },
      }),
    );
    const n = all.value.runs.length;
    out();
    out(`backfill, ${n} monthly snapshots ${FROM} … ${TO}`);
    out(`  total                                  ${seconds(all.ms)}   peak RSS ${mb(all.peakRss)}`);
    out(`  per snapshot                           ${seconds(all.ms / n)}`);
    out(`ratio backfill / one run:                ${(all.ms / one.ms).toFixed(2)}x (${n} separate runs: ${n}x)`);
    out(
      `ratio per snapshot / one run:            ${(all.ms / n / one.ms).toFixed(2)}x (earlier dates have less history to scan)`,
    );
    out(`ratio last snapshot / one run, same date: ${(lastMs / one.ms).toFixed(2)}x`);
    out(`peak RSS of the process:                 ${mb(process.resourceUsage().maxRSS * 1024)}`);
  } finally {
    await engine.close();
    await rm(path, { force: true });
    await rm(`${path}.wal`, { force: true });
  }
}
