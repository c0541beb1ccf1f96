import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { expectCoded, hostileRun, presetText, smallStore, tempDir, writeIn } from "./errors-corpus.js";

/**
 * Issue 13: `policy check` passed `orders(999999999999 months)` and `run`
 * then died with "unexpected error: Invalid time value". Every window,
 * duration, number and setting of a policy is bounded at check time
 * (docs/policy.md, Bounds), with its code at the line and column of the
 * value. Each case edits a shipped preset; `at` is the line:column of the
 * offending value in the edited file.
 */
interface BoundCase {
  readonly name: string;
  readonly preset: string;
  readonly from: string;
  readonly to: string;
  /** A second edit. */
  readonly also?: readonly [string, string];
  readonly code: string;
  readonly at: string;
}

const CASES: readonly BoundCase[] = [
  {
    name: "a window of 999999999999 months",
    preset: "three-tier",
    from: "orders(24 months) >= 2",
    to: "orders(999999999999 months) >= 2",
    code: "EXPR_BAD_LITERAL",
    at: "42:26",
  },
  {
    name: "a window of 1201 months (100 years and a month)",
    preset: "value-grades",
    from: "spend(12 months)",
    to: "spend(1201 months)",
    code: "EXPR_BAD_LITERAL",
    at: "16:19",
  },
  {
    name: "a window of 36526 days",
    preset: "value-grades",
    from: "spend(12 months)",
    to: "spend(36526 days)",
    code: "EXPR_BAD_LITERAL",
    at: "16:19",
  },
  {
    name: "a window of 5219 weeks",
    preset: "value-grades",
    from: "spend(12 months)",
    to: "spend(5219 weeks)",
    code: "EXPR_BAD_LITERAL",
    at: "16:19",
  },
  {
    name: "a window of 101 years",
    preset: "value-grades",
    from: "spend(12 months)",
    to: "spend(101 years)",
    code: "EXPR_BAD_LITERAL",
    at: "16:19",
  },
  {
    name: "a number literal 1e300",
    preset: "three-tier",
    from: "orders(24 months) >= 2",
    to: "orders(24 months) >= 1e300",
    code: "EXPR_BAD_LITERAL",
    at: "42:40",
  },
  {
    name: "a number literal of 31 digits",
    preset: "three-tier",
    from: "orders(24 months) >= 2",
    to: "orders(24 months) >= 1234567890123456789012345678901",
    code: "EXPR_BAD_LITERAL",
    at: "42:40",
  },
  {
    name: "a threshold 1e300",
    preset: "value-grades",
    from: "min: 100000 ",
    to: "min: 1e300 ",
    code: "POLICY_SHAPE",
    at: "19:14",
  },
  {
    name: "a threshold .inf",
    preset: "value-grades",
    from: "min: 100000 ",
    to: "min: .inf ",
    code: "POLICY_SHAPE",
    at: "19:14",
  },
  {
    name: "a threshold that scale makes larger than 10^15",
    preset: "value-grades",
    from: "scale: 1 ",
    to: "scale: 1000000 ",
    also: ["min: 100000 ", "min: 10000000000 "],
    code: "POLICY_BOUNDS",
    at: "19:14",
  },
  {
    name: "a scale of 1e300",
    preset: "value-grades",
    from: "scale: 1 ",
    to: "scale: 1e300 ",
    code: "POLICY_SHAPE",
    at: "5:8",
  },
  { name: "a scale of 0", preset: "value-grades", from: "scale: 1 ", to: "scale: 0 ", code: "POLICY_SHAPE", at: "5:8" },
  {
    name: "a revenue window of 99999999999999999999 months",
    preset: "value-grades",
    from: "time_zone: UTC ",
    to: "revenue_window: 99999999999999999999 months\ntime_zone: UTC ",
    code: "POLICY_SHAPE",
    at: "6:17",
  },
  {
    name: "churn days of 1e9",
    preset: "three-tier",
    from: "alerts:",
    to: "churn: { days: 1000000000 }\nalerts:",
    code: "POLICY_SHAPE",
    at: "12:16",
  },
  {
    name: "a downgrade after 99999999999 evaluations",
    preset: "value-grades",
    from: "    # lifecycle:\n",
    to: "    lifecycle: { downgrade: after 99999999999 evaluations }\n",
    code: "POLICY_SHAPE",
    at: "",
  },
  {
    name: "grace days of 1e12",
    preset: "value-grades",
    from: "    # lifecycle:\n",
    to: "    lifecycle: { grace_days: 1000000000000 }\n",
    code: "POLICY_SHAPE",
    at: "",
  },
  {
    name: "a gift costing 1e300",
    preset: "value-grades",
    from: "gift: 50 ",
    to: "gift: 1e300 ",
    code: "POLICY_SHAPE",
    at: "50:42",
  },
];

describe("policy check bounds every window, number and setting, located", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir("tw-bounds-");
  });

  it.each(CASES)("$name: $code", async (c) => {
    const text = await presetText(c.preset);
    expect(text, "the case edits the preset").toContain(c.from);
    const file = await writeIn(
      dir,
      `${c.name.replaceAll(/\W+/g, "-")}.yaml`,
      text.replace(c.from, c.to).replace(...(c.also ?? ["", ""])),
    );
    const r = await runCli(["policy", "check", file]);
    expectCoded(r, c.name);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toContain(` ${c.code} `);
    if (c.at) expect(r.stderr).toContain(`${file}:${c.at} ${c.code}`);
    else expect(r.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+ ${c.code}`));
  });

  it("the policy of the issue stops `run` with the located code, not 'unexpected error: Invalid time value'", async () => {
    const { db } = await smallStore(dir);
    const text = (await presetText("three-tier")).replace("orders(24 months) >= 2", "orders(999999999999 months) >= 2");
    const file = await writeIn(dir, "issue.yaml", text);
    const r = await hostileRun(["run", "--db", db, "--policy", file, "--as-of", "2026-01-01"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:42:26 EXPR_BAD_LITERAL 999999999999 months is longer than 100 years`);
  });

  it("the bounds themselves are accepted: 1200 months, 36525 days, 10^15, scale 10^-6", async () => {
    const text = (await presetText("value-grades"))
      .replace("spend(12 months)", "spend(1200 months) + spend(36525 days) * 0 + 1000000000000000 * 0")
      .replace("scale: 1 ", "scale: 0.000001 ");
    const r = await runCli(["policy", "check", await writeIn(dir, "edges.yaml", text)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
