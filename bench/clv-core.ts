/**
 * In-process timing of the CLV model core (no database): simulate N
 * customers from known BG/NBD and Gamma-Gamma parameters on a daily grid
 * (first purchases spread over a year, weekly units, so statistics group as
 * real ones do), then time summarise, each fit and the per-customer
 * predictions. Usage: npx tsx bench/clv-core.ts [customers] [--pareto]
 * Prints figures only; nothing is asserted.
 */
import {
  clv,
  expectedPurchases,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  pAlive,
  simulateBgNbd,
  simulateSpend,
  summarise,
} from "../src/clv/index.js";

const customers = Number(process.argv[2] ?? 1_000_000);
const withPareto = process.argv.includes("--pareto");
const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };

function time<T>(label: string, f: () => T): T {
  const t0 = performance.now();
  const v = f();
  process.stdout.write(`${label.padEnd(34)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms\n`);
  return v;
}

// Ages: first purchase on one of 365 days, observed for 39 more weeks; times rounded down to whole days.
const T = Float64Array.from({ length: customers }, (_, i) => (273 + (i % 365)) / 7);
const sim = simulateBgNbd(truth, T, 42);
const rows = Array.from({ length: customers }, (_, i) => ({
  x: sim.x[i] as number,
  tx: Math.floor((sim.tx[i] as number) * 7) / 7,
  T: sim.T[i] as number,
}));
const m = simulateSpend({ p: 6, q: 4, v: 15 }, sim.x, 43);

const start = performance.now();
const summary = time("summarise (group identical rows)", () => summarise(rows));
process.stdout.write(`  ${customers} customers -> ${summary.x.length} distinct (x, tx, T)\n`);
const bg = time("fitBgNbd", () => fitBgNbd(summary));
process.stdout.write(`  ${JSON.stringify(bg.params)} iterations ${bg.iterations}\n`);
const spend = time("fitGammaGamma", () => fitGammaGamma({ x: sim.x, m, weight: new Float64Array(customers).fill(1) }));
process.stdout.write(`  ${JSON.stringify(spend.params)}\n`);
let sum = 0;
time("pAlive + expectedPurchases(52) x N", () => {
  for (const r of rows) sum += pAlive(bg, r.x, r.tx, r.T) + expectedPurchases(bg, 52, r.x, r.tx, r.T);
});
time("clv(52 weeks, monthly steps) x N", () => {
  const o = { horizon: 52, discountRate: 0.1, margin: 0.3, unit: "week" } as const;
  for (let i = 0; i < customers; i++) {
    const r = rows[i] as { x: number; tx: number; T: number };
    sum += clv(bg, spend, r.x, r.tx, r.T, m[i] as number, o);
  }
});
process.stdout.write(
  `total (BG/NBD path)                ${(performance.now() - start).toFixed(0).padStart(6)} ms (checksum ${sum.toPrecision(6)})\n`,
);
if (withPareto) {
  const pn = time("fitParetoNbd", () => fitParetoNbd(summary));
  process.stdout.write(`  ${JSON.stringify(pn.params)} iterations ${pn.iterations}\n`);
  let psum = 0;
  time("Pareto pAlive + expected(52) x N", () => {
    for (const r of rows) psum += pAlive(pn, r.x, r.tx, r.T) + expectedPurchases(pn, 52, r.x, r.tx, r.T);
  });
  process.stdout.write(`  checksum ${psum.toPrecision(10)}\n`);
}
