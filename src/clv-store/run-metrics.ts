import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ClvOptions,
  clv,
  expectedPurchases,
  type FitResult,
  fitGammaGamma,
  type GammaGammaParams,
  type PurchaseFit,
  pAlive,
} from "../clv/index.js";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { type ClvPlan, DEFAULT_CLV } from "../plan/policy.js";
import {
  CLV_METRIC_GROUPS_TABLE,
  CLV_METRICS_TABLE,
  type ClvColumn,
  clvMetricsSql,
  emptyClvMetricsSql,
  metricGroupsSql,
} from "../sql/clv-store/metrics.js";
import { CLV_SPEND_TABLE, spendCoefficientsSql as spendCoefficientsStaged } from "../sql/clv-store/predict.js";
import { CLV_STATS_TABLE } from "../sql/clv-store/stats.js";
import { shiftBack } from "../sql/compile/as-of.js";
import { createTempSql, dropTempSql } from "../sql/run/snapshot.js";
import { fitPurchase } from "./fit.js";
import { endOfDayUtc, UNIT_DAYS } from "./period.js";
import { HORIZON_DAYS, loadTable, writeCsv, writeSpendCoefficients } from "./predict.js";
import { buildCustomerStats, inUnit, readPurchaseGroups, readSpendSummary } from "./stats.js";

/** What a run learnt fitting its CLV metrics' model. */
export interface ClvRunFit {
  readonly purchase: PurchaseFit | null;
  readonly spend: FitResult<GammaGammaParams> | null;
  readonly warnings: readonly string[];
}

const LABEL = { bgnbd: "BG/NBD", "pareto-nbd": "Pareto/NBD", "gamma-gamma": "Gamma-Gamma" } as const;

/** In a policy the weak prior is a key of its clv block, not a flag. */
const inPolicy = (text: string) => text.replace("--prior weak", "prior: weak in the policy's clv block");

const why = (e: unknown) =>
  inPolicy(e instanceof TierwiseError ? e.oneLine() : e instanceof Error ? e.message : String(e));

/**
 * Build the run's CLV metrics table (`tw_clv_metrics`: customer_id and the
 * named columns) as of a date: the policy's buying model is fitted on every
 * customer's purchase days before as-of (calibration ends the day before),
 * and each metric computed once per (x, t_x, T) group, then joined to the
 * customers in SQL. When the data cannot support a model, every metric is
 * NULL and the reason is returned as a warning; the run goes on.
 */
export async function buildClvMetrics(
  engine: Engine,
  columns: readonly ClvColumn[],
  policy: { readonly timeZone: string; readonly clv?: ClvPlan },
  asOf: string,
): Promise<ClvRunFit> {
  const plan = policy.clv ?? DEFAULT_CLV;
  const calibrationEnd = shiftBack(asOf, 1, "day");
  const period = {
    calibrationEnd,
    calibrationCut: endOfDayUtc(calibrationEnd, policy.timeZone),
    timeZone: policy.timeZone,
  };
  const unitDays = UNIT_DAYS[plan.timeUnit];
  const prior = plan.prior ?? "none";
  const work = await mkdtemp(join(tmpdir(), "tierwise-clv-run-"));
  try {
    let purchase: PurchaseFit;
    let groups: Awaited<ReturnType<typeof readPurchaseGroups>>;
    try {
      await buildCustomerStats(engine, period);
      groups = await readPurchaseGroups(engine);
      purchase = fitPurchase(plan.model, inUnit(groups, unitDays), { prior });
    } catch (e) {
      await engine.exec(createTempSql(CLV_METRICS_TABLE, emptyClvMetricsSql(columns)));
      return { purchase: null, spend: null, warnings: [`CLV metrics are empty: ${why(e)}`] };
    }
    const warnings: string[] = [];
    if (purchase.identification.verdict !== "well identified")
      warnings.push(`the CLV model (${LABEL[purchase.model]}) is ${inPolicy(purchase.identification.message)}`);
    let spend: FitResult<GammaGammaParams> | undefined;
    if (columns.some((c) => c.kind === "clv")) {
      try {
        spend = fitGammaGamma(
          await readSpendSummary(engine, {
            excludeNonpositive: plan.excludeNonpositive === true,
            fix: "exclude_nonpositive: true in the policy's clv block",
          }),
          { prior },
        );
        if (spend.identification.verdict !== "well identified")
          warnings.push(`the spend model (Gamma-Gamma) is ${inPolicy(spend.identification.message)}`);
      } catch (e) {
        warnings.push(`clv(h) values purchases at each customer's mean repeat value: ${why(e)}`);
      }
    }
    const horizon = (c: ClvColumn) => (c.horizon ? (c.horizon.amount * HORIZON_DAYS[c.horizon.unit]) / unitDays : 0);
    const path = join(work, "groups.csv");
    await writeCsv(path, `x,tx_days,t_days,${columns.map((c) => c.name).join(",")}`, async (write) => {
      for (let i = 0; i < groups.x.length; i++) {
        const x = groups.x[i] as number;
        const tx = (groups.txDays[i] as number) / unitDays;
        const T = (groups.tDays[i] as number) / unitDays;
        const values = columns.map((c) => {
          if (c.kind === "p_alive") return pAlive(purchase, x, tx, T);
          if (c.kind === "expected_orders") return expectedPurchases(purchase, horizon(c), x, tx, T);
          const o: ClvOptions = {
            horizon: horizon(c),
            discountRate: plan.discountRate,
            margin: plan.margin,
            unit: plan.timeUnit,
          };
          return clv(purchase, undefined, x, tx, T, 1, o);
        });
        await write(`${x},${groups.txDays[i]},${groups.tDays[i]},${values.join(",")}`);
      }
    });
    await loadTable(engine, path, 3 + columns.length, CLV_METRIC_GROUPS_TABLE, (staged) =>
      metricGroupsSql(staged, columns),
    );
    if (spend) {
      await writeSpendCoefficients(join(work, "spend.csv"), groups, spend);
      await loadTable(engine, join(work, "spend.csv"), 3, CLV_SPEND_TABLE, spendCoefficientsStaged);
    }
    await engine.exec(createTempSql(CLV_METRICS_TABLE, clvMetricsSql(columns, spend !== undefined)));
    return { purchase, spend: spend ?? null, warnings };
  } finally {
    for (const t of [CLV_STATS_TABLE, CLV_METRIC_GROUPS_TABLE, CLV_SPEND_TABLE]) await engine.exec(dropTempSql(t));
    await rm(work, { recursive: true, force: true });
  }
}
