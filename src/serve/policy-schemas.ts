import { z } from "zod";
import { IsoDate, PolicyProblemBody, PolicySettingsFields, PolicyText, PresetNames } from "./run-schemas.js";

/**
 * The schemas of the policies routes (policy-routes.ts): check, diff
 * (what-if against the active policy), activate, versions, the active
 * policy, the presets.
 */

export const PolicyCheckRequest = z.strictObject({ policy: PolicyText });

/** What `tierwise policy check --json` prints, with the schemes of a policy that checks. */
export const PolicyCheckResult = z.object({
  ok: z.boolean().describe("true when the policy has no errors (it may have warnings)"),
  problems: z.array(PolicyProblemBody).describe("every error and warning, in file order, with line:column"),
  schemes: z
    .array(z.object({ name: z.string(), kind: z.string(), tiers: z.number().int() }))
    .describe("the schemes of a policy that checks (empty otherwise)"),
});

export const PolicyChoiceRequest = z
  .strictObject({ policy: PolicyText.optional(), presets: PresetNames.optional() })
  .describe("give `policy` (YAML text) or `presets`");

export const PolicyDiffRequest = z
  .strictObject({
    policy: PolicyText.optional(),
    presets: PresetNames.optional(),
    ...PolicySettingsFields,
    as_of: IsoDate.optional().describe("grade both policies as of this date (default: today, UTC)"),
    allow_future: z.boolean().default(false).describe("accept an as_of after today"),
    pairs: z
      .array(z.strictObject({ current: z.string().min(1).max(200), proposed: z.string().min(1).max(200) }))
      .max(50)
      .optional()
      .describe("compare these schemes whatever their names (as `tierwise diff --scheme CURRENT=PROPOSED`)"),
  })
  .describe("the proposed policy (`policy` or `presets`), compared with the active one");

const Money = z.number();

const WhatIfSide = z.object({
  graded: z.number(),
  revenue: Money,
  tiers: z
    .array(
      z.looseObject({
        tier: z.string(),
        rank: z.number(),
        entities: z.number(),
        revenue: Money,
      }),
    )
    .readonly(),
  benefitCost: Money,
});

/** What `tierwise diff --json` prints: per scheme, both sides' tiers, the from → to matrix and the movers. */
export const PolicyDiffResult = z.object({
  current: z
    .object({ version: z.number().int().nullable(), policy_hash: z.string(), source: z.string() })
    .describe("the active policy compared against"),
  asOf: z.string(),
  currency: z.string(),
  locale: z.string(),
  schemes: z
    .array(
      z.object({
        scheme: z.string(),
        currentScheme: z.string().optional(),
        proposedScheme: z.string().optional(),
        notes: z.array(z.string()).readonly(),
        current: WhatIfSide.optional(),
        proposed: WhatIfSide.optional(),
        matrix: z
          .array(
            z.object({ from: z.string().nullable(), to: z.string().nullable(), entities: z.number(), revenue: Money }),
          )
          .readonly(),
        movers: z.number().describe("entities whose tier would change"),
        unchanged: z.number(),
      }),
    )
    .readonly(),
  warnings: z.array(z.string()).readonly(),
});

/** An activated policy version. */
export const PolicyVersionBody = z.object({
  version: z.number().int(),
  policy_hash: z.string(),
  author: z.string().describe("the name of the API key that activated it"),
  activated_at: z.string().describe("UTC"),
});

export const ActivationResult = PolicyVersionBody.extend({
  created: z.boolean().describe("false when the policy was already the active version (nothing stored)"),
  warnings: z.array(PolicyProblemBody).describe("the policy's warnings (it has no errors)"),
});

const RunRefs = z.array(z.object({ run_id: z.number().int(), as_of: z.string() }));

export const PolicyHistory = z.object({
  versions: z
    .array(PolicyVersionBody.extend({ runs: RunRefs.describe("the runs that used this version") }))
    .describe("activated versions, newest first: the first is the active one"),
  recorded: z
    .array(
      z.object({
        policyHash: z.string(),
        firstUsed: z.string(),
        lastUsed: z.string(),
        runs: z.array(z.object({ runId: z.number().int(), asOf: z.string() })).readonly(),
        schemes: z.array(z.object({ name: z.string(), kind: z.string(), tiers: z.number() })).readonly(),
      }),
    )
    .describe("every policy the store's runs recorded (as `tierwise policy history --json`)"),
});

export const ActivePolicyBody = z.object({
  source: z.enum(["activated", "latest run"]).describe("activated through POST /policies, or the latest run's"),
  version: z.number().int().nullable(),
  policy_hash: z.string(),
  author: z.string().nullable(),
  since: z.string().describe("when it was activated, or when the latest run started (UTC)"),
  policy: z.string().describe("the YAML text"),
});

export const PresetList = z.object({
  items: z.array(z.object({ name: z.string(), description: z.string() })),
});
