import { copyFile, mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { fitBgNbd, fitGammaGamma } from "../src/clv/index.js";
import { storeModel } from "../src/clv-store/models.js";
import { endOfDayUtc } from "../src/clv-store/period.js";
import { writePredictions } from "../src/clv-store/predict.js";
import { buildCustomerStats, inUnit, readPurchaseGroups, readSpendSummary } from "../src/clv-store/stats.js";
import { DuckDbEngine } from "../src/engine/duckdb-engine.js";
import { col, ident, select, sql } from "../src/sql/index.js";
import { ensureStoreSchema } from "../src/store/schema.js";
import { pristineStore } from "./run.js";

/** The generated business runs to 2025-12-31; the whole history is the calibration period. */
const CALIBRATION_END = "2025-12-31";

const out = (line = "") => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(7)} s`;
const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString("en-US")} MB`;

/**
 * CLV over the cached store of the run benchmark: summary statistics in SQL,
 * BG/NBD and Gamma-Gamma fits, and predictions (P(alive), expected purchases
 * and spend, 12-month CLV) for every customer written to a CSV file. One
 * round: the fits are the expensive part and the machine is shared.
 */
export async function benchClv(customers: number): Promise<void> {
  const pristine = await pristineStore(customers);
  const root = join(".bench", `clv-${customers}`);
  await mkdir(root, { recursive: true });
  const path = join(root, "store.duckdb");
  await rm(`${path}.wal`, { force: true });
  await copyFile(pristine, path);
  const engine = await DuckDbEngine.open({ path });
  await ensureStoreSchema(engine);
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const phases: [string, number][] = [];
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    phases.push([name, now - mark]);
    mark = now;
  };
  try {
    const sizes = (
      await engine.query(
        select(
          { customers: col.integer, orders: col.integer },
          sql`SELECT (SELECT count(*) FROM ${ident("customers")}) AS customers, (SELECT count(*) FROM ${ident("orders")}) AS orders`,
        ),
      )
    )[0];
    out(
      `store: ${Number(sizes?.customers).toLocaleString("en-US")} customers, ${Number(sizes?.orders).toLocaleString("en-US")} orders; ` +
        `calibration to ${CALIBRATION_END}, weeks`,
    );
    const start = performance.now();
    mark = start;
    const period = {
      calibrationEnd: CALIBRATION_END,
      calibrationCut: endOfDayUtc(CALIBRATION_END, "UTC"),
      timeZone: "UTC",
    };
    const counts = await buildCustomerStats(engine, period);
    lap("summary statistics (SQL, per customer)");
    const groups = await readPurchaseGroups(engine);
    const spendSummary = await readSpendSummary(engine);
    lap("grouped statistics read into arrays");
    const bg = fitBgNbd(inUnit(groups, 7));
    lap("BG/NBD fit");
    const gg = fitGammaGamma(spendSummary);
    lap("Gamma-Gamma fit");
    const context = { calibrationEnd: CALIBRATION_END, timeUnit: "week" as const, timeZone: "UTC" };
    await storeModel(engine, bg, context);
    await storeModel(engine, gg, context);
    lap("storing the models");
    const file = join(root, "predictions.csv");
    const o = { horizon: 365.25 / 7, discountRate: 0.1, margin: 1, unit: "week" as const };
    let part = "reading";
    await writePredictions(engine, bg, gg, o, file, {
      groups,
      onStep: (name) => {
        lap(`predictions: ${part}`);
        part = name;
      },
    });
    lap(`predictions: ${part}`);
    const total = performance.now() - start;
    clearInterval(timer);
    out(
      `${counts.customers.toLocaleString("en-US")} customers with a purchase, ${counts.repeatBuyers.toLocaleString("en-US")} repeat buyers; ` +
        `${groups.x.length.toLocaleString("en-US")} distinct (x, t_x, T), ${spendSummary.x.length.toLocaleString("en-US")} distinct (x, m)`,
    );
    out(
      `BG/NBD r ${bg.params.r.toFixed(4)} alpha ${bg.params.alpha.toFixed(4)} a ${bg.params.a.toFixed(4)} b ${bg.params.b.toFixed(4)} ` +
        `(LL ${bg.logLikelihood.toFixed(1)}, ${bg.iterations} iterations${bg.converged ? "" : ", not converged"})`,
    );
    out(
      `Gamma-Gamma p ${gg.params.p.toFixed(4)} q ${gg.params.q.toFixed(4)} v ${gg.params.v.toFixed(4)} (${gg.iterations} iterations)`,
    );
    out();
    for (const [name, ms] of phases) out(`  ${name.padEnd(42)} ${seconds(ms)}`);
    const modelMs = phases
      .filter(([n]) => n.includes("fit") || n.startsWith("predictions"))
      .reduce((n, [, ms]) => n + ms, 0);
    out(`  ${"fitting + predicting".padEnd(42)} ${seconds(modelMs)}   (aim: < 3 s)`);
    out(`  ${"total".padEnd(42)} ${seconds(total)}`);
    out(
      `predictions file: ${mb((await stat(file)).size)}; peak RSS ${mb(Math.max(peak, process.resourceUsage().maxRSS * 1024))}`,
    );
  } finally {
    clearInterval(timer);
    await engine.close();
    await rm(root, { recursive: true, force: true });
  }
}
