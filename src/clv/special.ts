/**
 * Special functions for the CLV models, accurate to a few units in the last
 * place of a double over the ranges the models need (arguments > 0).
 */

const HALF_LOG_2PI = 0.9189385332046728;

/**
 * ln Γ(x) for x > 0: shifted up to x ≥ 10 by the recurrence, then Stirling's
 * series (truncation error below 2e-16 relative there). NaN for x ≤ 0.
 * @example lgamma(5) // ln 24
 */
export function lgamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  let shift = 0;
  let product = 1;
  while (x < 10) {
    product *= x;
    x += 1;
    shift += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series =
    inv *
    (1 / 12 + inv2 * (-1 / 360 + inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188 - (691 / 360360) * inv2)))));
  const value = (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
  return shift === 0 ? value : value - Math.log(product);
}

/**
 * The digamma function ψ(x) = d/dx ln Γ(x) for x > 0.
 * @example digamma(1) // −0.5772156649015329 (minus Euler's constant)
 */
export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))));
  return shift + Math.log(x) - 0.5 * inv - series;
}

/** ln(e^a + e^b) without overflow or underflow. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** −expm1(κ·L)/κ, continued to −L at κ = 0 (used for (1 − (1−z)^κ)/κ with L = ln(1−z)). */
export function oneMinusPowOverK(kappa: number, logBase: number): number {
  const kl = kappa * logBase;
  if (Math.abs(kl) < 1e-8) return -logBase * (1 + 0.5 * kl);
  return -Math.expm1(kl) / kappa;
}

/**
 * Sums, for each of the sorted distinct whole numbers `xs`, ln Γ(c + x) − ln Γ(c)
 * into `logOut` and ψ(c + x) − ψ(c) into `psiOut`: by running sums of ln(c + k)
 * and 1/(c + k) across small gaps (exact to rounding, no cancellation), by
 * lgamma/digamma differences across large ones.
 */
export function gammaRatios(c: number, xs: Float64Array, logOut: Float64Array, psiOut: Float64Array): void {
  let prev = 0;
  let lg = 0;
  let ps = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    if (x - prev <= 64) {
      for (let k = prev; k < x; k++) {
        lg += Math.log(c + k);
        ps += 1 / (c + k);
      }
    } else {
      lg += lgamma(c + x) - lgamma(c + prev);
      ps += digamma(c + x) - digamma(c + prev);
    }
    prev = x;
    logOut[i] = lg;
    psiOut[i] = ps;
  }
}

/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) for |z| < 1 by its power
 * series, after Pfaff's transformation ₂F₁ = (1−z)^−a ₂F₁(a, c−b; c; z/(z−1))
 * when z < −1/2, so the series argument always lies in (−1/2, 1). NaN when the
 * series does not settle within `maxTerms` (z very close to 1) or c is a
 * non-positive integer.
 * @example hyp2f1(1, 1, 2, 0.5) // −ln(0.5)/0.5
 */
export function hyp2f1(a: number, b: number, c: number, z: number, maxTerms = 200_000): number {
  if (!(Math.abs(z) < 1)) return Number.NaN;
  if (z < -0.5) return (1 - z) ** -a * hyp2f1(a, c - b, c, z / (z - 1), maxTerms);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    const den = (c + n) * (n + 1);
    if (den === 0) return Number.NaN;
    term *= (((a + n) * (b + n)) / den) * z;
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum) && n > 2) return sum;
    if (!Number.isFinite(sum)) return Number.NaN;
  }
  return Number.NaN;
}
