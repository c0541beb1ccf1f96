import { describe, expect, it } from "vitest";
import { checkPolicy } from "../../../src/policy/check-policy.js";

const policy = (webhooks: string) => `version: 1
${webhooks}
schemes:
  - name: Value
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: Gold, min: 100 }
      - { name: Rest }
`;

describe("policy webhooks", () => {
  it("puts the url and the secret's variable name in the plan, never a secret", () => {
    const { plan, problems } = checkPolicy(
      policy("webhooks:\n  - url: https://crm.example/hooks/tiers\n    secret_env: CRM_HOOK_SECRET"),
    );
    expect(problems).toEqual([]);
    expect(plan?.webhooks).toEqual([{ url: "https://crm.example/hooks/tiers", secretEnv: "CRM_HOOK_SECRET" }]);
  });

  it("has no webhooks when the policy lists none", () => {
    expect(checkPolicy(policy("")).plan?.webhooks).toBeUndefined();
  });

  it("rejects an address that is not http(s), a bad variable name and a literal secret", () => {
    for (const bad of [
      "webhooks:\n  - url: ftp://x\n    secret_env: S",
      "webhooks:\n  - url: https://x\n    secret_env: 'not a name'",
      "webhooks:\n  - url: https://x\n    secret_env: S\n    secret: plain",
    ]) {
      const { plan, problems } = checkPolicy(policy(bad));
      expect(plan).toBeUndefined();
      expect(problems.some((p) => p.severity === "error")).toBe(true);
    }
  });
});
