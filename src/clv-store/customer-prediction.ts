import { type ClvOptions, clv, expectedPurchases, expectedSpend, pAlive, type TimeUnit } from "../clv/index.js";
import type { Engine } from "../engine/engine.js";
import { customerStatsOfSql } from "../sql/clv-store/customer-stats.js";
import { creditsBeforeSql } from "../sql/clv-store/stats.js";
import { endOfDayUtc } from "./period.js";
import { fittedModels, HORIZON_DAYS } from "./predict.js";

/** One customer's CLV figures from the stored models: their row of `tierwise clv predict`. */
export interface CustomerClv {
  readonly customerId: string;
  readonly model: {
    readonly kind: string;
    readonly modelId: number;
    readonly calibrationEnd: string;
    readonly timeUnit: TimeUnit;
    /** Whether a Gamma-Gamma spend model of the same period is stored (else spend is the customer's own mean). */
    readonly spendModel: boolean;
  };
  readonly horizonMonths: number;
  /** Null when the customer had no completed order by the calibration end (the model says nothing of them). */
  readonly prediction: {
    readonly frequency: number;
    readonly recency: number;
    readonly T: number;
    readonly monetaryValue: number | null;
    readonly pAlive: number;
    readonly expectedPurchases: number;
    readonly expectedSpend: number | null;
    readonly clv: number | null;
  } | null;
}

/**
 * A customer's probability alive, expected purchases and spend over the
 * horizon and discounted CLV from the latest stored purchase model (and the
 * Gamma-Gamma model of its period) at its calibration end, computed as
 * `clv predict` computes each row (the model's per-group values, the
 * spend's a + b·m), from the customer's own statistics.
 * @throws TierwiseError CLV_NO_MODEL when no model is stored.
 */
export async function customerClv(
  engine: Engine,
  customerId: string,
  options: { readonly months?: number } = {},
): Promise<CustomerClv> {
  const { purchaseModel: purchase, context, spend, unitDays } = await fittedModels(engine);
  const months = options.months ?? 12;
  const o: ClvOptions = {
    horizon: (months * HORIZON_DAYS.month) / unitDays,
    discountRate: 0.1,
    margin: 1,
    unit: context.timeUnit,
  };
  const period = { ...context, calibrationCut: endOfDayUtc(context.calibrationEnd, context.timeZone) };
  const credits = (await engine.query(creditsBeforeSql(period.calibrationCut))).length > 0;
  const row = (await engine.query(customerStatsOfSql(period, engine.dialect, credits, customerId)))[0];
  const head = {
    customerId,
    model: {
      kind: purchase.fit.model,
      modelId: purchase.modelId,
      calibrationEnd: purchase.calibrationEnd,
      timeUnit: purchase.timeUnit,
      spendModel: spend !== undefined,
    },
    horizonMonths: months,
  };
  if (!row) return { ...head, prediction: null };
  const x = row.x;
  const tx = row.tx_days / unitDays;
  const T = row.t_days / unitDays;
  const m = x > 0 ? Number(row.repeat_value) / x : null;
  const spent = spend
    ? (() => {
        const a = expectedSpend(spend, x, 0);
        const b = expectedSpend(spend, x, 1) - a;
        return m === null ? a : a + b * m;
      })()
    : m;
  return {
    ...head,
    prediction: {
      frequency: x,
      recency: tx,
      T,
      monetaryValue: m,
      pAlive: pAlive(purchase.fit, x, tx, T),
      expectedPurchases: expectedPurchases(purchase.fit, o.horizon, x, tx, T),
      expectedSpend: spent,
      clv: spent === null ? null : clv(purchase.fit, undefined, x, tx, T, 1, o) * spent,
    },
  };
}
