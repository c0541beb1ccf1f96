/**
 * An as-of date after today is almost always a typo: every command that takes
 * one refuses it (exit 2, one line) unless --allow-future.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localToday } from "../../src/cli/as-of-option.js";
import { insertRows } from "../run/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/** A year after today (local date). */
function nextYear(): string {
  const today = localToday();
  return `${Number(today.slice(0, 4)) + 1}${today.slice(4, 8)}01`;
}

describe("a future as-of", () => {
  it("is refused by run, diff, calibrate, backfill, generate and demo without --allow-future", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "tw-future-"));
    const future = nextYear();
    for (const [args, flag] of [
      [["run", "--preset", "value-grades", "--as-of", future], "--as-of"],
      [["diff", "--policy", "value-grades", "--policy", "three-tier", "--as-of", future], "--as-of"],
      [
        [
          "calibrate",
          "--preset",
          "value-grades",
          "--scheme",
          "value-grades",
          "--customers",
          "VIP=10%",
          "--as-of",
          future,
        ],
        "--as-of",
      ],
      [["backfill", "--preset", "value-grades", "--from", "2025-01-31", "--to", future, "--every", "month"], "--to"],
      [["generate", "--out", "sample", "--customers", "10", "--as-of", future], "--as-of"],
      [["demo", "--customers", "10", "--as-of", future], "--as-of"],
    ] as const) {
      const run = await runCli(args, {}, cwd);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr.trim().split("\n"), args.join(" ")).toEqual([
        `error: ${flag} ${future} is after today (${localToday()}); pass --allow-future to grade a future date`,
      ]);
    }
  });

  it("is accepted with --allow-future, and today is not in the future", async () => {
    const db = await seededStoreFile("tw-future-", async (engine) => {
      await insertRows(engine, "customers", [{ customer_id: "C1" }]);
      await insertRows(engine, "orders", [
        { order_id: "O1", customer_id: "C1", ordered_at: "2025-01-01 10:00:00", amount: "10.00" },
      ]);
    });
    const future = nextYear();
    const allowed = await runCli(["run", "--preset", "value-grades", "--as-of", future, "--allow-future", "--db", db]);
    expect(allowed.stderr).toBe("");
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain(`as of ${future}`);
    const today = await runCli(["run", "--preset", "value-grades", "--as-of", localToday(), "--db", db]);
    expect(today.code).toBe(0);
  });
});
