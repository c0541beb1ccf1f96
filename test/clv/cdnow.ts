import { readFileSync } from "node:fs";

/** The CDNOW 1/10 sample (Fader & Hardie), kept in the repository: see test/fixtures/cdnow/README.md. */
export const CDNOW_DIR = new URL("../fixtures/cdnow/", import.meta.url);

export interface CdnowCustomer {
  readonly id: number;
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  /** Mean spend of the repeat purchase days in calibration (0 when x = 0). */
  readonly m: number;
}

const DAY_MS = 86_400_000;

function dayNumber(yyyymmdd: string): number {
  return (
    Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) / DAY_MS
  );
}

/**
 * The weekly calibration statistics computed from the transactions: purchases
 * on the same day merged (their spend summed), the first purchase day not a
 * repeat, calibration ending 1997-09-30 (inclusive).
 */
export function cdnowCalibration(): CdnowCustomer[] {
  const text = readFileSync(new URL("CDNOW_sample.txt", CDNOW_DIR), "utf8");
  const days = new Map<number, Map<number, number>>();
  const end = dayNumber("19970930");
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const id = Number(f[1]);
    const day = dayNumber(f[2] as string);
    const value = Number(f[4]);
    let c = days.get(id);
    if (!c) {
      c = new Map();
      days.set(id, c);
    }
    c.set(day, (c.get(day) ?? 0) + value);
  }
  const out: CdnowCustomer[] = [];
  for (const [id, c] of [...days].sort((a, b) => a[0] - b[0])) {
    const calibration = [...c].filter(([d]) => d <= end).sort((a, b) => a[0] - b[0]);
    const first = calibration[0];
    if (!first) continue;
    const repeats = calibration.slice(1);
    const last = calibration[calibration.length - 1] ?? first;
    out.push({
      id,
      x: repeats.length,
      tx: (last[0] - first[0]) / 7,
      T: (end - first[0]) / 7,
      m: repeats.length === 0 ? 0 : repeats.reduce((s, [, v]) => s + v, 0) / repeats.length,
    });
  }
  return out;
}

/** cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar. */
export function cdnowPublishedSummary(): Map<number, { x: number; tx: number; T: number; m: number }> {
  const text = readFileSync(new URL("cdnow_customers_summary_with_transactions.csv", CDNOW_DIR), "utf8");
  const rows = new Map<number, { x: number; tx: number; T: number; m: number }>();
  for (const line of text.split(/\r?\n/).slice(1)) {
    const f = line.split(",").map(Number);
    if (f.length < 5) continue;
    rows.set(f[0] as number, { x: f[1] as number, tx: f[2] as number, T: f[3] as number, m: f[4] as number });
  }
  return rows;
}
