import { z } from "zod";
import { RunRef } from "./schemas.js";

/** The zod schemas of `GET /members/{id}/status` (member-routes.ts): what a customer-facing key may read. */

export const MemberParams = z.object({ id: z.string().min(1).max(1000).describe("customer id") });

const MemberProgress = z.object({
  tier: z.string().describe("the tier it leads to"),
  metric: z.string().describe("what is measured, e.g. spend(12 months)"),
  value: z.number().describe("the member's value in the current window"),
  target: z.number().describe("the tier's bound"),
  remaining: z.number().describe("what is still missing (0: reached, effective at the next evaluation)"),
  money: z.boolean().describe("the amounts are money in `currency`"),
  by: z
    .string()
    .nullable()
    .describe("YYYY-MM-DD: the last day that counts (calendar windows); null for rolling windows"),
  text: z.string().describe('"spend €120.00 more by 2027-03-31 to reach Gold", in the policy\'s locale'),
});

const MemberScheme = z.object({
  scheme: z.string(),
  tier: z.string(),
  benefits: z
    .array(z.object({ name: z.string(), discount_percent: z.number().nullable() }))
    .describe("the tier's benefits from the policy's playbook"),
  next_tier: z.string().nullable().describe("the tier above; null at the top"),
  progress: MemberProgress.nullable().describe("what it takes to reach next_tier (thresholds schemes)"),
  projected: z
    .object({ tier: z.string(), on: z.string().nullable() })
    .describe("the tier at the next evaluation if nothing changes; `on`: a pending move's due date"),
  pending_downgrade: z
    .object({ tier: z.string(), due_on: z.string().nullable(), text: z.string() })
    .nullable()
    .describe("a downgrade the programme holds back, and what keeps the tier"),
});

export const MemberStatusBody = z.object({
  customer_id: z.string(),
  run: RunRef.describe("the run the tiers come from: the latest"),
  currency: z.string(),
  locale: z.string(),
  schemes: z.array(MemberScheme).describe("customer-facing schemes only"),
});
