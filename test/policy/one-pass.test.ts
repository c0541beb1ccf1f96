import { describe, expect, it } from "vitest";
import { checkPolicy } from "../../src/policy/check-policy.js";
import { parseAndCheck } from "../../src/policy/expression/check.js";
import { entityScope } from "../../src/policy/scope.js";

/** Join lines into a policy file (line numbers in the tests are the array's, 1-based). */
const lines = (...text: string[]) => `${text.join("\n")}\n`;

/** Every problem as `line:col CODE message (hint)`, in file order. */
const problems = (text: string) =>
  checkPolicy(text, "p.yaml").problems.map(
    (p) => `${p.location.line}:${p.location.column} ${p.code} ${p.message}${p.hint ? ` (${p.hint})` : ""}`,
  );

describe("policy check in one pass", () => {
  it("reports shape and meaning problems of every part together", () => {
    // Before: the malformed currency and churn key stopped the check, so four of these seven appeared only later.
    const text = lines(
      "version: 1", //                                                  1
      "currency: EURO", //                                              2
      "locale: de-DE", //                                               3
      "churn:", //                                                      4
      "  dayz: 10", //                                                  5
      "schemes:", //                                                    6
      "  - name: grades", //                                            7
      "    kind: thresholds", //                                        8
      "    metric: spend(6 monhts)", //                                 9
      "    lifecycle:", //                                              10
      "      grace_day: 30", //                                         11
      "    tiers:", //                                                  12
      "      - { name: VIP, min: 100000 }", //                          13
      "      - { name: Gold, min: 150000 }", //                         14
      "      - { name: Rest }", //                                      15
      "  - name: ladder", //                                            16
      "    kind: rules", //                                             17
      "    tiers:", //                                                  18
      "      - { name: A, when: spnd(12 months) > 1, colour: red }", // 19
      "      - { name: B }", //                                         20
    );
    expect(problems(text)).toEqual([
      "2:11 POLICY_SHAPE currency: an ISO 4217 code such as EUR",
      "5:3 POLICY_SHAPE unknown key `dayz` in churn (did you mean days?)",
      "9:21 EXPR_BAD_LITERAL unknown time unit 'monhts' in '6 monhts' (did you mean months?)",
      "11:7 POLICY_SHAPE unknown key `grace_day` in schemes.0.lifecycle (did you mean grace_days?)",
      "14:9 POLICY_UNREACHABLE_TIER tier `Gold` is unreachable: its rule is covered by `VIP` above (a lower tier needs a min or above below 100000)",
      "19:26 EXPR_UNKNOWN_FUNCTION there is no function spnd (did you mean spend?)",
      "19:47 POLICY_SHAPE unknown key `colour` in schemes.1.tiers.0 (known keys: name, when, rules, otherwise)",
      "20:9 POLICY_UNREACHABLE_TIER tier `B` is unreachable: it has no when, rules or otherwise",
    ]);
  });

  it("suggests the key that was meant at every level", () => {
    const text = lines(
      "version: 1", //                                                  1
      "time_zome: UTC", //                                              2
      "clv:", //                                                        3
      "  modle: bgnbd", //                                              4
      "webhooks:", //                                                   5
      "  - { url: 'https://x.test/h', secret: S }", //                  6
      "schemes:", //                                                    7
      "  - name: card", //                                              8
      "    kind: scorecard", //                                         9
      "    indicators:", //                                             10
      "      - name: amount", //                                        11
      "        value: spend(12 months)", //                             12
      "        weight: 1", //                                           13
      "        missing: { scroe: 10 }", //                              14
      "    tiers: [{ name: A, min: 50 }, { name: B }]", //              15
      "    playbooks:", //                                              16
      "      A:", //                                                    17
      "        servce: premium", //                                     18
      "        benefits: [{ name: Gift, gfit: 10 }]", //                19
      "    lifecycle:", //                                              20
      "      minimum_stay_day: 30", //                                  21
    );
    expect(problems(text)).toEqual([
      "2:1 POLICY_SHAPE unknown key `time_zome` in the file (did you mean time_zone?)",
      "4:3 POLICY_SHAPE unknown key `modle` in clv (did you mean model?)",
      "6:5 POLICY_SHAPE webhooks.0.secret_env is required",
      "6:32 POLICY_SHAPE unknown key `secret` in webhooks.0 (known keys: url, secret_env)",
      "14:20 POLICY_SHAPE unknown key `scroe` in schemes.0.indicators.0.missing (did you mean score?)",
      "18:9 POLICY_SHAPE unknown key `servce` in schemes.0.playbooks.A (did you mean service?)",
      "19:34 POLICY_SHAPE unknown key `gfit` in schemes.0.playbooks.A.benefits.0 (did you mean gift?)",
      "21:7 POLICY_SHAPE unknown key `minimum_stay_day` in schemes.0.lifecycle (did you mean minimum_stay_days?)",
    ]);
  });

  it("suggests the key that was meant inside alternatives and alerts, without calling the meant key missing", () => {
    const text = lines(
      "version: 1", //                                                  1
      "churn: { day: 10, k: 3 }", //                                    2
      "alerts:", //                                                     3
      "  - { name: a1, scheme: card, whn: turned }", //                 4
      "schemes:", //                                                    5
      "  - name: card", //                                              6
      "    kind: scorecard", //                                         7
      "    indicators:", //                                             8
      "      - name: amount", //                                        9
      "        value: spend(12 months)", //                             10
      "        weight: 0.5", //                                         11
      "        normalise: { linear-clmp: { from: 0, to: 10 } }", //     12
      "      - name: orders", //                                        13
      "        value: orders(12 months)", //                            14
      "        weight: 0.5", //                                         15
      "        normalise: { bands: [{ min: 0, pints: 10 }] }", //       16
      '    alone: { wen: "spend(12 months) > 5", indicator: amount }', // 17
      "    tiers: [{ name: A, mn: 50 }, { name: B }]", //               18
    );
    expect(problems(text)).toEqual([
      "2:10 POLICY_SHAPE unknown key `day` in churn (did you mean days?)",
      "4:31 POLICY_SHAPE unknown key `whn` in alerts.0 (did you mean when?)",
      "12:22 POLICY_SHAPE unknown key `linear-clmp` in schemes.0.indicators.0.normalise (did you mean linear-clamp?)",
      "16:40 POLICY_SHAPE unknown key `pints` in schemes.0.indicators.1.normalise.bands.0 (did you mean points?)",
      "17:14 POLICY_SHAPE unknown key `wen` in schemes.0.alone (did you mean when?)",
      "18:24 POLICY_SHAPE unknown key `mn` in schemes.0.tiers.0 (did you mean min?)",
    ]);
  });

  it("checks a misspelt key as the key it suggests, and leaves out what follows from a malformed bound", () => {
    const text = lines(
      "version: 1", //                                                  1
      "schemes:", //                                                    2
      "  - name: grades", //                                            3
      "    kind: thresholds", //                                        4
      "    population: kind = 'btb'", //                                5
      "    metric: spend(12 months)", //                                6
      "    tiers:", //                                                  7
      "      - { name: VIP, mn: 100000 }", //                           8
      "      - { name: Gold, min: lots }", //                           9
      "      - { name: Rest }", //                                      10
    );
    expect(problems(text)).toEqual([
      "5:24 EXPR_UNKNOWN_VALUE 'btb' is not a value of this column (did you mean b2b?)",
      "8:22 POLICY_SHAPE unknown key `mn` in schemes.0.tiers.0 (did you mean min?)",
      "9:28 POLICY_SHAPE schemes.0.tiers.1.min: Invalid input: expected number, received string",
    ]);
  });

  it("checks the value of a misspelt key under the key it suggests", () => {
    const text = lines(
      "version: 1", //                                                  1
      "schemes:", //                                                    2
      "  - name: grades", //                                            3
      "    kind: thresholds", //                                        4
      "    metric: spend(12 months)", //                                5
      "    tiers:", //                                                  6
      "      - { name: VIP, mn: 100000 }", //                           7
      "      - { name: Gold, min: 150000 }", //                         8
      "      - { name: Rest }", //                                      9
    );
    expect(problems(text)).toEqual([
      "7:22 POLICY_SHAPE unknown key `mn` in schemes.0.tiers.0 (did you mean min?)",
      "8:9 POLICY_UNREACHABLE_TIER tier `Gold` is unreachable: its rule is covered by `VIP` above (a lower tier needs a min or above below 100000)",
    ]);
  });

  it("reports a misspelt key with a malformed value once, and nothing that follows from it", () => {
    const text = lines(
      "version: 1", //                                                  1
      "schemes:", //                                                    2
      "  - name: grades", //                                            3
      "    kind: thresholds", //                                        4
      "    metric: spend(12 months)", //                                5
      "    tiers:", //                                                  6
      "      - { name: VIP, mn: lots }", //                             7
      "      - { name: Gold, min: 150000 }", //                         8
      "      - { name: Rest }", //                                      9
    );
    expect(problems(text)).toEqual(["7:22 POLICY_SHAPE unknown key `mn` in schemes.0.tiers.0 (did you mean min?)"]);
  });

  it("reports a malformed custom metric where it is written, not again where it is used", () => {
    const text = lines(
      "version: 1", //                                                  1
      "metrics:", //                                                    2
      "  big: 5", //                                                    3
      "  fine: spend(12 months) > 100", //                              4
      "schemes:", //                                                    5
      "  - name: grades", //                                            6
      "    kind: rules", //                                             7
      "    tiers:", //                                                  8
      "      - { name: A, when: big > 1 and fine }", //                 9
      "      - { name: B, when: bigg > 1 }", //                         10
      "      - { name: C, otherwise: rest }", //                        11
    );
    expect(problems(text)).toEqual([
      "3:8 POLICY_SHAPE metrics.big: Invalid input: expected string, received number",
      "10:26 EXPR_UNKNOWN_NAME bigg is not a metric",
    ]);
  });

  it("checks everything else when the version is wrong or the schemes are missing", () => {
    const text = lines(
      "version: 2", //                                                  1
      "time_zone: Mars/Olympus", //                                     2
      "locale: de_DE", //                                               3
      "metrics:", //                                                    4
      "  big: spend(3 yaers) > 10", //                                  5
    );
    expect(problems(text)).toEqual([
      "1:1 POLICY_SHAPE schemes is required",
      "1:10 POLICY_VERSION version must be 1 (start the file with version: 1)",
      "2:12 POLICY_TIME_ZONE unknown time zone Mars/Olympus (an IANA name such as Europe/Budapest)",
      "3:9 POLICY_LOCALE unknown locale de_DE (did you mean de-DE?)",
      "5:16 EXPR_BAD_LITERAL unknown time unit 'yaers' in '3 yaers' (did you mean years?)",
    ]);
  });
});

describe("a duration with a misspelt unit", () => {
  const scope = entityScope("customers", new Map());
  it.each([
    ["spend(6 monhts) > 1", "1:9", "did you mean months?"],
    ["sum(orders.amount, 2 wekes) > 1", "1:22", "did you mean weeks?"],
    ["days_since_last_order > 30 dyas", "1:28", "did you mean days?"],
    ["spend(6 parsecs) > 1", "1:9", "a duration is a whole number and one of days, weeks, months, years"],
  ])("%s names the unit at %s", (source, at, hint) => {
    const result = parseAndCheck(source, scope, "boolean");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [e] = result.errors;
    expect({ code: e?.code, at: `${e?.line}:${e?.column}`, hint: e?.hint }).toEqual({
      code: "EXPR_BAD_LITERAL",
      at,
      hint,
    });
    expect(e?.reason).toMatch(/^unknown time unit '[a-z]+'/);
  });
});
