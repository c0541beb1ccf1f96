/**
 * Checking and indexing the summaries a fit receives: every value finite and
 * in range (CLV_BAD_INPUT naming the first bad entry), repeat buyers present
 * (CLV_NO_REPEAT_BUYERS), more than one distinct history (CLV_DEGENERATE);
 * then each distinct x, T and tx gets an index so a likelihood evaluation
 * computes logs and gamma ratios once per distinct value, not once per row.
 */
import { TierwiseError } from "../errors/index.js";
import type { ClvModel, PurchaseSummary, SpendSummary } from "./types.js";

/** Purchase statistics ready for the BG/NBD and Pareto/NBD likelihoods. */
export interface PreparedPurchases {
  readonly customers: number;
  readonly repeatBuyers: number;
  /** Distinct T values (all rows) and distinct tx values (repeat rows). */
  readonly Ts: Float64Array;
  readonly txs: Float64Array;
  /** Distinct x values > 0, ascending; the weight of each. */
  readonly xs: Float64Array;
  readonly xWeight: Float64Array;
  /** Weight of the x = 0 customers per distinct T. */
  readonly zeroWeight: Float64Array;
  /** Repeat rows (x > 0, positive weight): indexes into xs, Ts, txs; x itself; weight. */
  readonly rowX: Uint32Array;
  readonly rowT: Uint32Array;
  readonly rowTx: Uint32Array;
  readonly rowXValue: Float64Array;
  readonly rowWeight: Float64Array;
  /** Σ w·x and Σ w·T, for starting values. */
  readonly sumX: number;
  readonly sumT: number;
}

export function badInput(model: ClvModel, detail: string): TierwiseError {
  return new TierwiseError("CLV_BAD_INPUT", { model, detail });
}

function checkLengths(model: ClvModel, columns: Readonly<Record<string, Float64Array>>): number {
  const lengths = Object.entries(columns).map(([k, v]) => [k, v.length] as const);
  const n = lengths[0]?.[1] ?? 0;
  for (const [k, len] of lengths) {
    if (len !== n) throw badInput(model, `column ${k} has ${len} entries, column ${lengths[0]?.[0]} has ${n}`);
  }
  if (n === 0) throw badInput(model, "the summary is empty (no customers)");
  return n;
}

/** Validate and index a purchase summary for `model`. */
export function preparePurchases(model: ClvModel, s: PurchaseSummary): PreparedPurchases {
  const n = checkLengths(model, { x: s.x, tx: s.tx, T: s.T, weight: s.weight });
  let customers = 0;
  let repeatBuyers = 0;
  let sumX = 0;
  let sumT = 0;
  let repeatRows = 0;
  let firstKey: string | undefined;
  let distinct = false;
  for (let i = 0; i < n; i++) {
    const x = s.x[i] as number;
    const tx = s.tx[i] as number;
    const T = s.T[i] as number;
    const w = s.weight[i] as number;
    if (!(Number.isFinite(w) && w >= 0)) throw badInput(model, `entry ${i}: weight must be a finite number ≥ 0`);
    if (!(Number.isInteger(x) && x >= 0)) throw badInput(model, `entry ${i}: x must be a whole number ≥ 0`);
    if (!(Number.isFinite(T) && T >= 0)) throw badInput(model, `entry ${i}: T must be a finite number ≥ 0`);
    if (!(Number.isFinite(tx) && tx >= 0 && tx <= T)) throw badInput(model, `entry ${i}: tx must lie in [0, T]`);
    if (x === 0 && tx !== 0) throw badInput(model, `entry ${i}: tx must be 0 when x is 0`);
    if (w === 0) continue;
    customers += w;
    sumX += w * x;
    sumT += w * T;
    if (x > 0) {
      repeatBuyers += w;
      repeatRows++;
    }
    const key = `${x},${tx},${T}`;
    if (firstKey === undefined) firstKey = key;
    else if (key !== firstKey) distinct = true;
  }
  if (customers === 0) throw badInput(model, "every weight is 0 (no customers)");
  if (repeatBuyers === 0) throw new TierwiseError("CLV_NO_REPEAT_BUYERS", { model, customers });
  if (!distinct) {
    throw new TierwiseError("CLV_DEGENERATE", {
      model,
      reason: "every customer has the same (x, tx, T), so rates and dropout cannot be told apart",
    });
  }

  const tIndex = new Map<number, number>();
  const txIndex = new Map<number, number>();
  const xIndex = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if ((s.weight[i] as number) === 0) continue;
    const T = s.T[i] as number;
    if (!tIndex.has(T)) tIndex.set(T, tIndex.size);
    const x = s.x[i] as number;
    if (x > 0) {
      const tx = s.tx[i] as number;
      if (!txIndex.has(tx)) txIndex.set(tx, txIndex.size);
      if (!xIndex.has(x)) xIndex.set(x, 0);
    }
  }
  const xs = Float64Array.from(xIndex.keys()).sort();
  xs.forEach((x, i) => {
    xIndex.set(x, i);
  });
  const Ts = Float64Array.from(tIndex.keys());
  const txs = Float64Array.from(txIndex.keys());
  const xWeight = new Float64Array(xs.length);
  const zeroWeight = new Float64Array(Ts.length);
  const rowX = new Uint32Array(repeatRows);
  const rowT = new Uint32Array(repeatRows);
  const rowTx = new Uint32Array(repeatRows);
  const rowXValue = new Float64Array(repeatRows);
  const rowWeight = new Float64Array(repeatRows);
  let r = 0;
  for (let i = 0; i < n; i++) {
    const w = s.weight[i] as number;
    if (w === 0) continue;
    const x = s.x[i] as number;
    const ti = tIndex.get(s.T[i] as number) as number;
    if (x === 0) {
      zeroWeight[ti] = (zeroWeight[ti] as number) + w;
      continue;
    }
    const xi = xIndex.get(x) as number;
    xWeight[xi] = (xWeight[xi] as number) + w;
    rowX[r] = xi;
    rowT[r] = ti;
    rowTx[r] = txIndex.get(s.tx[i] as number) as number;
    rowXValue[r] = x;
    rowWeight[r] = w;
    r++;
  }
  return {
    customers,
    repeatBuyers,
    Ts,
    txs,
    xs,
    xWeight,
    zeroWeight,
    rowX,
    rowT,
    rowTx,
    rowXValue,
    rowWeight,
    sumX,
    sumT,
  };
}

/** Spend statistics ready for the Gamma-Gamma likelihood (rows with x = 0 carry no repeat spend and are left out). */
export interface PreparedSpend {
  readonly customers: number;
  readonly xs: Float64Array;
  readonly xWeight: Float64Array;
  readonly rowX: Uint32Array;
  readonly rowXValue: Float64Array;
  readonly rowM: Float64Array;
  readonly rowLogM: Float64Array;
  readonly rowWeight: Float64Array;
  /** Weighted mean and variance of m. */
  readonly meanM: number;
  readonly varM: number;
}

export function prepareSpend(s: SpendSummary): PreparedSpend {
  const model: ClvModel = "gamma-gamma";
  const n = checkLengths(model, { x: s.x, m: s.m, weight: s.weight });
  const xIndex = new Map<number, number>();
  let rows = 0;
  let customers = 0;
  let sumM = 0;
  let sumM2 = 0;
  let firstM: number | undefined;
  let distinct = false;
  for (let i = 0; i < n; i++) {
    const x = s.x[i] as number;
    const m = s.m[i] as number;
    const w = s.weight[i] as number;
    if (!(Number.isFinite(w) && w >= 0)) throw badInput(model, `entry ${i}: weight must be a finite number ≥ 0`);
    if (!(Number.isInteger(x) && x >= 0)) throw badInput(model, `entry ${i}: x must be a whole number ≥ 0`);
    if (x === 0 || w === 0) continue;
    if (!(Number.isFinite(m) && m > 0)) {
      throw badInput(
        model,
        `entry ${i}: the mean repeat spend m must be a finite number > 0 (Gamma-Gamma needs positive values)`,
      );
    }
    rows++;
    customers += w;
    sumM += w * m;
    sumM2 += w * m * m;
    if (firstM === undefined) firstM = m;
    else if (m !== firstM) distinct = true;
    if (!xIndex.has(x)) xIndex.set(x, 0);
  }
  if (customers === 0) throw new TierwiseError("CLV_NO_REPEAT_BUYERS", { model, customers: n });
  if (!distinct) {
    throw new TierwiseError("CLV_DEGENERATE", {
      model,
      reason: "every repeat buyer has the same mean spend, so its spread cannot be estimated",
    });
  }
  const xs = Float64Array.from(xIndex.keys()).sort();
  xs.forEach((x, i) => {
    xIndex.set(x, i);
  });
  const xWeight = new Float64Array(xs.length);
  const rowX = new Uint32Array(rows);
  const rowXValue = new Float64Array(rows);
  const rowM = new Float64Array(rows);
  const rowLogM = new Float64Array(rows);
  const rowWeight = new Float64Array(rows);
  let r = 0;
  for (let i = 0; i < n; i++) {
    const x = s.x[i] as number;
    const w = s.weight[i] as number;
    if (x === 0 || w === 0) continue;
    const xi = xIndex.get(x) as number;
    xWeight[xi] = (xWeight[xi] as number) + w;
    rowX[r] = xi;
    rowXValue[r] = x;
    rowM[r] = s.m[i] as number;
    rowLogM[r] = Math.log(s.m[i] as number);
    rowWeight[r] = w;
    r++;
  }
  const meanM = sumM / customers;
  return {
    customers,
    xs,
    xWeight,
    rowX,
    rowXValue,
    rowM,
    rowLogM,
    rowWeight,
    meanM,
    varM: Math.max(0, sumM2 / customers - meanM * meanM),
  };
}
