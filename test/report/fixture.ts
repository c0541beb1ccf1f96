import type { Report } from "../../src/run/report.js";

/**
 * A hand-written report (no store): one scheme whose tier names are hostile
 * markup, CJK and right-to-left text, amounts over a million for the
 * locale's thousands separators. Playbook costs: 61,728.35 (5% of the first
 * tier's revenue, 15.4% of its contribution), 24,000 (3%, 9.6%), 0; in all
 * 85,728.35 = 4.2% of revenue, 13.2% of net contribution.
 */
export function sampleReport(locale = "hu-HU", currency = "HUF"): Report {
  const tiers = [
    { tier: "<script>alert('x')</script>", entities: 98, revenue: 1_234_567, contribution: 400_000, cost: 61_728.35 },
    { tier: "金牌客户", entities: 302, revenue: 800_000, contribution: 250_000, cost: 24_000 },
    { tier: "عميل ذهبي", entities: 600, revenue: 0, contribution: -1_000, cost: 0 },
  ];
  const revenue = 2_034_567;
  const contribution = 649_000;
  return {
    runId: 7,
    asOf: "2026-01-01",
    policyHash: "0123456789abcdef",
    engine: "duckdb",
    currency,
    locale,
    timeZone: "UTC",
    revenueMonths: 12,
    window: { from: "2025-01-01", to: "2026-01-01" },
    schemes: [
      {
        scheme: "value & <grades>",
        kind: "thresholds",
        entity: "customers",
        visibility: "internal",
        graded: 1000,
        outOfScope: 0,
        revenue,
        contribution,
        benefitCost: 85_728.35,
        benefitCostOfRevenue: 85_728.35 / revenue,
        benefitCostOfContribution: 85_728.35 / contribution,
        benefitSentence: "benefits cost 4,2% of revenue and 13,2% of net contribution",
        tiers: tiers.map(({ cost, ...t }, i) => ({
          ...t,
          rank: i + 1,
          benefitCost: cost,
          benefitCostOfRevenue: t.revenue > 0 ? cost / t.revenue : null,
          benefitCostOfContribution: t.contribution > 0 ? cost / t.contribution : null,
          entityShare: t.entities / 1000,
          revenueShare: t.revenue / revenue,
          contributionShare: t.contribution / contribution,
          sentence: `${t.tier}: ${t.entities / 10}% of customers`,
        })),
      },
    ],
    pareto: {
      customers: 1000,
      revenue,
      contribution,
      gini: 0.75,
      top80: 0.098,
      top20: { customers: 0.2, revenue: 0.9 },
      withoutRevenue: 600,
      points: [
        { customers: 0, revenue: 0 },
        { customers: 0.098, revenue: 0.8 },
        { customers: 0.4, revenue: 1 },
        { customers: 1, revenue: 1 },
      ],
      sentences: ["the top 9,8% of customers bring 80% of revenue"],
    },
    crosstab: {
      rows: { scheme: "value & <grades>", tiers: tiers.map((t) => t.tier) },
      columns: { scheme: "ladder", tiers: ["Advocate", "Aware"] },
      customers: 1000,
      cells: [
        { row: "金牌客户", column: "Advocate", entities: 302, revenue: 800_000 },
        { row: "عميل ذهبي", column: "Aware", entities: 600, revenue: 0 },
        { row: "<script>alert('x')</script>", column: "Advocate", entities: 98, revenue: 1_234_567 },
      ],
    },
    history: null,
    crossSell: {
      scheme: "value & <grades>",
      runId: 7,
      asOf: "2026-01-01",
      level: "product",
      tiers: [
        {
          tier: "金牌客户",
          tierRank: 2,
          customers: 302,
          buyers: 300,
          rules: [
            {
              antecedent: "<b>shoes</b>",
              consequent: "socks",
              antecedentName: null,
              consequentName: null,
              customers: 120,
              support: 0.4,
              confidence: 0.75,
              lift: 1.5,
            },
          ],
        },
      ],
    },
    warnings: ["a <b>warning</b>"],
  };
}
