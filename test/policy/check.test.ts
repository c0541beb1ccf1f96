import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkPolicy } from "../../src/policy/check-policy.js";
import { POLICY_CODES } from "../../src/policy/codes.js";
import { EXPRESSION_CODES } from "../../src/policy/expression/codes.js";
import { PRESETS_DIR, presetNames } from "../../src/policy/load-policy.js";
import { gradeFixture, policyFile, tiers } from "../run/support.js";

const CODES: ReadonlySet<string> = new Set([...Object.keys(POLICY_CODES), ...Object.keys(EXPRESSION_CODES)]);

/** Every problem as `line:col CODE message (hint)`, in the order reported. */
function problems(text: string): string[] {
  const { plan, problems } = checkPolicy(text, "policy.yaml");
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0) expect(plan).toBeUndefined();
  // Every code is a stable one from the catalogue.
  for (const p of problems) expect(CODES).toContain(p.code);
  return problems.map(
    (p) => `${p.location.line}:${p.location.column} ${p.code} ${p.message}${p.hint ? ` (${p.hint})` : ""}`,
  );
}

/** Join lines into a policy file (line numbers in the tests are the array's, 1-based). */
const lines = (...text: string[]) => `${text.join("\n")}\n`;

describe("checkPolicy", () => {
  it.each(presetNames())("the preset %s checks clean", (name) => {
    const { plan, problems } = checkPolicy(readFileSync(`${PRESETS_DIR}${name}.yaml`, "utf8"), `${name}.yaml`);
    expect(problems.map((p) => p.oneLine())).toEqual([]);
    expect(plan?.schemes.map((s) => s.name)).toEqual([name]);
  });

  it("ships the eight presets of docs/schemes.md", () => {
    expect(presetNames()).toEqual([
      "abc",
      "b2b-scorecard",
      "lead-grades",
      "relationship-ladder",
      "rfm",
      "satisfaction",
      "three-tier",
      "value-grades",
    ]);
  });

  it("reports every problem of a file in one pass, each located", () => {
    const text = lines(
      "version: 1", //                                                                    1
      "schemes:", //                                                                      2
      "  - name: grades", //                                                              3
      "    kind: thresholds", //                                                          4
      "    metric: spnd(12 months)", //                                                   5
      "    tiers:", //                                                                    6
      "      - { name: VIP, min: 100000 }", //                                            7
      "      - { name: Gold, min: 150000 }", //                                           8
      "      - { name: Rest }", //                                                        9
      "  - name: card", //                                                                10
      "    kind: scorecard", //                                                           11
      "    population: kind = 'btb'", //                                                  12
      "    indicators:", //                                                               13
      "      - { name: credit, value: on_time_share(12 months), weight: 0.3 }", //        14
      "      - { name: amount, value: spend(24 months), weight: 0.4, normalise: percentile }", // 15
      "      - { name: prospects, value: prospects, weight: 0.2 }", //                    16
      "    tiers:", //                                                                    17
      "      - { name: A, min: 80 }", //                                                  18
      "      - { name: B }", //                                                           19
    );
    expect(problems(text)).toEqual([
      "5:13 EXPR_UNKNOWN_FUNCTION there is no function spnd (did you mean spend?)",
      "8:9 POLICY_UNREACHABLE_TIER tier `Gold` is unreachable: its rule is covered by `VIP` above (a lower tier needs a min or above below 100000)",
      "12:24 EXPR_UNKNOWN_VALUE 'btb' is not a value of this column (did you mean b2b?)",
      "14:7 POLICY_WEIGHTS weights sum to 0.9, must be 1 (adjust the weights so they add up to 1)",
    ]);
  });

  it("locates a mistake inside a multi-line condition", () => {
    const text = lines(
      "version: 1", //                                   1
      "schemes:", //                                     2
      "  - name: ladder", //                             3
      "    kind: rules", //                              4
      "    tiers:", //                                   5
      "      - name: Top", //                            6
      "        rules:", //                               7
      "          - id: top", //                          8
      "            when: |", //                          9
      "              orders(lifetime) >= 3", //          10
      "              and spnd(12 months) > 5", //        11
      "              and tenure >= 'long'", //           12
      "      - name: Rest", //                           13
      "        otherwise: everyone else", //             14
    );
    expect(problems(text)).toEqual([
      "11:19 EXPR_UNKNOWN_FUNCTION there is no function spnd (did you mean spend?)",
      "12:29 EXPR_TYPE_MISMATCH cannot compare a number with a text",
    ]);
  });

  it("names an unknown scheme kind with a suggestion", () => {
    const text = lines(
      "version: 1",
      "schemes:",
      "  - name: x",
      "    kind: treshold",
      "    metric: spend(12 months)",
      "    tiers: [{ name: A }]",
    );
    expect(problems(text)).toEqual(["4:11 POLICY_SHAPE unknown scheme kind `treshold` (did you mean thresholds?)"]);
    const far = text.replace("treshold", "pyramid");
    expect(problems(far)).toEqual([
      "4:11 POLICY_SHAPE unknown scheme kind `pyramid` (one of thresholds, rules, scorecard, pareto, quantiles, rfm)",
    ]);
  });

  it("reports every unknown key, with the key it probably meant", () => {
    const text = lines(
      "version: 1", //                          1
      "currency: EUR", //                       2
      "shemes: []", //                          3
      "schemes:", //                            4
      "  - name: x", //                         5
      "    kind: thresholds", //                6
      "    metrc: spend(12 months)", //         7
      "    metric: spend(12 months)", //        8
      "    tiers: [{ name: A }]", //            9
      "    visibilty: internal", //             10
    );
    expect(problems(text)).toEqual([
      "3:1 POLICY_SHAPE unknown key `shemes` in the file (did you mean schemes?)",
      "7:5 POLICY_SHAPE unknown key `metrc` in schemes.0 (did you mean metric?)",
      "10:5 POLICY_SHAPE unknown key `visibilty` in schemes.0 (did you mean visibility?)",
    ]);
  });

  it("reports YAML that does not parse, and YAML that is not a policy", () => {
    expect(problems(lines("version: 1", "schemes:", "  - name: x", "   kind: thresholds"))).toEqual([
      "4:1 POLICY_YAML Sequence item without - indicator",
    ]);
    expect(problems(lines("version: 1", "schemes:", "\t- name: x"))).toEqual([
      "3:1 POLICY_YAML Tabs are not allowed as indentation",
    ]);
    const twice = lines(
      "version: 1",
      "schemes:",
      "  - name: x",
      "    kind: thresholds",
      "    metric: spend(12 months)",
      "    metric: orders(12 months)",
      "    tiers: [{ name: A }]",
    );
    expect(problems(twice)).toEqual(["6:5 POLICY_YAML Map keys must be unique"]);
    expect(problems(lines("- a", "- b"))).toEqual([
      "1:1 POLICY_SHAPE a policy is a YAML mapping with version and schemes (see tierwise policy schema)",
    ]);
    expect(problems("")).toEqual([
      "1:1 POLICY_SHAPE a policy is a YAML mapping with version and schemes (see tierwise policy schema)",
    ]);
    expect(problems(lines("version: 1"))).toEqual(["1:1 POLICY_SHAPE schemes is required"]);
    expect(
      problems(lines("version: 2", "schemes: [{ name: x, kind: thresholds, metric: recency, tiers: [{ name: A }] }]")),
    ).toEqual(["1:10 POLICY_VERSION version must be 1 (start the file with version: 1)"]);
    expect(
      problems(
        lines(
          "version: 1",
          "time_zone: Mars/Olympus",
          "schemes: [{ name: x, kind: thresholds, metric: recency, tiers: [{ name: A }] }]",
        ),
      ),
    ).toEqual(["2:12 POLICY_TIME_ZONE unknown time zone Mars/Olympus (an IANA name such as Europe/Budapest)"]);
  });

  it("reports duplicate scheme names, tier names, rule ids and otherwise", () => {
    const text = lines(
      "version: 1", //                                             1
      "schemes:", //                                               2
      "  - name: grades", //                                       3
      "    kind: thresholds", //                                   4
      "    metric: spend(12 months)", //                           5
      "    tiers:", //                                             6
      "      - { name: Gold, min: 5 }", //                         7
      "      - { name: Gold }", //                                 8
      "  - name: grades", //                                       9
      "    kind: rules", //                                        10
      "    tiers:", //                                             11
      "      - name: A", //                                        12
      "        rules:", //                                         13
      '          - { id: same, when: "orders(lifetime) >= 5" }', // 14
      '          - { id: same, when: "spend(lifetime) >= 5" }', //  15
      "      - { name: B, otherwise: first }", //                  16
      "      - { name: C, otherwise: second }", //                 17
    );
    expect(problems(text)).toEqual([
      "8:17 POLICY_DUPLICATE tier `Gold` appears twice in scheme `grades`",
      "9:5 POLICY_DUPLICATE rule id same is used twice",
      "9:11 POLICY_DUPLICATE scheme `grades` is defined twice (first as scheme 1)",
      "17:31 POLICY_DUPLICATE only one tier may have otherwise; `B` has it already",
    ]);
  });

  it("reports unreachable tiers of every kind", () => {
    const text = lines(
      "version: 1", //                                                   1
      "schemes:", //                                                     2
      "  - name: values", //                                             3
      "    kind: thresholds", //                                         4
      "    metric: spend(12 months)", //                                 5
      "    tiers:", //                                                   6
      "      - { name: VIP, min: 100 }", //                              7
      "      - { name: Rest }", //                                       8
      "      - { name: Ghost, min: 5 }", //                              9
      "  - name: ladder", //                                             10
      "    kind: rules", //                                              11
      "    tiers:", //                                                   12
      '      - { name: Two, when: "orders(lifetime) >= 2" }', //       13
      '      - { name: Three, when: "orders(lifetime) >= 3" }', //     14
      "      - { name: Empty }", //                                      15
      "  - name: classes", //                                            16
      "    kind: pareto", //                                             17
      "    metric: spend(12 months)", //                                 18
      "    tiers:", //                                                   19
      "      - { name: A, up_to: 80 }", //                               20
      "      - { name: B, up_to: 70 }", //                               21
      "      - { name: C, up_to: 99 }", //                               22
    );
    expect(problems(text)).toEqual([
      "9:9 POLICY_UNREACHABLE_TIER tier `Ghost` is unreachable: `Rest` above it has no min or above and takes everyone (give `Rest` a min or above, or move it last)",
      "14:30 POLICY_UNREACHABLE_TIER tier `Three` is unreachable: its rule is covered by `Two` above",
      "15:9 POLICY_UNREACHABLE_TIER tier `Empty` is unreachable: it has no when, rules or otherwise",
      "21:27 POLICY_UNREACHABLE_TIER tier `B` is unreachable: its up_to 70 is not above the 80 of the tier above",
      "22:27 POLICY_BOUNDS the last tier `C` must take the rest (remove up_to)",
    ]);
  });

  it("a tier above v under a tier at v or more is unreachable; a tier at v under one above v is not", () => {
    const text = (upper: string, lower: string) =>
      lines(
        "version: 1",
        "schemes:",
        "  - name: values",
        "    kind: thresholds",
        "    metric: spend(12 months)",
        "    tiers:",
        `      - { name: Silver, ${upper} }`,
        `      - { name: Regular, ${lower} }`,
        "      - { name: Potential }",
      );
    expect(problems(text("min: 0", "above: 0"))).toEqual([
      "8:9 POLICY_UNREACHABLE_TIER tier `Regular` is unreachable: its rule is covered by `Silver` above (a lower tier needs a min or above below 0)",
    ]);
    expect(problems(text("above: 0", "min: 0"))).toEqual([]);
  });

  it("checks lifecycle rules and retention bounds where they are written", () => {
    const text = lines(
      "version: 1", //                                                   1
      "schemes:", //                                                     2
      "  - name: loyalty", //                                            3
      "    kind: thresholds", //                                         4
      "    metric: spend(calendar_year)", //                             5
      "    tiers:", //                                                   6
      "      - { name: Gold, min: 500, keep: 600 }", //                  7
      "      - { name: Silver, min: 200, keep: 200 }", //                8
      "      - { name: Member, keep: 10 }", //                           9
      "  - name: bad", //                                                10
      "    kind: rfm", //                                                11
      "    tiers: [{ name: All, r: 1-5, f: 1-5 }]", //                   12
      "    lifecycle:", //                                               13
      "      downgrade: after 0 evaluations", //                         14
      "      grace_days: -1", //                                         15
      "      period: week", //                                           16
      "      upgrades: immediate", //                                    17
    );
    const got = problems(text);
    expect(got.map((p) => p.split(" ").slice(0, 2).join(" "))).toEqual([
      "7:39 POLICY_BOUNDS",
      "9:31 POLICY_BOUNDS",
      "14:18 POLICY_SHAPE",
      "15:19 POLICY_SHAPE",
      "16:15 POLICY_SHAPE",
      "17:7 POLICY_SHAPE",
    ]);
    expect(got.find((p) => p.startsWith("7:"))).toContain("keeps at 600, above its entry bound 500");
    expect(got.find((p) => p.startsWith("14:"))).toContain("after N evaluations");
    expect(got.length).toBe(6);
  });

  it("accepts a lifecycle on any kind and calendar windows in metrics", () => {
    const { plan, problems: found } = checkPolicy(
      lines(
        "version: 1",
        "schemes:",
        "  - name: loyalty",
        "    kind: thresholds",
        "    metric: spend(calendar_year) + orders(calendar_quarter) + spend(calendar_month)",
        "    tiers: [{ name: Gold, min: 500, keep: 400 }, { name: Member }]",
        "  - name: ok",
        "    kind: rfm",
        "    tiers: [{ name: All, r: 1-5, f: 1-5 }]",
        "    lifecycle: { upgrade: next period, downgrade: after 3 evaluations, minimum_stay_days: 90, period: quarter }",
      ),
    );
    expect(found).toEqual([]);
    // A retention bound alone switches the default lifecycle on.
    expect(plan?.schemes[0]?.lifecycle).toEqual({
      period: "year",
      upgrade: "immediate",
      downgrade: { kind: "immediate" },
      graceDays: 0,
      minimumStayDays: 0,
    });
    expect(plan?.schemes[1]?.lifecycle).toEqual({
      period: "quarter",
      upgrade: "next-period",
      downgrade: { kind: "after", evaluations: 3 },
      graceDays: 0,
      minimumStayDays: 90,
    });
  });

  it("takes a horizon ahead for the CLV metrics, not a window back", () => {
    const text = lines(
      "version: 1", //                                        1
      "clv: { model: bgnbd, time_unit: day }", //             2
      "schemes:", //                                          3
      "  - name: v", //                                       4
      "    kind: thresholds", //                              5
      "    metric: expected_orders(lifetime) + clv", //       6
      "    tiers: [{ name: All }]", //                        7
    );
    expect(problems(text)).toEqual([
      "6:29 EXPR_BAD_WINDOW expected_orders needs a horizon ahead such as 90 days or 12 months",
      "6:41 EXPR_ARITY clv needs an argument (write clv(12 months))",
    ]);
    expect(problems(lines("version: 1", "clv: { time_unit: month }", "schemes: []"))[0]).toBe(
      '2:19 POLICY_SHAPE clv.time_unit: Invalid option: expected one of "day"|"week"',
    );
  });

  it("reports gaps and overlaps in the RFM map", () => {
    const text = lines(
      "version: 1", //                               1
      "schemes:", //                                 2
      "  - name: r", //                              3
      "    kind: rfm", //                            4
      "    tiers:", //                               5
      "      - { name: Top, r: 4-5, f: 1-5 }", //    6
      "      - { name: Mid, r: 3-4, f: 1 }", //      7
      "      - { name: Low, r: 1, f: 1-4 }", //      8
      "      - { name: Shadow, r: 5, f: 5 }", //     9
    );
    expect(problems(text)).toEqual([
      "6:7 POLICY_RFM_MAP no segment for R3 F5, R3 F4, R3 F3, R3 F2, R2 F5, R2 F4, R2 F3, R2 F2, R2 F1, R1 F5 (every R×F cell from 1 to 5 needs a segment)",
      "7:9 POLICY_RFM_MAP R4 F1 is in both `Top` and `Mid`",
      "9:9 POLICY_RFM_MAP R5 F5 is in both `Top` and `Shadow`",
      "9:9 POLICY_UNREACHABLE_TIER tier `Shadow` is unreachable: all its cells belong to segments above",
    ]);
  });

  it("reports custom metrics that refer to each other in a cycle, once each", () => {
    const text = lines(
      "version: 1", //                                          1
      "metrics:", //                                            2
      "  loop_a: loop_b + 1", //                                3
      "  loop_b: loop_c * 2", //                                4
      "  loop_c: loop_a - 1", //                                5
      "  selfish: selfish + 1", //                              6
      "  net: spend(12 months) - compensation(12 months)", //   7
      "  on_loop: loop_a + net", //                             8
      "  Bad-Name: net * 2", //                                 9
      "  spend: orders(12 months)", //                          10
      "schemes:", //                                            11
      "  - name: s", //                                         12
      "    kind: thresholds", //                                13
      "    metric: net", //                                     14
      "    tiers: [{ name: Hi, min: 100 }, { name: Lo }]", //   15
    );
    expect(problems(text)).toEqual([
      "3:3 POLICY_METRIC_CYCLE custom metrics refer to each other in a cycle: loop_a → loop_b → loop_c → loop_a",
      "6:3 POLICY_METRIC_CYCLE custom metrics refer to each other in a cycle: selfish → selfish",
      '9:3 POLICY_NAME custom metric name "Bad-Name" must be lower-case letters, digits and _',
      "10:3 POLICY_NAME custom metric spend has the name of a built-in (choose another name)",
    ]);
  });
});

describe("checked policies on a store", () => {
  it("uses custom metrics in schemes, with money thresholds following scale", async () => {
    // net = 12-month spend − 12-month compensation: a money metric, so with scale 0.01 the
    // threshold 100,000 means 1,000, here and inside the custom condition big_net.
    const text = lines(
      "version: 1",
      "scale: 0.01",
      "metrics:",
      "  net: spend(12 months) - compensation(12 months)",
      "  big_net: net >= 100000",
      "schemes:",
      "  - name: net-grades",
      "    kind: thresholds",
      "    metric: net",
      "    tiers:",
      "      - { name: Top, min: 100000 }",
      "      - { name: Rest }",
      "  - name: flagged",
      "    kind: rules",
      "    tiers:",
      "      - { name: Big, when: big_net }",
      "      - { name: Small, otherwise: small }",
    );
    const { bySchemes } = await gradeFixture(
      {
        customers: [{ customer_id: "exact" }, { customer_id: "under" }],
        orders: [
          { order_id: "a", customer_id: "exact", ordered_at: "2025-05-01", amount: 1100, status: "completed" },
          { order_id: "b", customer_id: "under", ordered_at: "2025-05-01", amount: 1100, status: "completed" },
        ],
        interactions: [
          // 1,100 − 100 = 1,000 → Top / Big; 1,100 − 100.01 = 999.99 → Rest / Small
          { interaction_id: "i1", customer_id: "exact", at: "2025-06-01", kind: "compensation", value: 100 },
          { interaction_id: "i2", customer_id: "under", at: "2025-06-01", kind: "compensation", value: 100.01 },
        ],
      },
      { file: await policyFile(text) },
    );
    expect(tiers(bySchemes.get("net-grades") ?? new Map())).toEqual({ exact: "Top", under: "Rest" });
    expect(tiers(bySchemes.get("flagged") ?? new Map())).toEqual({ exact: "Big", under: "Small" });
  });

  it("keeps tier and scheme names in any script unchanged, up to the assignments table", async () => {
    const text = lines(
      "version: 1",
      "schemes:",
      "  - name: 价值等级",
      "    kind: thresholds",
      "    metric: spend(12 months)",
      "    tiers:",
      "      - { name: 黄金客户, min: 1000 }",
      "      - { name: Tingkat Tiga, min: 100 }",
      "      - { name: Első szint }",
    );
    const check = checkPolicy(text);
    expect(check.problems).toEqual([]);
    expect(check.plan?.schemes[0]?.tiers).toEqual(["黄金客户", "Tingkat Tiga", "Első szint"]);
    const { bySchemes, result } = await gradeFixture(
      {
        customers: [{ customer_id: "gold" }, { customer_id: "three" }, { customer_id: "one" }],
        orders: [
          { order_id: "a", customer_id: "gold", ordered_at: "2025-05-01", amount: 1000, status: "completed" },
          { order_id: "b", customer_id: "three", ordered_at: "2025-05-01", amount: 100, status: "completed" },
        ],
      },
      { file: await policyFile(text) },
    );
    expect([...bySchemes.keys()]).toEqual(["价值等级"]);
    expect(tiers(bySchemes.get("价值等级") ?? new Map())).toEqual({
      gold: "黄金客户",
      three: "Tingkat Tiga",
      one: "Első szint",
    });
    expect(result.schemes[0]?.tiers.map((t) => t.tier)).toEqual(["黄金客户", "Tingkat Tiga", "Első szint"]);
  });
});

describe("unknown keys inside schemes", () => {
  it("suggests the tier key that was meant", () => {
    const text = [
      "version: 1",
      "schemes:",
      "  - name: v",
      "    kind: thresholds",
      "    metric: spend(12 months)",
      "    tiers:",
      "      - { name: A, mn: 5 }",
      "      - { name: B }",
    ].join("\n");
    const problems = checkPolicy(text, "p.yaml").problems.map((p) => p.oneLine());
    expect(problems).toEqual(["p.yaml:7:20 POLICY_SHAPE unknown key `mn` in schemes.0.tiers.0 (did you mean min?)"]);
  });
});

describe("one pass over a file with a broken scheme", () => {
  it("still checks the other schemes in full", () => {
    const text = [
      "version: 1",
      "schemes:",
      "  - name: a",
      "    kind: thresholds",
      "    metric: spnd(12 months)",
      "    tiers: [{ name: X, min: 1 }, { name: Y }]",
      "  - name: b",
      "    kind: tresholds",
      "    metric: spend(12 months)",
      "    tiers: [{ name: X }]",
    ].join("\n");
    expect(checkPolicy(text, "p.yaml").problems.map((p) => p.oneLine())).toEqual([
      "p.yaml:5:13 EXPR_UNKNOWN_FUNCTION there is no function spnd (did you mean spend?)",
      "p.yaml:8:11 POLICY_SHAPE unknown scheme kind `tresholds` (did you mean thresholds?)",
    ]);
  });
});

describe("population-wide metrics", () => {
  it("refuses a percentile rank nested in another, at the inner call", () => {
    const text = [
      "version: 1",
      "schemes:",
      "  - name: p",
      "    kind: quantiles",
      "    metric: percentile_rank(1 + percentile_rank(spend(12 months)))",
      "    tiers: [{ name: top, top: 10 }, { name: rest }]",
    ].join("\n");
    expect(checkPolicy(text, "p.yaml").problems.map((p) => p.oneLine())).toEqual([
      "p.yaml:5:29 EXPR_BAD_WINDOW percentile_rank cannot be nested in itself",
    ]);
  });
});
