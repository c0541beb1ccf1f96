import type { ThresholdsScheme } from "../../../plan/policy.js";
import { raw, sql } from "../../fragment.js";
import type { KindSql, SchemeSql } from "../scheme.js";
import { caseWhen, decimal, gradesSelect, int, toDouble } from "./common.js";

/** `thresholds`: the first tier (from the top) whose minimum the value reaches. */
export function thresholdsSql(plan: ThresholdsScheme, s: SchemeSql): KindSql {
  const v = s.condition(plan.metric);
  const last = plan.bounds.findIndex((b) => b.min === undefined && b.above === undefined);
  const rankBy = (retention: boolean) => {
    const branches = plan.bounds.flatMap((b, i) => {
      if (retention && b.keep !== undefined) return [{ when: sql`${v} >= ${decimal(b.keep)}`, value: int(i + 1) }];
      if (b.min !== undefined) return [{ when: sql`${v} >= ${decimal(b.min)}`, value: int(i + 1) }];
      if (b.above !== undefined) return [{ when: sql`${v} > ${decimal(b.above)}`, value: int(i + 1) }];
      return [];
    });
    return caseWhen(branches, last >= 0 ? int(last + 1) : raw("NULL"));
  };
  const retention = plan.lifecycle !== undefined && plan.bounds.some((b) => b.keep !== undefined);
  return {
    ctes: [],
    final: gradesSelect("st", { rank: rankBy(false), score: v, ...(retention ? { keepRank: rankBy(true) } : {}) }),
    hasKeepRank: retention,
    explain: [{ label: plan.metric.text, value: toDouble(v) }],
  };
}
