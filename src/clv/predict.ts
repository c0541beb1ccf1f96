/**
 * Per-customer predictions from a fitted model: P(alive), expected
 * purchases, expected spend per purchase and CLV. Inputs are checked
 * (CLV_BAD_INPUT); outputs are finite, P(alive) in [0, 1], expectations ≥ 0.
 */
import { TierwiseError } from "../errors/index.js";
import { bgnbdExpectedIfAlive, bgnbdPAlive } from "./bgnbd.js";
import { badInput } from "./data.js";
import { gammaGammaExpectedSpend } from "./gamma-gamma.js";
import { paretoExpectedIfAlive, paretoPAlive } from "./pareto-nbd-predict.js";
import type { ClvOptions, FitResult, GammaGammaParams, PurchaseFit } from "./types.js";

/** Days in a year; a month is a twelfth of it. */
const DAYS_PER_YEAR = 365.25;

function checkCustomer(fit: PurchaseFit, x: number, tx: number, T: number): void {
  if (!(Number.isInteger(x) && x >= 0)) throw badInput(fit.model, "x must be a whole number ≥ 0");
  if (!(Number.isFinite(T) && T >= 0)) throw badInput(fit.model, "T must be a finite number ≥ 0");
  if (!(Number.isFinite(tx) && tx >= 0 && tx <= T)) throw badInput(fit.model, "tx must lie in [0, T]");
  if (x === 0 && tx !== 0) throw badInput(fit.model, "tx must be 0 when x is 0");
}

function checkHorizon(fit: PurchaseFit, t: number): void {
  if (!(Number.isFinite(t) && t >= 0)) throw badInput(fit.model, "the horizon t must be a finite number ≥ 0");
}

function aliveProbability(fit: PurchaseFit, x: number, tx: number, T: number): number {
  return fit.model === "bgnbd"
    ? bgnbdPAlive((fit as FitResult<import("./types.js").BgNbdParams>).params, x, tx, T)
    : paretoPAlive((fit as FitResult<import("./types.js").ParetoNbdParams>).params, x, tx, T);
}

function ifAlive(fit: PurchaseFit, t: number, x: number, T: number): number {
  return fit.model === "bgnbd"
    ? bgnbdExpectedIfAlive((fit as FitResult<import("./types.js").BgNbdParams>).params, t, x, T)
    : paretoExpectedIfAlive((fit as FitResult<import("./types.js").ParetoNbdParams>).params, t, x, T);
}

/**
 * The probability that a customer with x repeat purchases, the last at tx, at age T, is still alive at T.
 * @example pAlive(fit, 2, 30.4, 38.9) // ≈ 0.9 for CDNOW's BG/NBD fit
 */
export function pAlive(fit: PurchaseFit, x: number, tx: number, T: number): number {
  checkCustomer(fit, x, tx, T);
  return aliveProbability(fit, x, tx, T);
}

/**
 * Expected purchases in (T, T+t] of this customer.
 * @example expectedPurchases(fit, 52, 2, 30.4, 38.9) // expected purchases next year (weekly units)
 */
export function expectedPurchases(fit: PurchaseFit, t: number, x: number, tx: number, T: number): number {
  checkCustomer(fit, x, tx, T);
  checkHorizon(fit, t);
  if (t === 0) return 0;
  return aliveProbability(fit, x, tx, T) * ifAlive(fit, t, x, T);
}

/**
 * Expected repeat purchases in (0, t] of a customer who has just made a first purchase.
 * @example expectedPurchasesNew(fit, 39) // for a calibration-period validation chart
 */
export function expectedPurchasesNew(fit: PurchaseFit, t: number): number {
  checkHorizon(fit, t);
  return t === 0 ? 0 : ifAlive(fit, t, 0, 0);
}

/**
 * Expected value of one future purchase for a customer whose x repeat purchases averaged m
 * (x = 0: the population mean). CLV_DEGENERATE when that mean is infinite (q ≤ 1).
 * @example expectedSpend(spendFit, 3, 25.5)
 */
export function expectedSpend(fit: FitResult<GammaGammaParams>, x: number, m: number): number {
  if (!(Number.isInteger(x) && x >= 0)) throw badInput(fit.model, "x must be a whole number ≥ 0");
  if (x > 0 && !(Number.isFinite(m) && m >= 0)) throw badInput(fit.model, "m must be a finite number ≥ 0");
  const value = gammaGammaExpectedSpend(fit.params, x, m);
  if (!Number.isFinite(value)) {
    throw new TierwiseError("CLV_DEGENERATE", {
      model: fit.model,
      reason: `q = ${fit.params.q.toPrecision(4)} ≤ 1 makes the mean spend infinite for a customer without repeat purchases`,
    });
  }
  return value;
}

/**
 * Customer lifetime value over `o.horizon` time units: in monthly steps (a
 * twelfth of 365.25 days; the last step may be shorter), the expected
 * purchases of the step × the expected spend per purchase × margin,
 * discounted at the step's end by (1 + discountRate)^−years. Spend per
 * purchase is the Gamma-Gamma expectation when `spend` is given, otherwise m
 * as passed (the caller's mean order value).
 * @example clv(buy, spend, 2, 30.4, 38.9, 25.5, { horizon: 52, discountRate: 0.1, margin: 0.3, unit: "week" })
 */
export function clv(
  purchase: PurchaseFit,
  spend: FitResult<GammaGammaParams> | undefined,
  x: number,
  tx: number,
  T: number,
  m: number,
  o: ClvOptions,
): number {
  checkCustomer(purchase, x, tx, T);
  checkHorizon(purchase, o.horizon);
  if (!(Number.isFinite(o.discountRate) && o.discountRate > -1)) {
    throw badInput(purchase.model, "discountRate must be a finite number > −1");
  }
  if (!Number.isFinite(o.margin)) throw badInput(purchase.model, "margin must be a finite number");
  if (o.unit !== "day" && o.unit !== "week") throw badInput(purchase.model, "unit must be day or week");
  const value = spend ? expectedSpend(spend, x, m) : m;
  if (!(Number.isFinite(value) && value >= 0)) throw badInput(purchase.model, "m must be a finite number ≥ 0");
  return o.margin * value * aliveProbability(purchase, x, tx, T) * discountedIfAlive(purchase, x, T, o);
}

/**
 * Σ over monthly steps of the step's expected purchases if alive × its
 * discount factor. It depends on the customer only through (x, T), which
 * many customers share, so it is memoised per fit (a bounded table, cleared
 * when full).
 */
const memo = new WeakMap<PurchaseFit, Map<string, number>>();
const MEMO_SIZE = 200_000;

function discountedIfAlive(purchase: PurchaseFit, x: number, T: number, o: ClvOptions): number {
  let table = memo.get(purchase);
  if (!table) {
    table = new Map();
    memo.set(purchase, table);
  }
  const key = `${x}|${T}|${o.horizon}|${o.discountRate}|${o.unit}`;
  const known = table.get(key);
  if (known !== undefined) return known;
  const perYear = o.unit === "day" ? DAYS_PER_YEAR : DAYS_PER_YEAR / 7;
  const month = perYear / 12;
  const steps = Math.ceil(o.horizon / month - 1e-9);
  const logDiscount = Math.log1p(o.discountRate);
  let previous = 0;
  let total = 0;
  for (let k = 1; k <= steps; k++) {
    const t = Math.min(k * month, o.horizon);
    const cumulative = ifAlive(purchase, t, x, T);
    total += Math.max(0, cumulative - previous) * Math.exp((-logDiscount * t) / perYear);
    previous = cumulative;
  }
  if (table.size >= MEMO_SIZE) table.clear();
  table.set(key, total);
  return total;
}
