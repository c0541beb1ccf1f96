import type { SchemePlan } from "../../plan/policy.js";
import type { CompiledScheme } from "../compile/compile-run.js";
import { LIFECYCLE_RULE } from "../compile/lifecycle.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/** `CREATE TEMP TABLE name AS query` (replacing a leftover one). */
export function createTempSql(name: string, query: SqlFragment): SqlFragment[] {
  return [sql`DROP TABLE IF EXISTS ${ident(name)}`, sql`CREATE TEMP TABLE ${ident(name)} AS ${query}`];
}

export function dropTempSql(name: string): SqlFragment {
  return sql`DROP TABLE IF EXISTS ${ident(name)}`;
}

/** Rule numbers of overrides in tw_grades (rules of a scheme are 0 … n). */
export const OVERRIDE_RULES = { fixed: -1, floor: -2, ceiling: -3 } as const;

/** The rule ids of a scheme by rule number: its rules (rules kind: 0 is otherwise), the kind, the overrides. */
export function ruleIds(plan: SchemePlan): { no: number; id: string }[] {
  const own =
    plan.kind === "rules"
      ? [{ no: 0, id: "otherwise" }, ...plan.rules.map((r, i) => ({ no: i + 1, id: r.id }))]
      : [{ no: 0, id: plan.kind === "scorecard" ? "score" : plan.kind }];
  const overrides = Object.entries(OVERRIDE_RULES).map(([mode, no]) => ({ no, id: `override:${mode}` }));
  const lifecycle = plan.lifecycle ? [{ no: LIFECYCLE_RULE, id: "lifecycle" }] : [];
  return [...own, ...overrides, ...lifecycle];
}

/** The names of a run's scheme: the scheme, its tiers by rank, its rules by number. */
export function insertSchemeNamesSql(runId: number, schemeNo: number, plan: SchemePlan): SqlFragment[] {
  const run = integer(runId);
  const no = integer(schemeNo);
  return [
    sql`INSERT INTO ${ident("tw_run_schemes")} VALUES (${run}, ${no}, ${plan.name}, ${plan.kind}, ${plan.entity}, ${plan.visibility})`,
    sql`INSERT INTO ${ident("tw_run_tiers")} VALUES ${join(plan.tiers.map((t, i) => sql`(${run}, ${no}, ${integer(i + 1)}, ${t})`))}`,
    sql`INSERT INTO ${ident("tw_run_rules")} VALUES ${join(ruleIds(plan).map((r) => sql`(${run}, ${no}, ${integer(r.no)}, ${r.id})`))}`,
  ];
}

/**
 * One scheme's grades (after its lifecycle) with the overrides in force at
 * as-of: every column of the grades plus `final_rank`, `override_rank`,
 * `override_rule` and `natural_rule`. The snapshot and the what-if read it.
 */
export function overriddenGradesSql(s: CompiledScheme, asOfDate: string): SqlFragment {
  const tiers = s.plan.tiers;
  const rankOfTier = sql`CASE o.tier${join(
    tiers.map((t, i) => sql` WHEN ${t} THEN ${integer(i + 1)}`),
    "",
  )} END`;
  const active = sql`SELECT o.entity_id, o.mode, ${rankOfTier} AS r FROM ${ident("tw_overrides")} o
    WHERE o.scheme = ${s.plan.name} AND o.removed_at IS NULL AND (o.expires_at IS NULL OR o.expires_at > CAST(${asOfDate} AS DATE))`;
  const finalRank = sql`CASE WHEN o.r IS NULL THEN g.tier_rank WHEN o.mode = 'fixed' THEN o.r
    WHEN o.mode = 'floor' THEN least(g.tier_rank, o.r) WHEN o.mode = 'ceiling' THEN greatest(g.tier_rank, o.r) ELSE g.tier_rank END`;
  const overrideRule = sql`CASE o.mode WHEN 'fixed' THEN ${integer(OVERRIDE_RULES.fixed)} WHEN 'floor' THEN ${integer(OVERRIDE_RULES.floor)}
    ELSE ${integer(OVERRIDE_RULES.ceiling)} END`;
  const kindRule = s.plan.kind === "rules" ? raw("g.rule_no") : integer(0);
  const life = s.plan.lifecycle !== undefined;
  // A tier the lifecycle holds (not the one the rules give) has the lifecycle's rule.
  const ruleNo = life
    ? sql`CASE WHEN g.tier_rank <> g.qualified_rank THEN ${integer(LIFECYCLE_RULE)} ELSE ${kindRule} END`
    : kindRule;
  const lifeColumns = raw(
    life
      ? ", g.qualified_rank, g.pending_rank, g.life_state, g.due_on, g.entered_on, g.below_count, g.below_since"
      : "",
  );
  const graded = sql`SELECT g.entity_id, g.tier_rank, g.score, g.flags, g.revenue, ${finalRank} AS final_rank, o.r AS override_rank,
    ${overrideRule} AS override_rule, ${ruleNo} AS natural_rule${lifeColumns}
    FROM ${ident(life ? s.lifecycleTable : s.gradesTable)} g LEFT JOIN (${active}) o ON o.entity_id = g.entity_id WHERE g.tier_rank IS NOT NULL`;
  return graded;
}

/**
 * Write one scheme's grades into the snapshot, with overrides in force at
 * as-of applied: `fixed` sets the tier, `floor` lets the entity rise but not
 * fall below it, `ceiling` lets it fall but not rise above it. Overrides name
 * tiers; one naming a tier the scheme no longer has is ignored. An override
 * that changes the tier records its mode as the rule; `natural_rank` keeps
 * the scheme's own tier wherever an override is in force.
 */
export function insertGradesSql(runId: number, schemeNo: number, s: CompiledScheme, asOfDate: string): SqlFragment {
  const life = s.plan.lifecycle !== undefined;
  const graded = overriddenGradesSql(s, asOfDate);
  const lifeInto = raw(
    life ? ", qualified_rank, pending_rank, life_state, due_on, entered_on, below_count, below_since" : "",
  );
  const lifeValues = raw(
    life
      ? ", x.qualified_rank, x.pending_rank, x.life_state, x.due_on, x.entered_on, x.below_count, x.below_since"
      : "",
  );
  return sql`INSERT INTO ${ident("tw_grades")} (run_id, scheme_no, entity_id, tier_rank, score, rule_no, natural_rank, flags, revenue${lifeInto})
  SELECT ${integer(runId)}, ${integer(schemeNo)}, x.entity_id, x.final_rank, x.score,
    CASE WHEN x.final_rank <> x.tier_rank THEN x.override_rule ELSE x.natural_rule END,
    CASE WHEN x.override_rank IS NOT NULL THEN x.tier_rank END, x.flags, x.revenue${lifeValues}
  FROM (${graded}) x`;
}

export function insertRunSql(row: {
  runId: number;
  asOf: string;
  startedAt: string;
  durationMs: number;
  policyHash: string;
  policyText: string;
  fingerprint: string;
  engine: string;
  summary: string;
}): SqlFragment {
  return sql`INSERT INTO ${ident("tw_runs")} VALUES (${integer(row.runId)}, CAST(${row.asOf} AS DATE), CAST(${row.startedAt} AS TIMESTAMP),
  CAST(${new Date().toISOString().replace("T", " ").slice(0, 23)} AS TIMESTAMP), ${integer(Math.round(row.durationMs))}, ${row.policyHash},
  ${row.policyText}, ${row.fingerprint}, ${row.engine}, ${row.summary})`;
}

/** Per scheme (by number) and tier rank: entities, revenue. */
export function tierTotalsSql(runId: number) {
  return select(
    { scheme_no: col.integer, tier_rank: col.integer, entities: col.integer, revenue: col.amount },
    sql`SELECT scheme_no, tier_rank, count(*) AS entities, COALESCE(sum(revenue), 0) AS revenue
  FROM ${ident("tw_grades")} WHERE run_id = ${integer(runId)} GROUP BY scheme_no, tier_rank ORDER BY scheme_no, tier_rank`,
  );
}

/** Entities of each kind known at as-of (for out-of-scope counts). */
export function entityCountSql(table: string) {
  return select({ n: col.integer }, sql`SELECT count(*) AS n FROM ${ident(table)}`);
}

/** A cheap fingerprint of the data: row counts and sums per table. */
export function fingerprintSql() {
  const part = (table: string, extra: SqlFragment) =>
    sql`(SELECT CAST(count(*) AS VARCHAR) || ':' || ${extra} FROM ${ident(table)})`;
  const parts = [
    part("customers", raw("COALESCE(CAST(max(customer_id) AS VARCHAR), '')")),
    part(
      "orders",
      raw("COALESCE(CAST(sum(amount) AS VARCHAR), '') || ':' || COALESCE(CAST(max(ordered_at) AS VARCHAR), '')"),
    ),
    part("order_lines", raw("COALESCE(CAST(sum(quantity) AS VARCHAR), '')")),
    part("invoices", raw("COALESCE(CAST(sum(amount) AS VARCHAR), '')")),
    part("interactions", raw("COALESCE(CAST(max(\"at\") AS VARCHAR), '')")),
    part("leads", raw("COALESCE(CAST(max(created_at) AS VARCHAR), '')")),
    part("tw_ratings", raw("COALESCE(CAST(max(rating_id) AS VARCHAR), '')")),
  ];
  return select({ fp: col.text }, sql`SELECT ${join(parts, " || '|' || ")} AS fp`);
}
