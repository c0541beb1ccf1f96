import type { PurchaseSummary, SpendSummary } from "../clv/index.js";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import {
  CLV_PURCHASE_GROUPS_TABLE,
  CLV_SPEND_GROUPS_TABLE,
  CLV_STATS_TABLE,
  type ClvPeriod,
  creditsBeforeSql,
  customerStatsSql,
  nonPositiveSpendSql,
  purchaseGroupPageSql,
  purchaseGroupsTableSql,
  spendGroupPageSql,
  spendGroupsTableSql,
  statsCountsSql,
} from "../sql/clv-store/stats.js";
import type { Query } from "../sql/row.js";
import { createTempSql, dropTempSql } from "../sql/run/snapshot.js";

/** Rows per page read from the engine: memory stays bounded by a page, not by the customers. */
const PAGE = 100_000;

export interface StatsCounts {
  readonly customers: number;
  readonly repeatBuyers: number;
  /** The earliest first purchase day of the cohort. */
  readonly firstDay: string;
}

/**
 * Build the session table of per-customer statistics for the period
 * (customers with a completed order that is not a credit on or before the
 * calibration end; repeat values net of credits).
 * @throws TierwiseError CLV_NO_ORDERS when there is none.
 */
export async function buildCustomerStats(engine: Engine, period: ClvPeriod): Promise<StatsCounts> {
  // Credits (negative amounts) take the netting query; without them the plain aggregate gives the same numbers, faster.
  const credits = (await engine.query(creditsBeforeSql(period.calibrationCut))).length > 0;
  await engine.exec(createTempSql(CLV_STATS_TABLE, customerStatsSql(period, engine.dialect, credits)));
  const row = (await engine.query(statsCountsSql()))[0];
  const customers = row?.customers ?? 0;
  if (customers === 0) throw new TierwiseError("CLV_NO_ORDERS", { date: period.calibrationEnd });
  return { customers, repeatBuyers: row?.repeat_buyers ?? 0, firstDay: String(row?.first_day).slice(0, 10) };
}

/** A growable column of doubles. */
class Column {
  private data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** Purchase groups in whole days, as read (the integer key of predictions). */
export interface PurchaseGroupsInDays {
  readonly x: Float64Array;
  readonly txDays: Float64Array;
  readonly tDays: Float64Array;
  readonly weight: Float64Array;
}

/** Every row of a numbered group table, page by page (`page(after, limit)`: the rows numbered `g` after `after`). */
async function readGroups<R extends { readonly g: number }>(
  engine: Engine,
  page: (after: number, limit: number) => Query<R>,
  each: (row: R) => void,
): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await engine.query(page(after, PAGE));
    for (const r of rows) each(r);
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) break;
    after = last.g;
  }
}

/** The grouped (x, t_x, T) of the statistics table in whole days, read page by page. */
export async function readPurchaseGroups(engine: Engine): Promise<PurchaseGroupsInDays> {
  await engine.exec(createTempSql(CLV_PURCHASE_GROUPS_TABLE, purchaseGroupsTableSql()));
  const [x, tx, t, w] = [new Column(), new Column(), new Column(), new Column()];
  try {
    await readGroups(engine, purchaseGroupPageSql, (r) => {
      x.push(r.x);
      tx.push(r.tx_days);
      t.push(r.t_days);
      w.push(r.n);
    });
  } finally {
    await engine.exec(dropTempSql(CLV_PURCHASE_GROUPS_TABLE));
  }
  return { x: x.done(), txDays: tx.done(), tDays: t.done(), weight: w.done() };
}

/** The purchase summary in the time unit (`unitDays` days each; weeks are days / 7 in double precision). */
export function inUnit(groups: PurchaseGroupsInDays, unitDays: number): PurchaseSummary {
  return {
    x: groups.x,
    tx: groups.txDays.map((d) => d / unitDays),
    T: groups.tDays.map((d) => d / unitDays),
    weight: groups.weight,
  };
}

/** How a spend summary treats repeat buyers whose repeat purchases are worth ≤ 0 (net of credits). */
export interface SpendSummaryOptions {
  /** Leave them out of the summary (else the first is named in CLV_NONPOSITIVE_SPEND). */
  readonly excludeNonpositive?: boolean;
  /** How the user asks for the exclusion, for the error (default the CLI flag). */
  readonly fix?: string;
}

/**
 * The grouped (x, mean repeat value) of repeat buyers, read page by page.
 * @throws TierwiseError CLV_NONPOSITIVE_SPEND naming the first customer (by id) whose repeat purchases are worth ≤ 0, unless they are excluded.
 */
export async function readSpendSummary(engine: Engine, options: SpendSummaryOptions = {}): Promise<SpendSummary> {
  if (!options.excludeNonpositive) {
    const bad = (await engine.query(nonPositiveSpendSql()))[0];
    if (bad) {
      const { n } = bad;
      throw new TierwiseError("CLV_NONPOSITIVE_SPEND", {
        customer: bad.customer_id,
        value: bad.repeat_value.toString(),
        others: n > 1 ? ` (and ${(n - 1).toLocaleString("en-US")} more)` : "",
        fix: options.fix ?? "--exclude-nonpositive (policy clv: exclude_nonpositive: true)",
      });
    }
  }
  await engine.exec(createTempSql(CLV_SPEND_GROUPS_TABLE, spendGroupsTableSql(options.excludeNonpositive === true)));
  const [x, m, w] = [new Column(), new Column(), new Column()];
  try {
    await readGroups(engine, spendGroupPageSql, (r) => {
      const n = r.x;
      x.push(n);
      m.push(r.repeat_value / n);
      w.push(r.n);
    });
  } finally {
    await engine.exec(dropTempSql(CLV_SPEND_GROUPS_TABLE));
  }
  return { x: x.done(), m: m.done(), weight: w.done() };
}
