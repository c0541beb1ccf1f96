import { TABLES } from "../../model/index.js";
import type { Window } from "../../plan/expression.js";
import type { Entity } from "../../plan/metrics.js";
import type { PolicyPlan, SchemePlan } from "../../plan/policy.js";
import type { ClvColumn } from "../clv-store/metrics.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";
import { type Query, records } from "../row.js";
import { type AsOf, midnightUtc, windowStartDate } from "./as-of.js";
import { scoreCutoffsSql } from "./cutoffs.js";
import { FactCollector, type FactSource, type KeyedParts, leadsQuery, type SharedSources } from "./facts.js";
import { paretoSql } from "./kinds/pareto.js";
import { quantilesSql } from "./kinds/quantiles.js";
import { rfmSql } from "./kinds/rfm.js";
import { rulesSql } from "./kinds/rules.js";
import { scorecardSql } from "./kinds/scorecard.js";
import { thresholdsSql } from "./kinds/thresholds.js";
import { spendMetric } from "./metrics.js";
import { type KindSql, type LiveGrading, type RunSql, SchemeSql } from "./scheme.js";

/** One scheme, compiled: the query grading every entity, and what explains a grade. */
export interface CompiledScheme {
  readonly plan: SchemePlan;
  /** Temp table holding the grades before they are written to the snapshot. */
  readonly gradesTable: string;
  /** Temp table holding the grades after the scheme's lifecycle rules (schemes with a lifecycle). */
  readonly lifecycleTable: string;
  /** SELECT entity_id, tier_rank, score, rule_no, flags, revenue (one row per entity in the population). */
  readonly grades: SqlFragment;
  /** SELECT entity_id, tier_rank, score, rule_no, flags, revenue, e_1 … e_n for one entity (parameter appended by explain). */
  explainFor(entityId: string): Query<Readonly<Record<string, unknown>>>;
  /** The same columns as `explainFor`, for every entity of the population (a server keeps them per run). */
  readonly explainAll: SqlFragment;
  readonly explainLabels: readonly string[];
  /** How many of the labels (the last ones) come from the kind's CTE (columns x_1 …) rather than `st` (e_1 …). */
  readonly explainFromCount: number;
  /**
   * How the scheme depends on the population: `free` (one entity's grade
   * needs only its own facts), `relative` (ranked against the population:
   * graded alone against stored cut-offs) or `staged` (a population-wide
   * value such as a percentile normalisation: cannot be graded alone).
   */
  readonly population: "free" | "relative" | "staged";
  /**
   * The fact sources the scheme's grade reads (its population, metrics and
   * rules; not the revenue column every scheme carries). Exact when the
   * scheme is compiled alone; otherwise also those of the schemes before it.
   */
  readonly gradeSources: ReadonlySet<FactSource>;
  /** SELECT part, step, value: the cut-offs a full run stores for `relative` schemes (after the grades table is built). */
  readonly cutoffs?: SqlFragment;
}

export interface CompiledRun {
  /** `CREATE TEMP TABLE tw_facts_customers AS …` and for leads; run first, outside the transaction. */
  readonly facts: readonly { readonly entity: Entity; readonly table: string; readonly query: SqlFragment }[];
  readonly schemes: readonly CompiledScheme[];
  /** The CLV metrics the policy names: the run builds their table before the facts (empty: none). */
  readonly clv: readonly ClvColumn[];
  /** The sources the customers' facts read (the same for every as-of date of a policy). */
  readonly sources: ReadonlySet<FactSource>;
  /** Per source whose every aggregate has parts (see FactParts), those parts. */
  readonly parts: ReadonlyMap<FactSource, readonly KeyedParts[]>;
}

/** The as-of instant of a date: local midnight in the policy's time zone, as a UTC TIMESTAMP. */
export function asOfInstant(date: string, timeZone: string): SqlFragment {
  return sql`CAST(${midnightUtc(date, timeZone)} AS TIMESTAMP)`;
}

const KIND_SQL: {
  readonly [K in SchemePlan["kind"]]: (plan: Extract<SchemePlan, { kind: K }>, s: SchemeSql) => KindSql;
} = {
  thresholds: thresholdsSql,
  rules: rulesSql,
  scorecard: scorecardSql,
  pareto: paretoSql,
  quantiles: quantilesSql,
  rfm: rfmSql,
};

function kindSql(plan: SchemePlan, s: SchemeSql): KindSql {
  return (KIND_SQL[plan.kind] as (p: SchemePlan, s: SchemeSql) => KindSql)(plan, s);
}

const FACT_TABLES: Readonly<Record<Entity, string>> = { customers: "tw_facts_customers", leads: "tw_facts_leads" };

function entityColumns(entity: Entity): string[] {
  const table = TABLES.find((t) => t.name === entity);
  return (table?.columns ?? []).filter((c) => c.type !== "json").map((c) => c.name);
}

/**
 * Compile a checked policy for one as-of date and engine: the facts queries
 * (one grouped scan per source table) and one grading query per scheme.
 * `shared` names relations built once for several dates (a backfill; see
 * sharedSourcesSql) that the facts read instead of joining order lines anew.
 */
export function compileRun(
  plan: PolicyPlan,
  asOf: AsOf,
  dialect: Dialect,
  shared: SharedSources = {},
  live?: LiveGrading,
): CompiledRun {
  const facts = new FactCollector();
  const instant = (date: string) => asOfInstant(date, asOf.timeZone);
  const run: RunSql = {
    facts,
    dialect,
    asOf: instant(asOf.date),
    asOfDate: sql`CAST(${asOf.date} AS DATE)`,
    windowStart: (w: Window) => {
      const start = windowStartDate(asOf.date, w);
      return start === undefined ? undefined : instant(start);
    },
    customMetrics: new Map(plan.metrics.map((m) => [m.name, m])),
    ...(live ? { live } : {}),
  };
  const schemes = plan.schemes.map((scheme, i): CompiledScheme => {
    const s = new SchemeSql(run, scheme);
    const kind = kindSql(scheme, s);
    const population = scheme.population ? s.test(scheme.population) : raw("TRUE");
    const gradeSources = new Set(facts.sources);
    const revenueMonths: Window = {
      kind: "duration",
      amount: plan.revenueMonths,
      unit: "month",
      span: { offset: 0, end: 0, line: 1, column: 1 },
    };
    const revenue =
      scheme.entity === "customers"
        ? spendMetric(
            {
              facts,
              dialect: run.dialect,
              asOf: run.asOf,
              asOfDate: run.asOfDate,
              windowStart: run.windowStart,
              stage: (v) => s.stage(v),
            },
            [revenueMonths],
            () => raw("NULL"),
          )
        : sql`COALESCE(${facts.column("amount")}, 0)`;
    const explain = kind.explain.map((e, k) => sql`${e.value} AS ${ident(`e_${k + 1}`)}`);
    const pop = sql`SELECT * FROM ${ident(FACT_TABLES[scheme.entity])} WHERE ${population}`;
    const withs = (extra: SqlFragment) => {
      const ctes = [
        sql`pop AS (${pop})`,
        sql`st AS (SELECT pop.*, ${revenue} AS tw_revenue${s.stagedColumns()} FROM pop)`,
        ...kind.ctes.map((c) => sql`${ident(c.name)} AS (${c.body})`),
        sql`g AS (${kind.final})`,
      ];
      return sql`WITH ${join(ctes)} ${extra}`;
    };
    const body = (where: SqlFragment, extra: SqlFragment, joins: SqlFragment = raw("")) =>
      withs(sql`SELECT g.entity_id, g.tier_rank, g.score, g.rule_no, g.flags, g.tw_revenue AS revenue${extra}
  FROM g JOIN st ON st.entity_id = g.entity_id${joins}${where}`);
    // Kinds carry tw_revenue through to g, so grading needs no join back to st (a 1M-row hash join per scheme).
    const keepRank = scheme.lifecycle ? raw(kind.hasKeepRank ? ", keep_rank" : ", tier_rank AS keep_rank") : raw("");
    const grades = withs(
      sql`SELECT entity_id, tier_rank, score, rule_no, flags, tw_revenue AS revenue${keepRank} FROM g`,
    );
    const from = kind.explainFrom;
    const k = ident("k");
    const fromValues = (from?.values ?? []).map((v, j) => sql`${v.value(k)} AS ${ident(`x_${j + 1}`)}`);
    const extra = [...explain, ...fromValues];
    const explainJoin = from ? sql` LEFT JOIN ${ident(from.cte)} k ON k.entity_id = g.entity_id` : raw("");
    const gradesTable = `tw_grades_${i + 1}`;
    const cutoffs =
      kind.cutoffs === undefined
        ? undefined
        : kind.cutoffs === "score"
          ? scoreCutoffsSql(gradesTable)
          : withs(sql`SELECT part, step, value FROM (${kind.cutoffs}) x`);
    return {
      plan: scheme,
      gradesTable,
      gradeSources,
      population: s.stagedCount > 0 ? "staged" : kind.cutoffs !== undefined ? "relative" : "free",
      ...(cutoffs ? { cutoffs } : {}),
      lifecycleTable: `tw_life_${i + 1}`,
      grades,
      explainFor: (id) =>
        records(body(sql` WHERE g.entity_id = ${id}`, extra.length ? sql`, ${join(extra)}` : raw(""), explainJoin)),
      explainAll: body(raw(""), extra.length ? sql`, ${join(extra)}` : raw(""), explainJoin),
      explainFromCount: from?.values.length ?? 0,
      explainLabels: [...kind.explain.map((e) => e.label), ...(from?.values ?? []).map((v) => v.label)],
    };
  });
  const entities = new Set(plan.schemes.map((s) => s.entity));
  const factQueries = [...entities].map((entity) => ({
    entity,
    table: FACT_TABLES[entity],
    query:
      entity === "customers"
        ? facts.customersQuery(run.asOf, facts.usedColumns(entityColumns("customers")), shared, live?.entityId)
        : leadsQuery(run.asOf, facts.usedColumns(entityColumns("leads"))),
  }));
  const parts = new Map<FactSource, readonly KeyedParts[]>();
  for (const source of facts.sources) {
    const list = facts.keyedParts(source);
    if (list) parts.set(source, list);
  }
  return { facts: factQueries, schemes, sources: facts.sources, parts, clv: facts.clvColumns() };
}
