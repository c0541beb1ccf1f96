import { fitChurnModel } from "../clv-store/churn-model.js";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { isCalendarDate } from "../plan/calendar-date.js";
import type { ChurnPlan, PolicyPlan } from "../plan/policy.js";
import { findRun, planFromText, runsOfScheme } from "../run/runs.js";
import { shiftBack } from "../sql/compile/as-of.js";
import { atRiskSql, type ChurnPeriodSql, type ChurnSqlOptions, churnByTierSql } from "../sql/compile/churn.js";

export type ChurnEvery = "month" | "quarter" | "year";

export interface ChurnOptions {
  /** The scheme whose tiers split the report (default: the first customer scheme of the latest run). */
  readonly scheme?: string;
  /** Period length (default month). */
  readonly every?: ChurnEvery;
  /** First period's start (YYYY-MM-DD; default 12 months before `to`). */
  readonly from?: string;
  /** Last period's end, exclusive (YYYY-MM-DD; default the latest run's as-of). */
  readonly to?: string;
  /** How many at-risk customers to list (default 20). */
  readonly limit?: number;
}

/** One tier in one period; a null tier holds turned customers the period's run did not grade. */
export interface ChurnTierRow {
  readonly tier: string | null;
  /** Customers the period's run graded in this tier (0 for the null tier). */
  readonly customers: number;
  /** Customers whose turn date falls in the period. */
  readonly turned: number;
  /** turned / customers (null when the tier is empty or null). */
  readonly share: number | null;
  /** Their net spend in the 12 months up to their last order. */
  readonly revenueLost: number;
}

export interface ChurnPeriod {
  readonly start: string;
  /** Exclusive. */
  readonly end: string;
  /** The latest run of the scheme at or before `start` (null: none, so no tiers). */
  readonly runId: number | null;
  readonly tiers: readonly ChurnTierRow[];
}

export interface AtRiskCustomer {
  readonly customerId: string;
  readonly tier: string | null;
  readonly lastOrder: string;
  /** Median days between order days (null with fewer than 2). */
  readonly medianGap: number | null;
  readonly expected: string;
  /** The date they turn if they do not order before. */
  readonly turnsOn: string;
  readonly spend: number;
}

export interface ChurnReport {
  readonly scheme: string;
  readonly asOf: string;
  readonly runId: number;
  readonly definition: ChurnPlan;
  readonly every: ChurnEvery;
  readonly periods: readonly ChurnPeriod[];
  readonly atRisk: readonly AtRiskCustomer[];
  /** The recorded policy's locale and currency: text renderings format every number in them. */
  readonly locale: string;
  readonly currency: string;
}

const STEP: Readonly<Record<ChurnEvery, number>> = { month: 1, quarter: 3, year: 12 };

/** A date moved by whole months (the day clamped to the month's length). */
const addMonths = (date: string, months: number): string => shiftBack(date, -months, "month");

function checkDate(name: string, value: string | undefined): void {
  if (value !== undefined && !isCalendarDate(value)) throw TierwiseError.of("option.date", { option: name, value });
}

/** The scheme churn reports default to: the first customer scheme of a recorded policy (else its first scheme). */
export function defaultChurnScheme(policyText: string): string {
  const plan = planFromText(policyText);
  return plan.schemes.find((s) => s.entity === "customers")?.name ?? plan.schemes[0]?.name ?? "";
}

/** A policy's churn definition (`churn:`), or the default: 180 days, k = 3. */
export function churnDefinition(plan: PolicyPlan): ChurnPlan {
  return plan.churn ?? { days: 180, k: 3 };
}

/**
 * What churn's SQL computes with for a policy as of a date: its definition
 * and, with `churn.p_alive`, the buying model fitted as of the date. The
 * churn report and the server's at-risk filter both take it from here.
 */
export async function churnSqlOptions(engine: Engine, plan: PolicyPlan, asOf: string): Promise<ChurnSqlOptions> {
  const model = await fitChurnModel(engine, plan, asOf);
  return { dialect: engine.dialect, asOf, ...churnDefinition(plan), ...(model ? { model } : {}) };
}

/**
 * Churn by tier (docs/schemes.md §10): per period and tier, the customers who
 * turned (no completed order for max(days, k × their median gap), policy
 * `churn:`), their share of the tier and the revenue lost; and the customers
 * at risk: past their expected next order but not turned yet as of the
 * scheme's latest run, by 12-month spend. Tiers are those of the latest run
 * of the scheme at or before each period's start.
 *
 * @example
 * const report = await churn(store, { scheme: "value-grades", every: "quarter" });
 * console.log(report.periods.at(-1)?.tiers, report.atRisk[0]);
 */
export async function churn(engine: Engine, options: ChurnOptions = {}): Promise<ChurnReport> {
  checkDate("--from", options.from);
  checkDate("--to", options.to);
  const every = options.every ?? "month";
  if (!(every in STEP)) throw TierwiseError.of("option.every", { value: every });
  const latest = await findRun(engine);
  const scheme = options.scheme ?? defaultChurnScheme(latest.policyText);
  const runs = await runsOfScheme(engine, scheme);
  const newest = runs[0];
  if (!newest) throw new TierwiseError("UNKNOWN_SCHEME", { scheme, where: "any stored run" });
  const recorded = planFromText(newest.policyText);
  const definition = churnDefinition(recorded);
  const to = options.to ?? newest.asOf;
  const from = options.from ?? addMonths(to, -12);
  if (from >= to) throw TierwiseError.of("option.from-not-before-to", { from, to });

  const periods: ChurnPeriodSql[] = [];
  for (let start = from; start < to && periods.length < 1000; start = addMonths(from, STEP[every] * periods.length)) {
    const next = addMonths(from, STEP[every] * (periods.length + 1));
    const run = runs.find((r) => r.asOf <= start);
    periods.push({
      start,
      end: next.localeCompare(to) < 0 ? next : to,
      run: run ? { runId: run.runId, schemeNo: run.schemeNo } : null,
    });
  }
  const sqlOptions = await churnSqlOptions(engine, recorded, newest.asOf);
  const rows = await engine.query(churnByTierSql(sqlOptions, periods));
  const byPeriod = periods.map((): ChurnTierRow[] => []);
  for (const r of rows) {
    const { customers, turned, tier } = r;
    byPeriod[r.p_no]?.push({
      tier,
      customers,
      turned,
      share: tier === null || customers === 0 ? null : turned / customers,
      revenueLost: r.lost,
    });
  }
  const risk = await engine.query(atRiskSql(sqlOptions, newest, options.limit ?? 20));
  return {
    scheme,
    asOf: newest.asOf,
    runId: newest.runId,
    locale: recorded.locale,
    currency: recorded.currency,
    definition,
    every,
    periods: periods.map((p, i) => ({
      start: p.start,
      end: p.end,
      runId: p.run?.runId ?? null,
      tiers: byPeriod[i] ?? [],
    })),
    atRisk: risk.map((r) => ({
      customerId: r.customer_id,
      tier: r.tier,
      lastOrder: r.last_order.slice(0, 10),
      medianGap: r.median_gap,
      expected: r.expected.slice(0, 10),
      turnsOn: r.turns_on.slice(0, 10),
      spend: r.spend,
    })),
  };
}
