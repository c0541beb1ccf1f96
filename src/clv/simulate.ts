/**
 * Seeded simulation of the models' generative stories, for parameter
 * recovery tests and benchmarks: one entry per customer (weight 1), times
 * continuous, the first purchase at 0 and not counted.
 */
import { Rng } from "./random.js";
import type { BgNbdParams, GammaGammaParams, ParetoNbdParams, PurchaseSummary } from "./types.js";

/**
 * Customers of the given ages T under BG/NBD: λ ~ Gamma(r, α), p ~ Beta(a, b);
 * exponential gaps at rate λ, and after each repeat purchase a dropout with probability p.
 * @example simulateBgNbd({ r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, new Float64Array(1000).fill(39), 7)
 */
export function simulateBgNbd(params: BgNbdParams, T: Float64Array, seed: number): PurchaseSummary {
  const rng = new Rng(seed);
  const n = T.length;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const age = T[i] as number;
    const lambda = rng.gamma(params.r, params.alpha);
    const p = rng.beta(params.a, params.b);
    let t = 0;
    let count = 0;
    let last = 0;
    for (;;) {
      t += rng.exponential(lambda);
      if (!(t <= age)) break;
      count++;
      last = t;
      if (rng.uniform() < p) break;
    }
    x[i] = count;
    tx[i] = last;
  }
  return { x, tx, T: Float64Array.from(T), weight: new Float64Array(n).fill(1) };
}

/**
 * Customers of the given ages T under Pareto/NBD: λ ~ Gamma(r, α), μ ~ Gamma(s, β),
 * dropout at τ ~ Exp(μ), purchases at rate λ until min(τ, T).
 */
export function simulateParetoNbd(params: ParetoNbdParams, T: Float64Array, seed: number): PurchaseSummary {
  const rng = new Rng(seed);
  const n = T.length;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = rng.gamma(params.r, params.alpha);
    const mu = rng.gamma(params.s, params.beta);
    const end = Math.min(rng.exponential(mu), T[i] as number);
    let t = 0;
    let count = 0;
    let last = 0;
    for (;;) {
      t += rng.exponential(lambda);
      if (!(t <= end)) break;
      count++;
      last = t;
    }
    x[i] = count;
    tx[i] = last;
  }
  return { x, tx, T: Float64Array.from(T), weight: new Float64Array(n).fill(1) };
}

/** The mean value m of each customer's x purchases under Gamma-Gamma (0 where x = 0). */
export function simulateSpend(params: GammaGammaParams, x: Float64Array, seed: number): Float64Array {
  const rng = new Rng(seed);
  const m = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const nu = rng.gamma(params.q, params.v);
    const k = x[i] as number;
    m[i] = k > 0 ? rng.gamma(params.p * k, nu) / k : 0;
  }
  return m;
}
