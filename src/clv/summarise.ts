import type { PurchaseSummary } from "./types.js";

/**
 * Group per-customer rows into a PurchaseSummary: exact duplicates of
 * (x, tx, T) become one entry whose weight counts them, in first-seen order.
 * @example summarise([{ x: 0, tx: 0, T: 30 }, { x: 0, tx: 0, T: 30 }]).weight // Float64Array [2]
 */
export function summarise(rows: Iterable<{ x: number; tx: number; T: number }>): PurchaseSummary {
  const index = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const weight: number[] = [];
  for (const row of rows) {
    const key = `${row.x}|${row.tx}|${row.T}`;
    const i = index.get(key);
    if (i === undefined) {
      index.set(key, x.length);
      x.push(row.x);
      tx.push(row.tx);
      T.push(row.T);
      weight.push(1);
    } else {
      weight[i] = (weight[i] as number) + 1;
    }
  }
  return {
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    weight: Float64Array.from(weight),
  };
}
