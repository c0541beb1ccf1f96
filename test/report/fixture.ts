import type { Report } from "../../src/insight/report.js";

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

/**
 * The hardest page to lay out (hand-written, no store): en-US euros, a
 * scheme with long tier names and eleven columns (benefit costs), money in
 * the tens of millions (€12,345,679), a crosstab of eight columns, movers and
 * customers at risk with long names and reasons, cross-sell rules with long
 * product names. The layout tests in Chromium run on this page.
 */
export function crowdedReport(): Report {
  const base = sampleReport("en-US", "EUR");
  const names = [
    "Platinum Partners of the Year",
    "Gold — loyal buyers with a contract",
    "金牌客户",
    "عميل ذهبي",
    "Occasional",
    "Dormant since last year",
  ];
  const big = 12_345_678.9;
  const tiers = names.map((tier, i) => {
    const entities = [1_234, 23_456, 345_678, 98_765, 1_000_000, 2_000_000][i] ?? 0;
    const revenue = i < 4 ? big * (4 - i) : 0;
    const contribution = i < 4 ? -987_654.32 * (i + 1) + revenue / 3 : -12_345.67;
    const cost = i < 4 ? 1_234_567.89 * (4 - i) : 0;
    return {
      tier,
      rank: i + 1,
      entities,
      entityShare: entities / 3_469_133,
      revenue,
      revenueShare: revenue / (big * 10),
      contribution,
      contributionShare: 0.123,
      benefitCost: cost,
      benefitCostOfRevenue: revenue > 0 ? cost / revenue : null,
      benefitCostOfContribution: contribution > 0 ? cost / contribution : null,
      sentence: `${tier}: 1% of customers`,
    };
  });
  const scheme = base.schemes[0];
  if (!scheme || !base.pareto) throw new Error("sampleReport changed");
  const ladder = ["Advocate", "Supporter", "Customer", "Purchaser", "Prospect", "Aware", "Lapsed", "Unknown"];
  const longName = (i: number) =>
    [
      "Maximilian Alexander von Hohenzollern-Sigmaringen",
      "Nguyễn Thị Lan Hương Trading Company Limited",
      "Ολυμπιακές Μεταφορές και Εμπόριο Ανώνυμη Εταιρεία",
      "株式会社グローバル・トレーディング・ホールディングス",
    ][i % 4] ?? "";
  return {
    ...base,
    policyHash: "fedcba9876543210",
    schemes: [
      {
        ...scheme,
        scheme: "value-grades with a long scheme name",
        graded: 3_469_133,
        outOfScope: 1_234_567,
        revenue: big * 10,
        contribution: 23_456_789.01,
        benefitCost: 12_345_678.9,
        benefitCostOfRevenue: 0.1,
        benefitCostOfContribution: 0.526,
        benefitSentence: "benefits cost 10% of revenue and 52.6% of net contribution",
        tiers,
      },
    ],
    pareto: {
      ...base.pareto,
      customers: 3_469_133,
      revenue: big * 10,
      contribution: 23_456_789.01,
      top80: 0.62,
      withoutRevenue: 3_000_000,
      points: [
        { customers: 0, revenue: 0 },
        { customers: 0.62, revenue: 0.8 },
        { customers: 1, revenue: 1 },
      ],
    },
    crosstab: {
      rows: { scheme: "value-grades with a long scheme name", tiers: names },
      columns: { scheme: "relationship-ladder", tiers: ladder },
      customers: 3_469_133,
      cells: names.flatMap((row, i) =>
        ladder.map((column, j) => ({ row, column, entities: (i + 1) * (j + 1) * 12_345, revenue: 0 })),
      ),
    },
    history: {
      scheme: "value-grades with a long scheme name",
      notes: [],
      migrations: {
        scheme: "value-grades with a long scheme name",
        kind: "thresholds",
        locale: base.locale,
        currency: base.currency,
        from: { runId: 6, asOf: "2025-10-01" },
        to: { runId: 7, asOf: "2026-01-01" },
        tiers: names,
        matrix: names.map((from, i) => ({
          from,
          to: names[(i + 1) % names.length] ?? null,
          entities: 123_456,
          revenue: 0,
        })),
        totals: { upgraded: 123_456, downgraded: 234_567, stayed: 3_000_000, entered: 45_678, left: 5_678 },
        movers: [0, 1, 2, 3].map((i) => ({
          entityId: `C-000${i}-2024-LONG-ID`,
          name: longName(i),
          from: names[i + 1] ?? "",
          to: names[i] ?? "",
          direction: "up" as const,
          revenue: big,
          fromScore: null,
          toScore: null,
          ruleId: null,
          reason:
            "spend(12 months) rose from 11,274,123.69 to 12,345,678.90, over Platinum Partners of the Year's 10,000,000",
        })),
      },
      churn: {
        every: "quarter",
        definition: { days: 180, k: 3 },
        periods: [
          {
            start: "2025-10-01",
            end: "2026-01-01",
            runId: 6,
            tiers: names.map((tier) => ({ tier, customers: 345_678, turned: 12_345, share: 0.0357, revenueLost: big })),
          },
        ],
        atRisk: [0, 1, 2, 3].map((i) => ({
          customerId: `C-100${i}-2024-LONG-ID`,
          name: longName(i + 1),
          tier: names[i] ?? null,
          lastOrder: "2025-09-30",
          medianGap: 45,
          expected: "2025-11-14",
          turnsOn: "2026-03-30",
          spend: big,
        })),
      },
    },
    crossSell: {
      scheme: "value-grades with a long scheme name",
      runId: 7,
      asOf: "2026-01-01",
      level: "product",
      tiers: names.slice(0, 2).map((tier, i) => ({
        tier,
        tierRank: i + 1,
        customers: 123_456,
        buyers: 120_000,
        rules: [
          {
            antecedent: "SKU-TRAIL-SHOE-0042",
            consequent: "SKU-WOOL-SOCKS-0099",
            antecedentName: "Trail running shoe, waterproof, men's wide fit",
            consequentName: "Merino wool hiking socks (three pairs)",
            customers: 12_345,
            support: 0.1,
            confidence: 0.756,
            lift: 12.34,
          },
        ],
      })),
    },
    warnings: [],
  };
}
