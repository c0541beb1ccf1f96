import { benefitCost } from "../decisions/benefit-cost.js";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { type Formats, formats } from "../format/formats.js";
import type { PlaybookPlan } from "../plan/playbook.js";
import { findRun, planFromText, previousAsOf, runsOfScheme } from "../run/runs.js";
import { midnightUtc, shiftBack } from "../sql/compile/as-of.js";
import {
  crosstabSql,
  namesSql,
  paretoPointsSql,
  paretoSummarySql,
  type ReportWindow,
  reportSchemesSql,
  reportTiersSql,
} from "../sql/insight/report.js";
import { hasRowsSql } from "../sql/store/store-meta.js";
import { churn } from "./churn.js";
import { migrations } from "./migrations.js";
import { type AssociationRulesReport, associationRules } from "./recommend.js";

export type * from "./report-types.js";

import type {
  Crosstab,
  Pareto,
  ParetoPoint,
  Report,
  ReportAtRisk,
  ReportChurn,
  ReportCrossSell,
  ReportHistory,
  ReportMigrations,
  ReportMover,
  ReportOptions,
  ReportRule,
  ReportScheme,
  ReportTier,
  ReportTierRules,
} from "./report-types.js";

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

interface SummaryScheme {
  readonly scheme?: unknown;
  readonly outOfScope?: unknown;
}

function outOfScopeFrom(summary: string): Map<string, number> {
  try {
    const parsed = JSON.parse(summary) as { schemes?: SummaryScheme[] };
    return new Map(
      (parsed.schemes ?? [])
        .filter((s) => typeof s.scheme === "string" && typeof s.outOfScope === "number")
        .map((s) => [s.scheme as string, s.outOfScope as number]),
    );
  } catch {
    return new Map();
  }
}

interface RunScheme {
  readonly no: number;
  readonly scheme: string;
  readonly kind: string;
  readonly entity: "customers" | "leads";
  readonly visibility: string;
}

async function schemesOf(
  engine: Engine,
  runId: number,
  summary: string,
  window: ReportWindow,
  pct: (x: number | null) => string,
  pricing: { readonly months: number; readonly playbooks: (scheme: string) => readonly PlaybookPlan[] | undefined },
): Promise<{ list: RunScheme[]; reports: ReportScheme[] }> {
  const list: RunScheme[] = (await engine.query(reportSchemesSql(runId))).map((r) => ({
    no: r.scheme_no,
    scheme: r.scheme,
    kind: r.kind,
    entity: r.entity === "leads" ? "leads" : "customers",
    visibility: r.visibility,
  }));
  const customerNos = list.filter((s) => s.entity === "customers").map((s) => s.no);
  const rows = await engine.query(reportTiersSql(runId, customerNos, window));
  const outOfScope = outOfScopeFrom(summary);
  const reports = list.map((s): ReportScheme => {
    const mine = rows.filter((r) => r.scheme_no === s.no);
    const customers = s.entity === "customers";
    const graded = mine.reduce((n, r) => n + r.entities, 0);
    const revenue = mine.reduce((n, r) => n + r.revenue, 0);
    const contribution = customers ? mine.reduce((n, r) => n + r.contribution, 0) : null;
    const playbooks = customers ? pricing.playbooks(s.scheme) : undefined;
    const priced = playbooks !== undefined && playbooks.length > 0;
    // Costs are yearly; revenue and contribution cover the revenue window: both are annualised.
    const yearly = (x: number) => (x * 12) / pricing.months;
    const ratio = (cost: number | null, of: number | null) =>
      cost === null || of === null ? null : share(cost, yearly(of));
    const tiers = mine.map((r): ReportTier => {
      const entities = r.entities;
      const rev = r.revenue;
      const con = customers ? r.contribution : null;
      const entityShare = share(entities, graded);
      const revenueShare = share(rev, revenue);
      const what = customers ? "revenue" : "pipeline amount";
      const tier = r.tier;
      const cost = priced
        ? benefitCost(
            playbooks.find((p) => p.tier === tier),
            { customers: entities, yearlySpend: yearly(rev) },
          ).total
        : null;
      return {
        tier,
        rank: r.tier_rank,
        entities,
        entityShare,
        revenue: rev,
        revenueShare,
        contribution: con,
        contributionShare: con === null || contribution === null ? null : share(con, contribution),
        benefitCost: cost,
        benefitCostOfRevenue: ratio(cost, rev),
        benefitCostOfContribution: ratio(cost, con),
        sentence: `${tier}: ${pct(entityShare)} of ${s.entity}, ${pct(revenueShare)} of ${what}`,
      };
    });
    const cost = priced ? Math.round(tiers.reduce((n, t) => n + (t.benefitCost ?? 0), 0) * 100) / 100 : null;
    const ofRevenue = ratio(cost, revenue);
    const ofContribution = ratio(cost, contribution);
    const benefitSentence =
      cost === null
        ? null
        : ofRevenue === null
          ? "benefits cost money but the scheme's customers brought no revenue"
          : `benefits cost ${pct(ofRevenue)} of revenue${ofContribution === null ? "" : ` and ${pct(ofContribution)} of net contribution`}`;
    return {
      scheme: s.scheme,
      kind: s.kind,
      entity: s.entity,
      visibility: s.visibility,
      graded,
      outOfScope: outOfScope.get(s.scheme) ?? null,
      revenue,
      contribution,
      benefitCost: cost,
      benefitCostOfRevenue: ofRevenue,
      benefitCostOfContribution: ofContribution,
      benefitSentence,
      tiers,
    };
  });
  return { list, reports };
}

async function paretoOf(
  engine: Engine,
  runId: number,
  customerNos: readonly number[],
  window: ReportWindow,
  months: number,
  f: Formats,
): Promise<Pareto> {
  const pct = f.percent;
  const [s] = await engine.query(paretoSummarySql(runId, customerNos, window));
  const n = s?.n ?? 0;
  const total = s?.total ?? 0;
  const points: ParetoPoint[] = [{ customers: 0, revenue: 0 }];
  if (n > 0) {
    for (const p of await engine.query(paretoPointsSql(runId, customerNos)))
      points.push({
        customers: round(p.k / n),
        revenue: total > 0 ? round(p.cum / total) : round(p.k / n),
      });
  }
  const hasRevenue = s !== undefined && n > 0 && total > 0;
  const gini = hasRevenue ? round((n + 1) / n - (2 * s.weighted) / (n * total)) : null;
  const top80 = hasRevenue && s.k80 !== null ? s.k80 / n : null;
  const k20 = Math.ceil(n / 5);
  const top20 = hasRevenue ? { customers: k20 / n, revenue: s.top20 / total } : null;
  const zero = s?.zero ?? 0;
  const span = `the last ${months} months`;
  const sentences: string[] = [];
  if (!hasRevenue) sentences.push(`no graded customer brought revenue in ${span}`);
  else {
    if (top80 !== null) sentences.push(`the top ${pct(top80)} of customers bring ${pct(0.8)} of revenue`);
    if (top20) sentences.push(`the top ${pct(top20.customers)} of customers bring ${pct(top20.revenue)} of revenue`);
    if (gini !== null)
      sentences.push(
        `Gini coefficient ${f.decimal(gini, 2)}: ${gini >= 0.8 ? "revenue is highly concentrated" : gini >= 0.5 ? "revenue is concentrated" : "revenue is broadly spread"}`,
      );
    if (zero > 0) sentences.push(`${pct(zero / n)} of customers brought no revenue in ${span}`);
  }
  return {
    customers: n,
    revenue: total,
    contribution: s?.contribution ?? 0,
    gini,
    top80: top80 === null ? null : round(top80),
    top20: top20 === null ? null : { customers: round(top20.customers), revenue: round(top20.revenue) },
    withoutRevenue: zero,
    points,
    sentences,
  };
}

async function crosstabOf(
  engine: Engine,
  runId: number,
  a: RunScheme,
  b: RunScheme,
  reports: readonly ReportScheme[],
): Promise<Crosstab> {
  const tiers = (s: RunScheme) => reports.find((r) => r.scheme === s.scheme)?.tiers.map((t) => t.tier) ?? [];
  const rowTiers = tiers(a);
  const colTiers = tiers(b);
  const cells = (await engine.query(crosstabSql(runId, a.no, b.no))).map((c) => ({
    row: rowTiers[c.a_rank - 1] ?? `rank ${c.a_rank}`,
    column: colTiers[c.b_rank - 1] ?? `rank ${c.b_rank}`,
    entities: c.entities,
    revenue: c.revenue,
  }));
  return {
    rows: { scheme: a.scheme, tiers: rowTiers },
    columns: { scheme: b.scheme, tiers: colTiers },
    customers: cells.reduce((n, c) => n + c.entities, 0),
    cells,
  };
}

/** Names of these customers or products by id, in one query (ids without a name are missing from the map). */
async function namesOf(
  engine: Engine,
  table: "customers" | "products",
  ids: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await engine.query(namesSql(table, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function historyOf(
  engine: Engine,
  run: { runId: number; asOf: string },
  scheme: string,
  options: ReportOptions,
): Promise<ReportHistory> {
  const runs = await runsOfScheme(engine, scheme);
  const at = runs.findIndex((r) => r.runId === run.runId);
  const earlier = at >= 0 && previousAsOf(runs, run) !== undefined;
  const notes: string[] = [];
  const migrated = earlier ? await migrations(engine, { scheme, to: run.runId, movers: options.movers ?? 10 }) : null;
  if (!earlier) notes.push(`run ${run.runId} is the first run of ${scheme}: migrations and churn need an earlier run`);
  const c = earlier && at === 0 ? await churn(engine, { scheme, every: "quarter", limit: options.atRisk ?? 20 }) : null;
  if (earlier && at > 0) notes.push(`churn and the at-risk list are shown for the latest run of ${scheme} only`);
  // the listed customers' names, one query for movers and at-risk together
  const names = await namesOf(engine, "customers", [
    ...(migrated?.movers.map((m) => m.entityId) ?? []),
    ...(c?.atRisk.map((a) => a.customerId) ?? []),
  ]);
  const moved: ReportMigrations | null = migrated && {
    ...migrated,
    movers: migrated.movers.map((m): ReportMover => ({ ...m, name: names.get(m.entityId) ?? null })),
  };
  const turned: ReportChurn | null = c && {
    every: "quarter",
    definition: c.definition,
    periods: c.periods,
    atRisk: c.atRisk.map((a): ReportAtRisk => ({ ...a, name: names.get(a.customerId) ?? null })),
  };
  return { scheme, migrations: moved, churn: turned, notes };
}

/** The rules with their products' names (product level only: at category level the items are names already). */
async function namedRules(engine: Engine, rules: AssociationRulesReport): Promise<ReportCrossSell> {
  const products =
    rules.level === "product"
      ? await namesOf(
          engine,
          "products",
          rules.tiers.flatMap((t) => t.rules.flatMap((r) => [r.antecedent, r.consequent])),
        )
      : new Map<string, string>();
  return {
    ...rules,
    tiers: rules.tiers.map(
      (t): ReportTierRules => ({
        ...t,
        rules: t.rules.map(
          (r): ReportRule => ({
            ...r,
            antecedentName: products.get(r.antecedent) ?? null,
            consequentName: products.get(r.consequent) ?? null,
          }),
        ),
      }),
    ),
  };
}

function pickScheme(list: readonly RunScheme[], name: string, runId: number): RunScheme {
  const found = list.find((s) => s.scheme === name);
  if (!found) throw new TierwiseError("UNKNOWN_SCHEME", { scheme: name, where: `run ${runId}` });
  if (found.entity !== "customers") throw TierwiseError.of("option.leads-report", { scheme: name });
  return found;
}

/**
 * The report of one run (default: the latest): per scheme the tiers'
 * customers, revenue and net contribution with their shares (and, for a
 * scheme with playbooks, each tier's yearly benefit cost against them); the Pareto
 * curve and Gini coefficient of revenue; a crosstab of two customer schemes;
 * and, once the store holds an earlier run, migrations, churn by tier and
 * the customers at risk. Every total is computed in SQL, set-based.
 *
 * @example
 * const report = await buildReport(store, { crosstab: ["value-grades", "relationship-ladder"] });
 * console.log(report.pareto?.sentences[0]); // "the top 18% of customers bring 80% of revenue"
 */
export async function buildReport(engine: Engine, options: ReportOptions = {}): Promise<Report> {
  const run = await findRun(engine, options.run);
  const plan = planFromText(run.policyText);
  const locale = options.locale ?? plan.locale;
  try {
    new Intl.NumberFormat(locale);
  } catch {
    throw TierwiseError.of("option.unknown-locale", { locale });
  }
  const currency = options.currency ?? plan.currency;
  const f = formats(locale, currency);
  const pct = f.percent;
  const from = shiftBack(run.asOf, plan.revenueMonths, "month");
  const window: ReportWindow = { start: midnightUtc(from, plan.timeZone), end: midnightUtc(run.asOf, plan.timeZone) };
  const { list, reports } = await schemesOf(engine, run.runId, run.summary, window, pct, {
    months: plan.revenueMonths,
    playbooks: (name) => plan.schemes.find((s) => s.name === name)?.playbooks,
  });
  const customerSchemes = list.filter((s) => s.entity === "customers");
  const customerNos = customerSchemes.map((s) => s.no);
  const pareto =
    customerNos.length === 0 ? null : await paretoOf(engine, run.runId, customerNos, window, plan.revenueMonths, f);

  let crosstab: Crosstab | null = null;
  if (options.crosstab) {
    const [a, b] = options.crosstab;
    crosstab = await crosstabOf(
      engine,
      run.runId,
      pickScheme(list, a, run.runId),
      pickScheme(list, b, run.runId),
      reports,
    );
  } else {
    const [a, b] = customerSchemes;
    if (a && b) crosstab = await crosstabOf(engine, run.runId, a, b, reports);
  }

  const historyScheme = options.historyScheme
    ? pickScheme(list, options.historyScheme, run.runId).scheme
    : customerSchemes[0]?.scheme;
  const history = historyScheme ? await historyOf(engine, run, historyScheme, options) : null;
  const lines = ((await engine.query(hasRowsSql("order_lines")))[0]?.n ?? 0) > 0;
  const rules =
    historyScheme && lines && options.crossSell !== false
      ? await associationRules(engine, { scheme: historyScheme, run: run.runId, rulesPerTier: 5 })
      : null;
  const crossSell = rules && (await namedRules(engine, rules));
  const warnings: string[] = [];
  try {
    const parsed = JSON.parse(run.summary) as { warnings?: unknown };
    if (Array.isArray(parsed.warnings)) warnings.push(...parsed.warnings.map(String));
  } catch {
    // an unreadable summary only loses its warnings
  }
  return {
    runId: run.runId,
    asOf: run.asOf,
    policyHash: run.policyHash,
    engine: run.engine,
    currency,
    locale,
    timeZone: plan.timeZone,
    revenueMonths: plan.revenueMonths,
    window: { from, to: run.asOf },
    schemes: reports,
    pareto,
    crosstab,
    history,
    crossSell,
    warnings,
  };
}
