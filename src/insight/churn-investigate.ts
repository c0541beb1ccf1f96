import { fitChurnModel } from "../clv-store/churn-model.js";
import type { Engine } from "../engine/engine.js";
import { didYouMean, TierwiseError } from "../errors/index.js";
import { formats } from "../format/formats.js";
import { CHURN_SIGNALS, CHURN_SOURCE_MISSING, type ChurnSignal } from "../plan/churn-signals.js";
import type { ChurnPlan } from "../plan/policy.js";
import { planFromText, schemeRun } from "../run/runs.js";
import { churnInvestigationSql, churnSignalSourcesSql } from "../sql/insight/churn-investigate.js";
import { defaultChurnScheme } from "./churn.js";
import { compareSignal, effectStrength, type SignalSums } from "./churn-effect.js";
import { churnSentence } from "./churn-sentence.js";

export interface ChurnInvestigationOptions {
  /** The scheme (default: the first customer scheme of the latest run, as `churn`). */
  readonly scheme?: string;
  /** The tier to investigate (default the scheme's top tier). */
  readonly tier?: string;
  /** The run whose grades form the cohort and whose as-of decides who has turned (default the scheme's latest run). */
  readonly run?: number;
  /** The length of each customer's window in days (default 90). */
  readonly days?: number;
}

/** One group's side of a signal. */
export interface ChurnSignalGroup {
  /** Customers with a value (for discount share: with a completed order in their window). */
  readonly customers: number;
  /** Customers whose value is above zero. */
  readonly withSignal: number;
  /** The mean per customer (a share from 0 to 1 for discount share); null without customers. */
  readonly mean: number | null;
}

/** One signal compared between churned and retained customers of the tier. */
export interface ChurnSignalComparison {
  readonly signal: ChurnSignal;
  readonly churned: ChurnSignalGroup;
  readonly retained: ChurnSignalGroup;
  /** Churned mean / retained mean; null when a mean is missing or the retained mean is 0. */
  readonly ratio: number | null;
  /** Cohen's d (churned − retained, pooled standard deviation); null when it cannot be computed. */
  readonly effect: number | null;
  /** No variance in either group and different means: ranked above every d. */
  readonly separated: boolean;
  /** "churned Gold customers filed 3.1x more complaints in their last 90 days (…)". */
  readonly sentence: string;
}

interface InvestigationHead {
  readonly scheme: string;
  readonly tier: string;
  readonly runId: number;
  readonly asOf: string;
  /** The run's policy locale and currency: the sentences and text renderings format every number in them. */
  readonly locale: string;
  readonly currency: string;
}

/** The investigation of one tier: signals ranked by effect size. */
export interface ChurnInvestigationReport extends InvestigationHead {
  readonly kind: "investigation";
  readonly definition: ChurnPlan;
  readonly days: number;
  /** Customers of the tier who had turned by as-of. */
  readonly churned: number;
  /** Customers of the tier who had not. */
  readonly retained: number;
  /** Customers of the tier without a completed order before as-of: neither, left out. */
  readonly withoutOrders: number;
  /** Ranked: separated first, then by |effect|, signals without an effect last. */
  readonly signals: readonly ChurnSignalComparison[];
  /** Signals left out because their source is empty. */
  readonly unavailable: readonly { readonly signal: ChurnSignal; readonly reason: string }[];
}

/** The lowest tier: its churn is no real loss and triggers nothing (docs/schemes.md §1, §10). */
export interface ChurnInvestigationSkipped extends InvestigationHead {
  readonly kind: "lowest-tier";
  readonly message: string;
}

export type ChurnInvestigation = ChurnInvestigationReport | ChurnInvestigationSkipped;

const big = (v: unknown): bigint => (v === null || v === undefined ? 0n : BigInt(String(v)));

/**
 * For the customers a run graded in one tier, compare those who had turned
 * by the run's as-of (docs/schemes.md §10, the policy's `churn:` definition) with
 * those retained, over each customer's last `days` days: the window ends
 * with the last order day for a churned customer and the day before as-of
 * for a retained one. Complaints, unfounded complaints, returns, discount
 * share, categories bought, newly launched products bought, products
 * stopped buying and service interactions, ranked by effect size (Cohen's
 * d), each with a plain-language line. The scheme's lowest tier is not
 * investigated (`kind: "lowest-tier"`).
 *
 * @example
 * const r = await investigateChurn(store, { scheme: "three-tier", tier: "Tier 3 – lifetime" });
 * if (r.kind === "investigation") for (const s of r.signals) console.log(s.sentence);
 */
export async function investigateChurn(
  engine: Engine,
  options: ChurnInvestigationOptions = {},
): Promise<ChurnInvestigation> {
  const days = options.days ?? 90;
  if (!Number.isInteger(days) || days < 1 || days > 3660)
    throw TierwiseError.of("option.whole-number", { option: "--days", max: 3660, value: days });
  const { scheme, run } = await schemeRun(engine, options.scheme, options.run, defaultChurnScheme);
  const plan = planFromText(run.policyText);
  const schemePlan = plan.schemes.find((s) => s.name === scheme);
  if (schemePlan?.entity !== "customers") throw TierwiseError.of("option.leads-churn", { scheme });
  const tiers = schemePlan.tiers;
  const tier = options.tier ?? tiers[0] ?? "";
  const rank = tiers.indexOf(tier) + 1;
  if (rank === 0)
    throw new TierwiseError(
      "UNKNOWN_TIER",
      { scheme, tier },
      undefined,
      didYouMean(tier, tiers) ?? `tiers: ${tiers.join(", ")}`,
    );
  const head = { scheme, tier, runId: run.runId, asOf: run.asOf, locale: plan.locale, currency: plan.currency };
  if (rank === tiers.length)
    return {
      kind: "lowest-tier",
      ...head,
      message: `${tier} is the lowest tier of ${scheme}: a churned ${tier} customer is no real loss and triggers no investigation`,
    };

  const [sources] = await engine.query(churnSignalSourcesSql());
  const available = CHURN_SIGNALS.filter((s) => (sources?.[s.source] ?? 0) > 0);
  const definition = plan.churn ?? { days: 180, k: 3 };
  const model = await fitChurnModel(engine, plan, run.asOf);
  const rows = await engine.query(
    churnInvestigationSql({
      dialect: engine.dialect,
      asOf: run.asOf,
      ...definition,
      ...(model ? { model } : {}),
      run,
      tierRank: rank,
      windowDays: days,
      signals: available.map((s) => s.name),
    }),
  );
  const group = (turned: number | null) =>
    rows.find(({ turned: t }) => (t === null || t === undefined ? null : Number(t)) === turned) ?? {};
  const customersOf = ({ customers }: Readonly<Record<string, unknown>>) => Number(big(customers));
  const churnedRow = group(1);
  const retainedRow = group(0);
  const sums = (row: Readonly<Record<string, unknown>>, s: ChurnSignal): SignalSums => ({
    n: big(row[`${s}_n`]),
    sum: big(row[`${s}_s`]),
    sumOfSquares: big(row[`${s}_q`]),
  });
  const signals = available
    .map((def) => {
      const c = sums(churnedRow, def.name);
      const r = sums(retainedRow, def.name);
      const e = compareSignal(c, r, def.scale);
      const churned = {
        customers: Number(c.n),
        withSignal: Number(big(churnedRow[`${def.name}_p`])),
        mean: e.meanChurned,
      };
      const retained = {
        customers: Number(r.n),
        withSignal: Number(big(retainedRow[`${def.name}_p`])),
        mean: e.meanRetained,
      };
      const sentence = churnSentence(
        { signal: def.name, tier, days, churned, retained },
        formats(plan.locale, plan.currency),
      );
      return {
        signal: def.name,
        churned,
        retained,
        ratio: e.ratio,
        effect: e.effect,
        separated: e.separated,
        sentence,
      };
    })
    .sort((a, b) => effectStrength(b) - effectStrength(a));
  return {
    kind: "investigation",
    ...head,
    definition,
    days,
    churned: customersOf(churnedRow),
    retained: customersOf(retainedRow),
    withoutOrders: customersOf(group(null)),
    signals,
    unavailable: CHURN_SIGNALS.filter((s) => !available.includes(s)).map((s) => ({
      signal: s.name,
      reason: CHURN_SOURCE_MISSING[s.source],
    })),
  };
}
