import { describe, expect, it } from "vitest";
import { checkPolicy } from "../../src/policy/check-policy.js";
import { policyJsonSchema } from "../../src/policy/schema.js";

/** Lines 1-11 of every policy below: two schemes, one of leads; alerts follow from line 12. */
const HEAD = [
  "version: 1", //                                                    1
  "schemes:", //                                                      2
  "  - name: Value grades", //                                        3
  "    kind: thresholds", //                                          4
  "    metric: spend(12 months)", //                                  5
  "    tiers: [{ name: VIP, min: 100 }, { name: Gold, min: 50 }, { name: Rest }]", // 6
  "  - name: Leads", //                                               7
  "    entity: leads", //                                             8
  "    kind: thresholds", //                                          9
  "    metric: amount", //                                            10
  "    tiers: [{ name: Hot, min: 10 }, { name: Cold }]", //           11
];

const check = (...alerts: string[]) => checkPolicy([...HEAD, "alerts:", ...alerts].join("\n"), "p.yaml");
const lines = (...alerts: string[]) => check(...alerts).problems.map((p) => p.oneLine());

describe("policy alerts: checking", () => {
  it("puts alerts in the plan; without tiers, every tier but the lowest", () => {
    const { plan, problems } = check(
      "  - { name: top-turned, scheme: Value grades, when: turned }",
      "  - { name: vip-risk, scheme: Value grades, tiers: [VIP], when: at-risk }",
      "  - { name: down, scheme: Value grades, when: downgraded }",
    );
    expect(problems).toEqual([]);
    expect(plan?.alerts).toEqual([
      { name: "top-turned", scheme: "Value grades", tiers: ["VIP", "Gold"], when: "turned" },
      { name: "vip-risk", scheme: "Value grades", tiers: ["VIP"], when: "at-risk" },
      { name: "down", scheme: "Value grades", tiers: ["VIP", "Gold"], when: "downgraded" },
    ]);
  });

  it("has no alerts in the plan when the policy lists none", () => {
    expect(checkPolicy(HEAD.join("\n")).plan).not.toHaveProperty("alerts");
  });

  it("reports unknown schemes and tiers with the name meant, duplicates, and a leads scheme, each located", () => {
    expect(
      lines(
        "  - name: top-turned", //                       13
        "    scheme: Value grdes", //                    14
        "    when: turned", //                           15
        "  - name: top-turned", //                       16
        "    scheme: Value grades", //                   17
        "    tiers: [VIP, Gld, VIP]", //                 18
        "    when: at-risk", //                          19
        "  - { name: hot, scheme: Leads, when: downgraded }", // 20
        "  - { name: other, scheme: Nothing like it, when: turned }", // 21
      ),
    ).toEqual([
      "p.yaml:14:13 POLICY_UNKNOWN_NAME alert `top-turned` watches `Value grdes`, which is not a scheme of this policy (did you mean Value grades?)",
      "p.yaml:16:11 POLICY_DUPLICATE alert `top-turned` is defined twice (first as alert 1)",
      "p.yaml:18:18 POLICY_UNKNOWN_NAME `Gld` is not a tier of scheme `Value grades` (did you mean Gold?)",
      "p.yaml:18:23 POLICY_DUPLICATE tier `VIP` appears twice in alert `top-turned`",
      "p.yaml:20:26 POLICY_SHAPE alert `hot` watches `Leads`, a scheme of leads (alerts watch customer schemes)",
      "p.yaml:21:28 POLICY_UNKNOWN_NAME alert `other` watches `Nothing like it`, which is not a scheme of this policy (schemes: Value grades, Leads)",
    ]);
    expect(check("  - { name: x, scheme: Value grdes, when: turned }").plan).toBeUndefined();
  });

  it("reports a bad name, an unknown condition and an unknown key in the policy's format", () => {
    expect(lines("  - { name: Top Turned, scheme: Value grades, when: turned }")).toEqual([
      "p.yaml:13:13 POLICY_SHAPE alerts.0.name: alert names are lower-case letters, digits and dashes",
    ]);
    expect(lines("  - { name: x, scheme: Value grades, when: churned }")).toEqual([
      'p.yaml:13:44 POLICY_SHAPE alerts.0.when: Invalid option: expected one of "turned"|"at-risk"|"downgraded"',
    ]);
    expect(lines("  - { name: x, scheme: Value grades, tier: [VIP], when: turned }")).toEqual([
      "p.yaml:13:38 POLICY_SHAPE unknown key `tier` in alerts.0 (did you mean tiers?)",
    ]);
  });

  it("warns that the lowest tier cannot be downgraded, and refuses an alert that watches no tier", () => {
    expect(lines("  - { name: down, scheme: Value grades, tiers: [Gold, Rest], when: downgraded }")).toEqual([
      "p.yaml:13:55 warning POLICY_UNREACHABLE_TIER `Rest` is the lowest tier of `Value grades`: it cannot be downgraded (remove it from the alert's tiers)",
    ]);
    const one = [...HEAD.slice(0, 6), "alerts:", "  - { name: t, scheme: Value grades, when: turned }"];
    one[5] = "    tiers: [{ name: All }]";
    expect(checkPolicy(one.join("\n"), "p.yaml").problems.map((p) => p.oneLine())).toEqual([
      "p.yaml:8:24 POLICY_SHAPE alert `t` watches no tier: `Value grades` has one tier, and the lowest is left out by default (list the tiers to watch with tiers:)",
    ]);
  });

  it("describes alerts in the JSON Schema for editors", () => {
    const alerts = (policyJsonSchema()["properties"] as Record<string, { items: { required: string[] } }>)["alerts"];
    expect(alerts?.items.required).toEqual(["name", "scheme", "when"]);
  });
});
