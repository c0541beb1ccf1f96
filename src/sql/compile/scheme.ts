import { InternalError } from "../../errors/index.js";
import type { Expression, Window } from "../../plan/expression.js";
import type { Condition, CustomMetricPlan, SchemePlan } from "../../plan/policy.js";
import type { Dialect } from "../dialect/dialect.js";
import { compileExpression } from "../expression.js";
import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";
import type { FactCollector } from "./facts.js";
import { AGGREGATE_SOURCES, allOf, inWindow, METRIC_SQL, type MetricContext } from "./metrics.js";

/** What every scheme of one run shares: the as-of instants, facts being collected, the engine's forms. */
export interface RunSql {
  readonly facts: FactCollector;
  readonly dialect: Dialect;
  readonly asOf: SqlFragment;
  readonly asOfDate: SqlFragment;
  windowStart(window: Window): SqlFragment | undefined;
  readonly customMetrics: ReadonlyMap<string, CustomMetricPlan>;
  /** Set when one entity is graded alone (real time): population-relative kinds read the stored cut-offs. */
  readonly live?: LiveGrading;
}

/** One entity graded alone against the cut-offs a full run stored (src/sql/compile/cutoffs.ts). */
export interface LiveGrading {
  readonly entityId: string;
  /** The run whose cut-offs population-relative schemes are graded against (none: they cannot be). */
  readonly cutoffsRun: number | undefined;
}

/** A kind's compiled grading: CTEs after `st` (population + staged values) and the final SELECT. */
export interface KindSql {
  /** Named relations, each may read `st` and the ones before it. */
  readonly ctes: readonly { readonly name: string; readonly body: SqlFragment }[];
  /**
   * Columns entity_id, tier_rank (1 = top, NULL = no tier), score, rule_no,
   * flags, and `tw_revenue` of `st` carried through unchanged.
   */
  readonly final: SqlFragment;
  /** Whether `final` has a keep_rank column (the tier whose retention bound holds); otherwise it is tier_rank. */
  readonly hasKeepRank?: boolean;
  /**
   * How a full run stores the cut-offs this kind grades one entity against
   * (population-relative kinds only): `score`, the lowest score of each tier
   * in the grades; or a query over the kind's CTEs giving `part, step, value`.
   */
  readonly cutoffs?: "score" | SqlFragment;
  /** Labelled values over `st` that explain a grade (metric values, rule outcomes, indicator scores). */
  readonly explain: readonly { readonly label: string; readonly value: SqlFragment }[];
  /** Labelled values read from one of the kind's CTEs (`k` is its alias), e.g. a cumulative share or a rank. */
  readonly explainFrom?: {
    readonly cte: string;
    readonly values: readonly { readonly label: string; readonly value: (k: SqlFragment) => SqlFragment }[];
  };
}

/**
 * Compiles one scheme's expressions: metrics to facts columns, custom
 * aggregates to facts, population-wide values (percentile ranks) to staged
 * columns of `st`.
 */
export class SchemeSql {
  private readonly staged: { name: string; value: SqlFragment }[] = [];
  private readonly ctx: MetricContext;

  constructor(
    readonly run: RunSql,
    readonly scheme: SchemePlan,
  ) {
    this.ctx = {
      facts: run.facts,
      dialect: run.dialect,
      asOf: run.asOf,
      asOfDate: run.asOfDate,
      windowStart: (w) => run.windowStart(w),
      stage: (value) => this.stage(value),
    };
  }

  /** A value over the whole population (a window function), computed once in `st`. */
  stage(value: SqlFragment): SqlFragment {
    const name = `p_${this.staged.length + 1}`;
    this.staged.push({ name, value });
    return ident(name);
  }

  /** How many population-wide values the scheme stages (graded alone, none can be computed). */
  get stagedCount(): number {
    return this.staged.length;
  }

  /** Extra columns of `st`. */
  stagedColumns(): SqlFragment {
    return join(
      this.staged.map((s) => sql`, ${s.value} AS ${ident(s.name)}`),
      "",
    );
  }

  condition(c: Condition): SqlFragment {
    return this.expression(c.expression);
  }

  /** A condition as a definite boolean (unknown counts as false). */
  test(c: Condition): SqlFragment {
    return sql`COALESCE(${this.condition(c)}, FALSE)`;
  }

  expression(e: Expression): SqlFragment {
    return compileExpression(e as Parameters<typeof compileExpression>[0], {
      dialect: this.run.dialect,
      resolve: (ref) => {
        if (ref.kind === "column") {
          // The entity's own columns come from the facts table; others are of an aggregated table.
          return ref.table === this.scheme.entity ? this.run.facts.column(ref.column) : ident(ref.column);
        }
        if (ref.name === "as_of") return this.run.asOfDate;
        const custom = this.run.customMetrics.get(ref.name);
        if (custom) return sql`(${this.expression(custom.expression)})`;
        const builder = METRIC_SQL[ref.name];
        if (!builder) throw new InternalError(`no SQL for metric ${ref.name}`);
        return builder(this.ctx, [], (x) => this.expression(x));
      },
      metricCall: (name, args, compile) => {
        const builder = METRIC_SQL[name];
        if (!builder) throw new InternalError(`no SQL for metric ${name}`);
        return builder(this.ctx, args, compile);
      },
      aggregate: (fn, table, column, window, filter) => {
        const source = AGGREGATE_SOURCES[table];
        if (!source) throw new InternalError(`${table} cannot be aggregated per customer`);
        const where = allOf(inWindow(this.ctx, source.time, window), filter);
        const agg =
          fn === "count"
            ? column === undefined
              ? sql`count(*) FILTER (WHERE ${where})`
              : sql`count(${ident(column)}) FILTER (WHERE ${where})`
            : sql`${raw(fn)}(${ident(column ?? "")}) FILTER (WHERE ${where})`;
        const fact = this.run.facts.add(source.source, agg);
        return fn === "count" || fn === "sum" ? sql`COALESCE(${fact}, 0)` : fact;
      },
    });
  }

  /** `CASE rank WHEN 1 THEN 'VIP' …`: a tier's name from its rank (names are bound values). */
  tierName(rank: SqlFragment): SqlFragment {
    const whens = this.scheme.tiers.map((t, i) => sql` WHEN ${i + 1} THEN ${t}`);
    return sql`CASE ${rank}${join(whens, "")} END`;
  }

  /** Rank (1-based) of a tier name. */
  rankOf(tier: string): number {
    const i = this.scheme.tiers.indexOf(tier);
    if (i < 0) throw new InternalError(`unknown tier ${tier}`);
    return i + 1;
  }
}
