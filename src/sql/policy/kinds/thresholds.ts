import type { ThresholdsScheme } from "../../../plan/policy.js";
import { raw, sql } from "../../fragment.js";
import type { KindSql, SchemeSql } from "../scheme-sql.js";
import { caseWhen, decimal, gradesSelect, int, toDouble } from "./common.js";

/** `thresholds`: the first tier (from the top) whose minimum the value reaches. */
export function thresholdsSql(plan: ThresholdsScheme, s: SchemeSql): KindSql {
  const v = s.condition(plan.metric);
  const branches = plan.bounds.flatMap((b, i) => {
    if (b.min !== undefined) return [{ when: sql`${v} >= ${decimal(b.min)}`, value: int(i + 1) }];
    if (b.above !== undefined) return [{ when: sql`${v} > ${decimal(b.above)}`, value: int(i + 1) }];
    return [];
  });
  const last = plan.bounds.findIndex((b) => b.min === undefined && b.above === undefined);
  const rank = caseWhen(branches, last >= 0 ? int(last + 1) : raw("NULL"));
  return {
    ctes: [],
    final: gradesSelect("st", { rank, score: v }),
    explain: [{ label: plan.metric.text, value: toDouble(v) }],
  };
}
