import { describe, expect, it } from "vitest";
import { benefitCost } from "../../src/decisions/benefit-cost.js";
import { checkPolicy } from "../../src/policy/check-policy.js";

/** Lines 1-6: one thresholds scheme; playbooks follow from line 7. */
const HEAD = [
  "version: 1", //                                                    1
  "schemes:", //                                                      2
  "  - name: Value grades", //                                        3
  "    kind: thresholds", //                                          4
  "    metric: spend(12 months)", //                                  5
  "    tiers: [{ name: VIP, min: 100 }, { name: Gold, min: 50 }, { name: Rest }]", // 6
  "    playbooks:", //                                                7
];

const check = (...lines: string[]) => checkPolicy([...HEAD, ...lines].join("\n"), "p.yaml");
const problems = (...lines: string[]) => check(...lines).problems.map((p) => p.oneLine());

describe("playbooks: checking", () => {
  it("puts playbooks in the plan in tier order with their cost models", () => {
    const { plan, problems } = check(
      "      Gold: { service: proactive, rep_level: key-account }",
      "      VIP:",
      "        service: premium",
      "        rep_level: senior",
      "        benefits:",
      "          - { name: member prices, discount_percent: 5 }",
      "          - { name: priority delivery, per_customer: 40 }",
      "          - { name: birthday gift, gift: 25 }",
      "        campaigns: [vip-launch, birthday]",
    );
    expect(problems).toEqual([]);
    expect(plan?.schemes[0]?.playbooks).toEqual([
      {
        tier: "VIP",
        service: "premium",
        repLevel: "senior",
        benefits: [
          { name: "member prices", kind: "discount", percent: 5 },
          { name: "priority delivery", kind: "fixed", perCustomer: 40 },
          { name: "birthday gift", kind: "gift", perCustomer: 25 },
        ],
        campaigns: ["vip-launch", "birthday"],
      },
      { tier: "Gold", service: "proactive", repLevel: "key-account", benefits: [], campaigns: [] },
    ]);
  });

  it("locates an unknown tier name with the name probably meant", () => {
    expect(problems("      Glod: { service: basic }")).toEqual([
      "p.yaml:8:7 POLICY_UNKNOWN_NAME playbook for `Glod`, which is not a tier of scheme `Value grades` (did you mean Gold?)",
    ]);
  });

  it("needs exactly one cost per benefit, and known levels and keys", () => {
    const found = problems(
      "      VIP:",
      "        service: platinum",
      "        benefits:",
      "          - { name: both, discount_percent: 5, gift: 3 }",
      "          - { name: none }",
      "          - { name: typo, per_custmer: 3 }",
    );
    expect(found.some((l) => l.startsWith("p.yaml:9:18 POLICY_SHAPE"))).toBe(true);
    expect(found).toContain(
      "p.yaml:13:27 POLICY_SHAPE unknown key `per_custmer` in schemes.0.playbooks.VIP.benefits.2 (did you mean per_customer?)",
    );
    // The scheme has a structural problem: its playbooks are not checked further.
    const costs = problems(
      "      VIP:",
      "        benefits:",
      "          - { name: both, discount_percent: 5, gift: 3 }",
    );
    expect(costs).toEqual([
      "p.yaml:10:13 POLICY_SHAPE benefit `both` of `VIP` needs exactly one cost, has 2 (give one of discount_percent (percent of spend), per_customer (money per customer per year) or gift (money per customer per year))",
    ]);
  });
});

describe("benefitCost", () => {
  it("prices discounts on spend, fixed costs and gifts per customer", () => {
    const cost = benefitCost(
      {
        tier: "VIP",
        benefits: [
          { name: "member prices", kind: "discount", percent: 5 },
          { name: "priority delivery", kind: "fixed", perCustomer: 40 },
          { name: "birthday gift", kind: "gift", perCustomer: 25 },
        ],
        campaigns: [],
      },
      { customers: 10, yearlySpend: 1_234_567 },
    );
    expect(cost).toMatchObject({ discounts: 61728.35, fixed: 400, gifts: 250, total: 62378.35 });
    expect(benefitCost(undefined, { customers: 3, yearlySpend: 10 }).total).toBe(0);
  });
});
