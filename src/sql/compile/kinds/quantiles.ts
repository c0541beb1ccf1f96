import type { QuantilesScheme } from "../../../plan/policy.js";
import { integer, raw, type SqlFragment, sql } from "../../fragment.js";
import { rankByScoreCutoffs } from "../cutoffs.js";
import type { KindSql, SchemeSql } from "../scheme.js";
import { caseWhen, decimal, gradesSelect, toDouble } from "./common.js";

/**
 * Tier ranks for "top x %" bounds over a ranked relation with columns `r`
 * (rank, highest value first, ties share the best rank) and `n` (count):
 * an entity is in the top x % when (r − 1) × 100 < x × n.
 */
export function topShareRank(bounds: readonly { readonly top?: number }[]): SqlFragment {
  const branches = bounds.flatMap((b, i) =>
    b.top === undefined ? [] : [{ when: sql`(r - 1) * 100 < ${decimal(b.top)} * n`, value: integer(i + 1) }],
  );
  return caseWhen(branches, integer(bounds.length));
}

/** `quantiles`: top x % by a metric; entities without a value get the last tier. */
export function quantilesSql(plan: QuantilesScheme, s: SchemeSql): KindSql {
  const v = s.condition(plan.metric);
  const explain = [{ label: plan.metric.text, value: toDouble(v) }];
  if (s.run.live) {
    // Graded alone: against the lowest value of each tier in the run that stored the cut-offs.
    const values = sql`SELECT entity_id, ${v} AS v, tw_revenue FROM st`;
    const live = sql`CASE WHEN v IS NULL THEN ${integer(plan.bounds.length)} ELSE ${rankByScoreCutoffs(s, raw("v"), plan.bounds.length)} END`;
    return {
      ctes: [{ name: "ranked", body: values }],
      final: gradesSelect("ranked", { rank: live, score: raw("v") }),
      cutoffs: "score",
      explain,
    };
  }
  const ranked = sql`SELECT entity_id, v, rank() OVER (ORDER BY v DESC NULLS LAST) AS r, count(*) OVER () AS n, tw_revenue
    FROM (SELECT entity_id, ${v} AS v, tw_revenue FROM st) x`;
  const rank = sql`CASE WHEN v IS NULL THEN ${integer(plan.bounds.length)} ELSE ${topShareRank(plan.bounds)} END`;
  return {
    ctes: [{ name: "ranked", body: ranked }],
    final: gradesSelect("ranked", { rank, score: raw("v") }),
    cutoffs: "score",
    explain,
    explainFrom: {
      cte: "ranked",
      values: [
        { label: "rank (1 = highest)", value: (k) => sql`${k}.r` },
        { label: "of", value: (k) => sql`${k}.n` },
      ],
    },
  };
}
