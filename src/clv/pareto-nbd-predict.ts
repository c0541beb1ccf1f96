/**
 * Pareto/NBD predictions for one customer at a time (P(alive), expected
 * purchases), from the fitted parameters; the model and its likelihood are in
 * pareto-nbd.ts.
 */
import { logDropoutIntegral } from "./pareto-integral.js";
import { hyp2f1, oneMinusPowOverK } from "./special.js";
import type { ParetoNbdParams } from "./types.js";

/**
 * Predictions one customer at a time reuse, per fitted parameters, the tail
 * ∫_u^∞ (α+y)^−(r+x) (β+y)^−(s+1) dy = (M+u)^−c/c · ₂F₁(c, b; c+1; |α−β|/(M+u))
 * with c = r+s+x, M = max(α, β) and b = s+1 when α ≥ β, r+x otherwise (all
 * series terms positive, so no cancellation), memoised per (x, u): many
 * customers share x with their tx or T. The customer's I is the difference
 * of two tails, taken in logs. Where the series does not settle within
 * 2,000 terms (z near 1) a tail is integrated by quadrature instead; where
 * the difference would keep fewer than all but two digits, or c > 1e4, I is
 * integrated directly. The memo is bounded (cleared when full) and keyed by
 * the parameters object, its values checked; the last customer's ln R is
 * kept too, since P(alive) and expected purchases come in pairs.
 */
const TAIL_TERMS = 2000;
const MAX_TAIL_SHAPE = 1e4;
/** Above this c the quadrature tail's logarithm is too large to difference to the needed digits. */
const MAX_QUADRATURE_TAIL_SHAPE = 200;
/** The tails of one parameter set, by x then u; the values are kept so a mutated parameters object is not misread. */
interface TailMemo {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
  readonly byX: Map<number, Map<number, number>>;
}
const tailMemo = new WeakMap<ParetoNbdParams, TailMemo>();
const TAIL_MEMO_SIZE = 500_000;
let tailMemoEntries = 0;

/**
 * G(x, u) = ln tail + c ln(M+u), memoised per parameters: ln ₂F₁ − ln c by the
 * series, or, when it does not settle (z near 1), the tail integrated by
 * quadrature out to where the rest is below e^−100 of it; NaN when neither
 * is accurate.
 */
function logTail(
  p: ParetoNbdParams,
  byX: Map<number, Map<number, number>>,
  byU: Map<number, number>,
  x: number,
  u: number,
): number {
  const known = byU.get(u);
  if (known !== undefined) return known;
  const c = p.r + p.s + x;
  const big = Math.max(p.alpha, p.beta);
  const b = p.alpha >= p.beta ? p.s + 1 : p.r + x;
  const z = Math.abs(p.alpha - p.beta) / (big + u);
  let value = Math.log(hyp2f1(c, b, c + 1, z, TAIL_TERMS)) - Math.log(c);
  if (Number.isNaN(value) && c <= MAX_QUADRATURE_TAIL_SHAPE) {
    // In v = ln((m+y)/(m+u)) the log-integrand is concave with slope tending to −c; past v1 the
    // slope is below −c/2, so 200/c further on the remainder is below e^−100 of the whole.
    const m = Math.min(p.alpha, p.beta);
    const gap = big - m;
    const v1 = Math.log1p((1000 * Math.max(1, (p.s + 1) / c) * gap) / (m + u));
    const far = v1 + 200 / c;
    value =
      far > 600
        ? Number.NaN
        : logDropoutIntegral(p.r + x, p.s + 1, p.alpha, p.beta, u, (m + u) * Math.exp(far) - m, null) +
          c * Math.log(big + u);
  }
  if (tailMemoEntries >= TAIL_MEMO_SIZE) {
    byX.clear();
    tailMemoEntries = 0;
  }
  byU.set(u, value);
  tailMemoEntries++;
  return value;
}

const sameParams = (m: TailMemo | undefined, p: ParetoNbdParams): m is TailMemo =>
  m !== undefined && m.r === p.r && m.alpha === p.alpha && m.s === p.s && m.beta === p.beta;

/** The memo of the parameters asked about last (skips the WeakMap lookup for a run of customers). */
let lastTails: TailMemo | undefined;

/** ln I from two memoised tails, or NaN when that route would not be accurate (the caller integrates directly). */
function logIntegralFromTails(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const c = p.r + p.s + x;
  if (!(c <= MAX_TAIL_SHAPE)) return Number.NaN;
  let memo = lastTails;
  if (!sameParams(memo, p)) {
    memo = tailMemo.get(p);
    if (!sameParams(memo, p)) {
      memo = { r: p.r, alpha: p.alpha, s: p.s, beta: p.beta, byX: new Map() };
      tailMemo.set(p, memo);
    }
    lastTails = memo;
  }
  const byX = memo.byX;
  let byU = byX.get(x);
  if (!byU) {
    byU = new Map();
    byX.set(x, byU);
  }
  const gTx = logTail(p, byX, byU, x, tx);
  const gT = logTail(p, byX, byU, x, T);
  if (!(Number.isFinite(gTx) && Number.isFinite(gT))) return Number.NaN;
  const big = Math.max(p.alpha, p.beta);
  const share = -Math.expm1(-c * Math.log1p((T - tx) / (big + tx)) + gT - gTx);
  if (!(share >= 1e-2)) return Number.NaN;
  return -c * Math.log(big + tx) + gTx + Math.log(share);
}

/** ln R of the customer, P(alive) = 1/(1+R); −Infinity when tx = T. */
export function paretoLogOddsDead(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  if (
    x === last.x &&
    tx === last.tx &&
    T === last.T &&
    p.r === last.r &&
    p.alpha === last.alpha &&
    p.s === last.s &&
    p.beta === last.beta
  ) {
    return last.value;
  }
  const pa = p.r + x;
  const logTerm1 = -pa * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
  let value = Number.NEGATIVE_INFINITY;
  if (T > tx) {
    let logI = logIntegralFromTails(p, x, tx, T);
    if (Number.isNaN(logI)) logI = logDropoutIntegral(pa, p.s + 1, p.alpha, p.beta, tx, T, null);
    value = Math.log(p.s) + logI - logTerm1;
  }
  last.r = p.r;
  last.alpha = p.alpha;
  last.s = p.s;
  last.beta = p.beta;
  last.x = x;
  last.tx = tx;
  last.T = T;
  last.value = value;
  return value;
}

/** The last customer asked about (P(alive) and expected purchases are usually asked in pairs). */
const last = {
  r: Number.NaN,
  alpha: Number.NaN,
  s: Number.NaN,
  beta: Number.NaN,
  x: Number.NaN,
  tx: Number.NaN,
  T: Number.NaN,
  value: Number.NaN,
};

/** P(alive at T | x, tx, T). */
export function paretoPAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const logR = paretoLogOddsDead(p, x, tx, T);
  return logR > 0 ? Math.exp(-logR) / (1 + Math.exp(-logR)) : 1 / (1 + Math.exp(logR));
}

/**
 * Expected purchases in (T, T+t] of a customer alive at T:
 * (r+x)(β+T)/((α+T)(s−1)) [1 − ((β+T)/(β+T+t))^(s−1)], continued through s = 1.
 */
export function paretoExpectedIfAlive(p: ParetoNbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  const bT = p.beta + T;
  return (((p.r + x) * bT) / (p.alpha + T)) * oneMinusPowOverK(p.s - 1, -Math.log1p(t / bT));
}
