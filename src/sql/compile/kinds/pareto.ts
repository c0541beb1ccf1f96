import type { ParetoScheme } from "../../../plan/policy.js";
import { integer, raw, sql } from "../../fragment.js";
import { rankByScoreCutoffs } from "../cutoffs.js";
import type { KindSql, SchemeSql } from "../scheme.js";
import { caseWhen, decimal, gradesSelect, toDouble } from "./common.js";

/**
 * `pareto`: rank by value, highest first; a class holds everyone whose
 * predecessors' share (the sum of strictly greater values) is below its
 * `upTo`. Equal values share predecessors, so ties go to the higher class.
 * Values below 0 count as 0.
 */
export function paretoSql(plan: ParetoScheme, s: SchemeSql): KindSql {
  // A negative value (e.g. net spend where refunds outweigh purchases in the window) holds no share: 0.
  const v = sql`greatest(COALESCE(${s.condition(plan.metric)}, 0), 0)`;
  const explain = [{ label: plan.metric.text, value: toDouble(v) }];
  if (s.run.live) {
    // Graded alone: against the lowest value of each class in the run that stored the cut-offs.
    const values = sql`SELECT entity_id, ${v} AS v, tw_revenue FROM st`;
    const live = rankByScoreCutoffs(s, raw("v"), plan.bounds.length);
    return {
      ctes: [{ name: "shares", body: values }],
      final: gradesSelect("shares", { rank: live, score: raw("v") }),
      cutoffs: "score",
      explain,
    };
  }
  const shares = sql`SELECT entity_id, v,
    sum(v) OVER (ORDER BY v DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - sum(v) OVER (PARTITION BY v) AS before,
    sum(v) OVER () AS total, tw_revenue FROM (SELECT entity_id, ${v} AS v, tw_revenue FROM st) x`;
  const lastIndex = plan.bounds.length;
  const branches = plan.bounds.flatMap((b, i) =>
    b.upTo === undefined ? [] : [{ when: sql`before * 100 < ${decimal(b.upTo)} * total`, value: integer(i + 1) }],
  );
  const rank = sql`CASE WHEN total <= 0 THEN ${integer(lastIndex)} ELSE ${caseWhen(branches, integer(lastIndex))} END`;
  return {
    ctes: [{ name: "shares", body: shares }],
    final: gradesSelect("shares", { rank, score: raw("v") }),
    cutoffs: "score",
    explain,
    explainFrom: {
      cte: "shares",
      values: [
        {
          label: "share of the total held by those ranked above (%)",
          value: (k) =>
            sql`CASE WHEN ${k}.total > 0 THEN 100 * ${toDouble(sql`${k}.before`)} / ${toDouble(sql`${k}.total`)} END`,
        },
      ],
    },
  };
}
