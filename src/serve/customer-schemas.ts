import { z } from "zod";
import { CUSTOMER_SORTS } from "../sql/serve/customers.js";

/** The parameters of `GET /customers` added after the first slice: at-risk filter and sort order. */
export const CUSTOMER_SEARCH = {
  at_risk: z
    .enum(["true", "false"])
    .optional()
    .describe(
      "true: only customers at risk as of the latest run (churn's definition: past their expected next order, not turned); false: only the others",
    ),
  sort: z
    .enum(CUSTOMER_SORTS)
    .default("id")
    .describe(
      "order of the pages, then by id: id, name, revenue (net spend of the run's revenue window) or score (of `scheme`); `-` descending; no value last",
    ),
};

export const HistoryQuery = z.object({
  scheme: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^\p{Cc}]*$/u, "must not hold control characters")
    .optional()
    .describe("only this scheme's changes"),
});

const TierChange = z.object({
  asOf: z.string().describe("as-of date (YYYY-MM-DD) of the run where the change shows"),
  runId: z.number().int(),
  scheme: z.string(),
  from: z.string().nullable().describe("null: not graded before (entered)"),
  to: z.string().nullable().describe("null: left the scheme's scope"),
  direction: z.enum(["up", "down", "entered", "left", "renamed"]),
  ruleId: z.string().nullable(),
  score: z.number().nullable(),
  reason: z.string(),
});

/** One customer's tier changes across the stored runs: what `tierwise history ID --json` prints. */
export const CustomerHistory = z.object({
  entityId: z.string(),
  changes: z.array(TierChange).readonly(),
});

export const RecommendationsQuery = z.object({
  scheme: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^\p{Cc}]*$/u, "must not hold control characters")
    .optional()
    .describe("the scheme whose tiers are the peer groups (default: the first customer scheme of the latest run)"),
  level: z.enum(["product", "category"]).default("product").describe("recommend products or categories"),
  top: z.coerce.number().int().min(1).max(50).default(5).describe("items, 1 to 50"),
});

/** One customer's cross-selling recommendations: their rows of `tierwise recommend`'s file. */
export const CustomerRecommendations = z.object({
  customerId: z.string(),
  scheme: z.string(),
  runId: z.number().int(),
  asOf: z.string(),
  level: z.enum(["product", "category"]),
  tier: z.string().nullable().describe("the customer's tier in the scheme; null: not graded (no items)"),
  items: z
    .array(
      z.object({
        rank: z.number().int(),
        item: z.string(),
        name: z.string().nullable(),
        support: z.number().describe("share of the tier's buyers who bought the item"),
        confidence: z
          .number()
          .nullable()
          .describe("of the strongest rule from the customer's items; null: by popularity"),
        lift: z.number().nullable(),
      }),
    )
    .readonly(),
});

export const ClvQuery = z.object({
  months: z.coerce.number().int().min(1).max(120).default(12).describe("horizon in months, 1 to 120"),
});

/** One customer's CLV figures from the stored models: their row of `tierwise clv predict`. */
export const CustomerClvBody = z.object({
  customerId: z.string(),
  model: z.object({
    kind: z.string().describe("the purchase model: bgnbd or pareto-nbd"),
    modelId: z.number().int(),
    calibrationEnd: z.string(),
    timeUnit: z.enum(["day", "week"]),
    spendModel: z.boolean().describe("a Gamma-Gamma spend model is stored (else spend is the customer's mean)"),
  }),
  horizonMonths: z.number().int(),
  prediction: z
    .object({
      frequency: z.number().int(),
      recency: z.number(),
      T: z.number(),
      monetaryValue: z.number().nullable(),
      pAlive: z.number(),
      expectedPurchases: z.number(),
      expectedSpend: z.number().nullable(),
      clv: z.number().nullable(),
    })
    .nullable()
    .describe("null: no completed order by the calibration end"),
});
