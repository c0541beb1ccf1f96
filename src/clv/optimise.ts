/**
 * A box-bounded BFGS minimiser for the CLV likelihoods (a handful of
 * parameters, an analytic gradient): quasi-Newton directions from the inverse
 * Hessian update, a projected backtracking (Armijo) line search that treats a
 * non-finite value as "too far", and the update skipped when the curvature
 * condition fails. Parameters sit on their box bounds by projection.
 */

/** The function to minimise: returns f(θ) and writes ∇f(θ) into `grad`. A non-finite f marks θ infeasible. */
export type Objective = (theta: Float64Array, grad: Float64Array) => number;

export interface MinimiseOptions {
  readonly lower: number;
  readonly upper: number;
  readonly maxIterations: number;
  /** Stop when every projected gradient component is below this. */
  readonly gradientTolerance: number;
  /** A starting inverse Hessian (e.g. from a run on a subsample); identity, rescaled after the first step, otherwise. */
  readonly inverseHessian?: readonly Float64Array[];
}

export interface MinimiseResult {
  readonly theta: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Why it stopped: "gradient", "no progress", "iterations", "infeasible start". */
  readonly reason: string;
  /** The final inverse-Hessian approximation. */
  readonly inverseHessian: readonly Float64Array[];
}

/**
 * Minimise `f` from `start` within [lower, upper] in every coordinate.
 * @example minimise((t, g) => { g[0] = 2 * (t[0]! - 1); return (t[0]! - 1) ** 2; }, Float64Array.of(5), opts)
 */
export function minimise(f: Objective, start: Float64Array, o: MinimiseOptions): MinimiseResult {
  const n = start.length;
  const x = start.map((v) => Math.min(o.upper, Math.max(o.lower, v)));
  const g = new Float64Array(n);
  let fx = f(x, g);
  if (!Number.isFinite(fx) || !g.every(Number.isFinite)) {
    return { theta: x, value: fx, iterations: 0, converged: false, reason: "infeasible start", inverseHessian: [] };
  }
  const h = o.inverseHessian ? o.inverseHessian.map((row) => row.slice()) : identity(n);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  let scaled = o.inverseHessian !== undefined;
  let stalls = 0;
  for (let iter = 1; iter <= o.maxIterations; iter++) {
    if (projectedGradientNorm(x, g, o) < o.gradientTolerance) {
      return { theta: x, value: fx, iterations: iter - 1, converged: true, reason: "gradient", inverseHessian: h };
    }
    direction(h, g, d);
    let slope = dot(d, g);
    if (!(slope < 0)) {
      resetIdentity(h);
      scaled = false;
      for (let i = 0; i < n; i++) d[i] = -(g[i] as number);
      slope = dot(d, g);
    }
    // Keep a step from moving any log-parameter by more than 2 at once.
    let step = Math.min(1, 2 / maxAbs(d));
    let fNew = Number.NaN;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      for (let i = 0; i < n; i++)
        xNew[i] = Math.min(o.upper, Math.max(o.lower, (x[i] as number) + step * (d[i] as number)));
      fNew = f(xNew, gNew);
      let moved = 0;
      for (let i = 0; i < n; i++) moved += ((xNew[i] as number) - (x[i] as number)) * (g[i] as number);
      if (Number.isFinite(fNew) && gNew.every(Number.isFinite) && fNew <= fx + 1e-4 * Math.min(moved, 0)) {
        accepted = true;
        break;
      }
      step *= 0.5;
      // Steps below the resolution of a double in θ cannot help.
      if (step * maxAbs(d) < 1e-13) break;
    }
    if (!accepted) {
      // At the rounding floor of f: accept a gradient within 1000× the tolerance.
      const ok = projectedGradientNorm(x, g, o) < 1e3 * o.gradientTolerance;
      return { theta: x, value: fx, iterations: iter, converged: ok, reason: "no progress", inverseHessian: h };
    }
    for (let i = 0; i < n; i++) {
      s[i] = (xNew[i] as number) - (x[i] as number);
      y[i] = (gNew[i] as number) - (g[i] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaled) {
        const scale = sy / dot(y, y);
        resetIdentity(h, scale);
        scaled = true;
      }
      bfgsUpdate(h, s, y, sy);
    }
    const change = fx - fNew;
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    stalls = change <= 1e-15 * Math.max(1, Math.abs(fx)) ? stalls + 1 : 0;
    if (stalls >= 3) {
      const ok = projectedGradientNorm(x, g, o) < 1e3 * o.gradientTolerance;
      return { theta: x, value: fx, iterations: iter, converged: ok, reason: "no progress", inverseHessian: h };
    }
  }
  const ok = projectedGradientNorm(x, g, o) < o.gradientTolerance;
  return { theta: x, value: fx, iterations: o.maxIterations, converged: ok, reason: "iterations", inverseHessian: h };
}

/** The largest gradient component that could still move θ inside the box. */
function projectedGradientNorm(x: Float64Array, g: Float64Array, o: MinimiseOptions): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const gi = g[i] as number;
    const xi = x[i] as number;
    if ((xi <= o.lower && gi > 0) || (xi >= o.upper && gi < 0)) continue;
    m = Math.max(m, Math.abs(gi));
  }
  return m;
}

function identity(n: number): Float64Array[] {
  return Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(n);
    row[i] = 1;
    return row;
  });
}

function resetIdentity(h: Float64Array[], scale = 1): void {
  for (let i = 0; i < h.length; i++) {
    const row = h[i] as Float64Array;
    row.fill(0);
    row[i] = scale;
  }
}

function direction(h: Float64Array[], g: Float64Array, d: Float64Array): void {
  for (let i = 0; i < h.length; i++) d[i] = -dot(h[i] as Float64Array, g);
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs). */
function bfgsUpdate(h: Float64Array[], s: Float64Array, y: Float64Array, sy: number): void {
  const n = s.length;
  const rho = 1 / sy;
  const hy = new Float64Array(n);
  for (let i = 0; i < n; i++) hy[i] = dot(h[i] as Float64Array, y);
  const yhy = dot(y, hy);
  for (let i = 0; i < n; i++) {
    const row = h[i] as Float64Array;
    const si = s[i] as number;
    const hyi = hy[i] as number;
    for (let j = 0; j < n; j++) {
      const sj = s[j] as number;
      row[j] = (row[j] as number) - rho * (hyi * sj + si * (hy[j] as number)) + (rho * rho * yhy + rho) * si * sj;
    }
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}
