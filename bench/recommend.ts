import { copyFile, mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { DuckDbEngine } from "../src/engine/duckdb-engine.js";
import { type RecommendLevel, recommend } from "../src/insight/recommend.js";
import { loadPolicy } from "../src/policy/load-policy.js";
import { run } from "../src/run/run.js";
import { col, ident, select, sql } from "../src/sql/index.js";
import { ensureStoreSchema } from "../src/store/schema.js";
import { pristineStore, withPeakRss } from "./run.js";

const AS_OF = "2026-01-01";

const out = (line = "") => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(7)} s`;
const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString("en-US")} MB`;

/**
 * Cross-selling over the cached store of the run benchmark: one value-grades
 * run (the tiers), then `recommend` for every customer at product and at
 * category level (top 5, CSV), step by step, with the peak RSS. One round
 * per level: the machine is shared.
 */
export async function benchRecommend(customers: number): Promise<void> {
  const pristine = await pristineStore(customers);
  const root = join(".bench", `recommend-${customers}`);
  await mkdir(root, { recursive: true });
  const path = join(root, "store.duckdb");
  await rm(`${path}.wal`, { force: true });
  await copyFile(pristine, path);
  const engine = await DuckDbEngine.open({ path });
  try {
    await ensureStoreSchema(engine);
    const sizes = (
      await engine.query(
        select(
          { customers: col.integer, orders: col.integer, lines: col.integer },
          sql`SELECT (SELECT count(*) FROM ${ident("customers")}) AS customers,
          (SELECT count(*) FROM ${ident("orders")}) AS orders, (SELECT count(*) FROM ${ident("order_lines")}) AS lines`,
        ),
      )
    )[0];
    const graded = await run(engine, await loadPolicy({ presets: ["value-grades"] }), { asOf: AS_OF });
    out(
      `store: ${Number(sizes?.customers).toLocaleString("en-US")} customers, ${Number(sizes?.orders).toLocaleString("en-US")} orders, ` +
        `${Number(sizes?.lines).toLocaleString("en-US")} order lines; value-grades run ${graded.runId} as of ${AS_OF}`,
    );
    for (const level of ["product", "category"] as RecommendLevel[]) {
      const steps: [string, number][] = [];
      let mark = performance.now();
      let current = "";
      const file = join(root, `recommend-${level}.csv`);
      const { value, peakRss, ms } = await withPeakRss(() =>
        recommend(engine, {
          out: file,
          level,
          onStep: (s) => {
            const now = performance.now();
            if (current) steps.push([current, now - mark]);
            current = s;
            mark = now;
          },
        }),
      );
      steps.push([`${current} (and reading the rules)`, performance.now() - mark]);
      out();
      out(
        `${level} level: ${value.rows.toLocaleString("en-US")} recommendations for ${value.customers.toLocaleString("en-US")} customers, ` +
          `${value.tiers.reduce((n, t) => n + t.rules.length, 0)} rules reported; file ${mb((await stat(file)).size)}`,
      );
      for (const [name, t] of steps) out(`  ${name.padEnd(48)} ${seconds(t)}`);
      out(`  ${"total".padEnd(48)} ${seconds(ms)}   (aim: < 60 s)`);
      out(`  peak RSS while it ran (sampled every 20 ms) ${mb(peakRss)}`);
    }
    out(`process peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
  } finally {
    await engine.close();
    await rm(root, { recursive: true, force: true });
  }
}
