import type { IndicatorPlan, ScorecardScheme } from "../../../plan/policy.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../../fragment.js";
import { rankByScoreCutoffs } from "../cutoffs.js";
import type { KindSql, SchemeSql } from "../scheme.js";
import { caseWhen, decimal, gradesSelect, toDouble } from "./common.js";
import { topShareRank } from "./quantiles.js";

/** `f` clamped to 0..100; NULL stays NULL (greatest/least would skip it and give 100). */
const clamp100 = (f: SqlFragment) => sql`CASE WHEN ${f} IS NULL THEN NULL ELSE greatest(0, least(100, ${f})) END`;

/** An indicator's value normalised to 0..100 (NULL when the value is missing). */
function normalised(ind: IndicatorPlan, v: SqlFragment, s: SchemeSql): SqlFragment {
  const n = ind.normalise;
  switch (n.method) {
    case "value":
      return clamp100(toDouble(v));
    case "percentile": {
      const count = sql`count(${v}) OVER ()`;
      const rank = sql`rank() OVER (PARTITION BY ${v} IS NULL ORDER BY ${v})`;
      return s.stage(
        sql`CASE WHEN ${v} IS NULL THEN NULL WHEN ${count} = 1 THEN CAST(100 AS DOUBLE PRECISION) ELSE ${toDouble(sql`100 * (${rank} - 1)`)} / (${count} - 1) END`,
      );
    }
    case "min-max": {
      const lo = s.stage(toDouble(sql`min(${v}) OVER ()`));
      const hi = s.stage(toDouble(sql`max(${v}) OVER ()`));
      return sql`CASE WHEN ${v} IS NULL THEN NULL WHEN ${hi} = ${lo} THEN CAST(100 AS DOUBLE PRECISION) ELSE 100 * (${toDouble(v)} - ${lo}) / (${hi} - ${lo}) END`;
    }
    case "linear-clamp":
      return clamp100(sql`100 * (${toDouble(v)} - ${toDouble(sql`${n.from}`)}) / ${toDouble(sql`${n.to - n.from}`)}`);
    case "bands":
      return caseWhen(
        [
          { when: sql`${v} IS NULL`, value: raw("NULL") },
          ...n.bands.map((b) => ({ when: sql`${v} >= ${decimal(b.min)}`, value: toDouble(sql`${b.points}`) })),
        ],
        toDouble(integer(0)),
      );
  }
}

/**
 * `scorecard`: indicators normalised to 0..100 and weighted; a missing value
 * scores its policy's neutral score (flagged) or is excluded (the other
 * weights are scaled up). The score is rounded to 6 decimals, so every engine
 * grades the same number.
 */
export function scorecardSql(plan: ScorecardScheme, s: SchemeSql): KindSql {
  const parts = plan.indicators.map((ind) => {
    const v = s.condition(ind.value);
    const norm = normalised(ind, v, s);
    const col = (suffix: string) => ident(`${ind.name}_${suffix}`);
    return { ind, v, norm, col };
  });
  const cols = parts.map((p) => sql`${p.norm} AS ${p.col("n")}, ${toDouble(p.v)} AS ${p.col("v")}`);
  const indicators = sql`SELECT entity_id, ${join(cols)}${plan.alone ? sql`, ${s.test(plan.alone.when)} AS alone` : raw("")}, tw_revenue FROM st`;
  const weighted = parts.map((p) => {
    const w = toDouble(sql`${p.ind.weight}`);
    if (p.ind.missing.policy === "score")
      return sql`${w} * COALESCE(${p.col("n")}, ${toDouble(sql`${p.ind.missing.score}`)})`;
    return sql`${w} * COALESCE(${p.col("n")}, 0)`;
  });
  const present = parts.map((p) =>
    p.ind.missing.policy === "exclude"
      ? sql`CASE WHEN ${p.col("n")} IS NULL THEN 0 ELSE ${toDouble(sql`${p.ind.weight}`)} END`
      : toDouble(sql`${p.ind.weight}`),
  );
  let score = sql`(${join(weighted, " + ")}) / NULLIF(${join(present, " + ")}, 0)`;
  const alone = plan.alone && parts.find((p) => p.ind.name === plan.alone?.indicator);
  if (alone) {
    const fallback = alone.ind.missing.policy === "score" ? toDouble(sql`${alone.ind.missing.score}`) : raw("NULL");
    score = sql`CASE WHEN alone THEN COALESCE(${alone.col("n")}, ${fallback}) ELSE ${score} END`;
  }
  const flagged = parts.filter((p) => p.ind.missing.policy === "score" && p.ind.missing.flag);
  const missing = (list: typeof parts) =>
    list.length === 0
      ? raw("CAST(NULL AS VARCHAR)")
      : sql`NULLIF(concat_ws(',', ${join(list.map((p) => sql`CASE WHEN ${p.col("n")} IS NULL THEN ${`${p.ind.name} missing`} END`))}), '')`;
  // Graded on one indicator alone, only that indicator's missing value is worth a flag.
  const flags = alone
    ? sql`CASE WHEN alone THEN ${missing(flagged.filter((p) => p === alone))} ELSE ${missing(flagged)} END`
    : missing(flagged);
  const scored = sql`SELECT entity_id, round(CAST(${score} AS DECIMAL(18,6)), 6) AS score, ${flags} AS flags, tw_revenue FROM indicators`;
  let rank: SqlFragment;
  let from = "scored";
  const ctes = [
    { name: "indicators", body: indicators },
    { name: "scored", body: scored },
  ];
  if (plan.grading.by === "score") {
    const branches = plan.grading.bounds.flatMap((b, i) =>
      b.min === undefined ? [] : [{ when: sql`score >= ${decimal(b.min)}`, value: integer(i + 1) }],
    );
    const last = plan.grading.bounds.findIndex((b) => b.min === undefined);
    rank = sql`CASE WHEN score IS NULL THEN NULL ELSE ${caseWhen(branches, last >= 0 ? integer(last + 1) : raw("NULL"))} END`;
  } else if (s.run.live) {
    // Graded alone: against the lowest score of each tier in the run that stored the cut-offs.
    rank = sql`CASE WHEN score IS NULL THEN NULL ELSE ${rankByScoreCutoffs(s, raw("score"), plan.grading.bounds.length)} END`;
  } else {
    ctes.push({
      name: "score_ranks",
      body: sql`SELECT entity_id, score, flags, tw_revenue, rank() OVER (ORDER BY score DESC NULLS LAST) AS r, count(score) OVER () AS n FROM scored`,
    });
    from = "score_ranks";
    rank = sql`CASE WHEN score IS NULL THEN NULL ELSE ${topShareRank(plan.grading.bounds)} END`;
  }
  return {
    ctes,
    final: gradesSelect(from, { rank, score: raw("score"), flags: raw("flags") }),
    ...(plan.grading.by === "score" ? {} : { cutoffs: "score" as const }),
    explain: parts.flatMap((p) => [
      { label: `${p.ind.name}: ${p.ind.value.text}`, value: toDouble(p.v) },
      { label: `${p.ind.name} (0-100, weight ${p.ind.weight})`, value: p.norm },
    ]),
  };
}
