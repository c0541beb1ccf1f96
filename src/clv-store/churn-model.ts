import { fitBgNbd } from "../clv/index.js";
import type { Engine } from "../engine/engine.js";
import { DEFAULT_CLV, type PolicyPlan } from "../plan/policy.js";
import { CLV_STATS_TABLE } from "../sql/clv-store/stats.js";
import { shiftBack } from "../sql/compile/as-of.js";
import type { ChurnModel } from "../sql/compile/churn.js";
import { dropTempSql } from "../sql/run/snapshot.js";
import { endOfDayUtc, UNIT_DAYS } from "./period.js";
import { buildCustomerStats, inUnit, readPurchaseGroups } from "./stats.js";

/**
 * The churn definition's CLV criterion (policy `churn.p_alive`, docs/schemes.md
 * §10): BG/NBD fitted on every customer's purchase days before `asOf` (in the
 * policy's zone and `clv.time_unit`), with the P(alive) threshold. Undefined
 * when the policy does not ask for it. Throws the model core's coded error
 * when the data cannot support the model.
 */
export async function fitChurnModel(engine: Engine, plan: PolicyPlan, asOf: string): Promise<ChurnModel | undefined> {
  const theta = plan.churn?.pAlive;
  if (theta === undefined) return undefined;
  const calibrationEnd = shiftBack(asOf, 1, "day");
  const unit = (plan.clv ?? DEFAULT_CLV).timeUnit;
  const period = {
    calibrationEnd,
    calibrationCut: endOfDayUtc(calibrationEnd, plan.timeZone),
    timeZone: plan.timeZone,
  };
  try {
    await buildCustomerStats(engine, period);
    const fit = fitBgNbd(inUnit(await readPurchaseGroups(engine), UNIT_DAYS[unit]), {
      prior: plan.clv?.prior ?? "none",
    });
    return { ...fit.params, unitDays: UNIT_DAYS[unit], theta };
  } finally {
    await engine.exec(dropTempSql(CLV_STATS_TABLE));
  }
}
