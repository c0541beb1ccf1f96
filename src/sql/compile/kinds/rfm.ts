import type { RfmScheme } from "../../../plan/policy.js";
import { integer, raw, type SqlFragment, sql } from "../../fragment.js";
import { stepByCutoffs } from "../cutoffs.js";
import type { KindSql, SchemeSql } from "../scheme.js";
import { caseWhen, gradesSelect, toDouble } from "./common.js";

/**
 * `rfm`: each of R, F, M scored 1..5 as 1 + ⌊5 (rank − 1) / n⌋, ranking from
 * worst to best so that equal values share a score (deterministic on every
 * engine, unlike ntile). Recency ranks descending (fewer days is better).
 * Segments by R and F; score = 100 R + 10 F + M.
 */
export function rfmSql(plan: RfmScheme, s: SchemeSql): KindSql {
  const d = s.run.dialect;
  const quintile = (order: SqlFragment) =>
    sql`1 + ${d.intDiv(sql`5 * (rank() OVER (ORDER BY ${order}) - 1)`, sql`count(*) OVER ()`)}`;
  const values = sql`SELECT entity_id, ${s.condition(plan.recency)} AS rv, ${s.condition(plan.frequency)} AS fv,
    ${s.condition(plan.monetary)} AS mv, tw_revenue FROM st`;
  // Graded alone: each score from the value each score step started at in the run that stored the cut-offs.
  const alone = (part: string, value: string, smallerIsBetter = false) =>
    stepByCutoffs(s, part, raw(value), [5, 4, 3, 2], 1, smallerIsBetter);
  const scores = s.run.live
    ? sql`${alone("r", "rv", true)} AS r, ${alone("f", "fv")} AS f, ${alone("m", "mv")} AS m`
    : sql`${quintile(raw("rv DESC"))} AS r, ${quintile(raw("fv"))} AS f, ${quintile(raw("mv"))} AS m`;
  const scored = sql`SELECT entity_id, ${scores}, tw_revenue
    FROM rfm_values WHERE rv IS NOT NULL AND fv IS NOT NULL AND mv IS NOT NULL`;
  // A score step starts at the worst value that earned it (recency: the most days).
  const step = (part: string, score: string, value: string, agg: string) =>
    sql`SELECT ${part} AS part, s.${raw(score)} AS step, ${toDouble(raw(`${agg}(v.${value})`))} AS value
    FROM rfm_scores s JOIN rfm_values v ON v.entity_id = s.entity_id GROUP BY s.${raw(score)}`;
  const cutoffs = sql`${step("r", "r", "rv", "max")} UNION ALL ${step("f", "f", "fv", "min")} UNION ALL ${step("m", "m", "mv", "min")}`;
  const rank = caseWhen(
    plan.segments.map((seg) => ({
      when: sql`r BETWEEN ${integer(seg.r[0])} AND ${integer(seg.r[1])} AND f BETWEEN ${integer(seg.f[0])} AND ${integer(seg.f[1])}`,
      value: integer(s.rankOf(seg.tier)),
    })),
  );
  return {
    ctes: [
      { name: "rfm_values", body: values },
      { name: "rfm_scores", body: scored },
    ],
    final: gradesSelect("rfm_scores", { rank, score: raw("r * 100 + f * 10 + m") }),
    cutoffs,
    explain: [
      { label: `recency: ${plan.recency.text}`, value: toDouble(s.condition(plan.recency)) },
      { label: `frequency: ${plan.frequency.text}`, value: toDouble(s.condition(plan.frequency)) },
      { label: `monetary: ${plan.monetary.text}`, value: toDouble(s.condition(plan.monetary)) },
    ],
    explainFrom: {
      cte: "rfm_scores",
      values: [
        { label: "R score (1-5)", value: (k) => sql`${k}.r` },
        { label: "F score (1-5)", value: (k) => sql`${k}.f` },
        { label: "M score (1-5)", value: (k) => sql`${k}.m` },
      ],
    },
  };
}
