import type { AtRiskCustomer, ChurnPeriod } from "./churn.js";
import type { Migrations, Mover } from "./migrations.js";
import type { AssociationRule, AssociationRulesReport, TierAssociationRules } from "./recommend.js";

/** The shape of a report (`tierwise report --format json` prints exactly this); built by report.ts. */
export interface ReportOptions {
  /** The run to report on (default: the latest). */
  readonly run?: number;
  /** The two customer schemes of the crosstab (default: the run's first two customer schemes). */
  readonly crosstab?: readonly [string, string];
  /** The scheme of the history sections (default: the run's first customer scheme). */
  readonly historyScheme?: string;
  /** Overrides the policy's `locale` (numbers, dates and currency in sentences and renderings). */
  readonly locale?: string;
  /** Overrides the label of the run's money (ISO 4217): the amounts are the store's, only their currency is named. */
  readonly currency?: string;
  /** How many at-risk customers and movers to list (default 20 and 10). */
  readonly atRisk?: number;
  readonly movers?: number;
  /** Whether to include the tiers' cross-sell association rules (default true; needs order lines). */
  readonly crossSell?: boolean;
}

/** One tier of one scheme in the run. Shares are 0..1; a share is null when its total is not positive. */
export interface ReportTier {
  readonly tier: string;
  readonly rank: number;
  readonly entities: number;
  readonly entityShare: number | null;
  /** Customers: net spend over the revenue window, as recorded by the run; leads: their amount. */
  readonly revenue: number;
  readonly revenueShare: number | null;
  /** Customers: net contribution over the revenue window; null for leads. */
  readonly contribution: number | null;
  readonly contributionShare: number | null;
  /**
   * The yearly cost of the tier's playbook in the run's recorded policy
   * (`benefitCost`: the tier's customers, its revenue annualised to 12
   * months); null when the scheme has no playbooks (or grades leads). A tier
   * without a playbook costs 0.
   */
  readonly benefitCost: number | null;
  /** Benefit cost ÷ the tier's revenue annualised (null without cost or without positive revenue). */
  readonly benefitCostOfRevenue: number | null;
  /** Benefit cost ÷ the tier's net contribution annualised (null without cost or without positive contribution). */
  readonly benefitCostOfContribution: number | null;
  /** "VIP: 9.8% of customers, 31.2% of revenue". */
  readonly sentence: string;
}

export interface ReportScheme {
  readonly scheme: string;
  readonly kind: string;
  readonly entity: "customers" | "leads";
  readonly visibility: string;
  readonly graded: number;
  /** Entities known at as-of outside the scheme's population (from the run's summary; null if not recorded). */
  readonly outOfScope: number | null;
  readonly revenue: number;
  readonly contribution: number | null;
  /** Σ of the tiers' yearly benefit cost; null when the scheme has no playbooks. */
  readonly benefitCost: number | null;
  readonly benefitCostOfRevenue: number | null;
  readonly benefitCostOfContribution: number | null;
  /** "benefits cost 4.2% of revenue and 7.6% of net contribution" (null without playbooks). */
  readonly benefitSentence: string | null;
  /** Best tier first. */
  readonly tiers: readonly ReportTier[];
}

/** A point of the Pareto / Lorenz curve: the top `customers` share (best first) brings the `revenue` share. */
export interface ParetoPoint {
  readonly customers: number;
  readonly revenue: number;
}

export interface Pareto {
  /** Customers graded by any customer scheme of the run. */
  readonly customers: number;
  readonly revenue: number;
  readonly contribution: number;
  /**
   * Gini coefficient of revenue over those customers, population form:
   * G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄) = (n + 1)/n − 2 Σₖ k·x₍ₖ₎ / (n Σx), k = 1 for the highest revenue.
   * 0 = everyone brings the same, (n − 1)/n = one customer brings everything. Null without revenue.
   */
  readonly gini: number | null;
  /** The smallest top share of customers bringing at least 80% of revenue (null without revenue). */
  readonly top80: number | null;
  /** The top ⌈n/5⌉ customers' share of customers and of revenue. */
  readonly top20: { readonly customers: number; readonly revenue: number } | null;
  /** Customers without revenue in the window. */
  readonly withoutRevenue: number;
  /** From (0, 0) to (1, 1), at most 101 points, best customers first. */
  readonly points: readonly ParetoPoint[];
  /** "the top 18% of customers bring 80% of revenue", … */
  readonly sentences: readonly string[];
}

export interface CrosstabCell {
  /** Tier of the row scheme and of the column scheme. */
  readonly row: string;
  readonly column: string;
  readonly entities: number;
  readonly revenue: number;
}

export interface Crosstab {
  readonly rows: { readonly scheme: string; readonly tiers: readonly string[] };
  readonly columns: { readonly scheme: string; readonly tiers: readonly string[] };
  /** Customers graded by both schemes. */
  readonly customers: number;
  /** Non-empty cells only. */
  readonly cells: readonly CrosstabCell[];
}

/** A customer at risk, with their name from the customers table (null when it has none). */
export interface ReportAtRisk extends AtRiskCustomer {
  readonly name: string | null;
}

export interface ReportChurn {
  readonly every: "quarter";
  readonly definition: { readonly days: number; readonly k: number };
  readonly periods: readonly ChurnPeriod[];
  readonly atRisk: readonly ReportAtRisk[];
}

/** A mover, with the customer's name (null when the customers table has none). */
export interface ReportMover extends Mover {
  readonly name: string | null;
}

/** The migrations of `tierwise migrations`, their movers named. */
export interface ReportMigrations extends Omit<Migrations, "movers"> {
  readonly movers: readonly ReportMover[];
}

/** A cross-sell rule with the products' names (null at category level or when the product has no name). */
export interface ReportRule extends AssociationRule {
  readonly antecedentName: string | null;
  readonly consequentName: string | null;
}

export interface ReportTierRules extends Omit<TierAssociationRules, "rules"> {
  readonly rules: readonly ReportRule[];
}

/** The association rules of `tierwise recommend`, their products named. */
export interface ReportCrossSell extends Omit<AssociationRulesReport, "tiers"> {
  readonly tiers: readonly ReportTierRules[];
}

export interface ReportHistory {
  readonly scheme: string;
  /** The run's scheme compared with its previous run (null: this is the scheme's first run). */
  readonly migrations: ReportMigrations | null;
  /** Churn by tier over the 12 months before as-of, and who is at risk (null unless this is the scheme's latest run and an earlier run exists). */
  readonly churn: ReportChurn | null;
  /** Why a part is missing, in a sentence (empty when both are there). */
  readonly notes: readonly string[];
}

/** Everything `tierwise report` shows; the JSON format is this object. */
export interface Report {
  readonly runId: number;
  readonly asOf: string;
  readonly policyHash: string;
  readonly engine: string;
  readonly currency: string;
  readonly locale: string;
  readonly timeZone: string;
  /** The revenue window: `revenueMonths` months before as-of (`from` inclusive, `to` = as-of exclusive). */
  readonly revenueMonths: number;
  readonly window: { readonly from: string; readonly to: string };
  readonly schemes: readonly ReportScheme[];
  /** Null when the run has no customer scheme. */
  readonly pareto: Pareto | null;
  /** Null when the run has fewer than two customer schemes. */
  readonly crosstab: Crosstab | null;
  /** Null when the run has no customer scheme. */
  readonly history: ReportHistory | null;
  /** The strongest cross-sell rules per tier of the history scheme (docs/schemes.md §11); null without order lines. */
  readonly crossSell: ReportCrossSell | null;
  readonly warnings: readonly string[];
}
