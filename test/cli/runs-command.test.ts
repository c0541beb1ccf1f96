import { beforeAll, describe, expect, it } from "vitest";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { backfill } from "../../src/run/backfill.js";
import { run } from "../../src/run/run.js";
import { insertDeliverySql } from "../../src/sql/delivery/events.js";
import type { openStore } from "../../src/store/index.js";
import { seedGoldSilverRegular } from "../run/history/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/**
 * A, B, C graded by value-grades as of 2025-12-31 (run 1: Gold, Silver,
 * Regular), then a current run as of 2026-01-01 (run 2, unchanged: no
 * events), then a run as of 2030-01-01 typed by mistake (run 3: every order
 * is outside its 12 months, so all three fall to Potential: 3 events).
 */
async function fill(engine: Awaited<ReturnType<typeof openStore>>): Promise<void> {
  await seedGoldSilverRegular(engine);
  const policy = await loadPolicy({ presets: ["value-grades"] });
  for (const asOf of ["2025-12-31", "2026-01-01", "2030-01-01"]) await run(engine, policy, { asOf });
}

describe("tierwise runs", () => {
  let db: string;
  beforeAll(async () => {
    db = await seededStoreFile("tw-runs-", fill);
  });

  it("lists the runs latest first and names the default run", async () => {
    const r = await runCli(["runs", "--db", db]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^run\s+as of\s+policy\s+schemes\s+customers\s+events$/);
    expect(lines.slice(2, 5).map((l) => l.trim().split(/\s+/).slice(0, 2))).toEqual([
      ["3", "2030-01-01"],
      ["2", "2026-01-01"],
      ["1", "2025-12-31"],
    ]);
    expect(lines[2]).toMatch(/value-grades\s+3\s+3 \(0 sent\)$/);
    expect(lines.at(-1)).toBe("latest: run 3 (as of 2030-01-01), the default of every command");
    const json = JSON.parse((await runCli(["runs", "--db", db, "--json"])).stdout) as { runId: number }[];
    expect(json.map((x) => x.runId)).toEqual([3, 2, 1]);
  });

  it("deletes a mistaken run; the real latest run is every command's default again", async () => {
    const path = await seededStoreFile("tw-runs-del-", fill);
    expect((await runCli(["explain", "B", "--db", path])).stdout).toContain("B in run 3 as of 2030-01-01");
    const r = await runCli(["runs", "delete", "3", "--db", path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("deleted run 3 (as of 2030-01-01) with 3 events; latest: run 2 (as of 2026-01-01)\n");
    expect((await runCli(["explain", "B", "--db", path])).stdout).toContain("B in run 2 as of 2026-01-01");
    expect((await runCli(["runs", "--db", path])).stdout).toContain("latest: run 2 (as of 2026-01-01)");
    expect((await runCli(["events", "--db", path])).stdout).toBe("");
  });

  it("refuses a run whose events were delivered, naming them, and deletes it with --force", async () => {
    const path = await seededStoreFile("tw-runs-force-", async (engine) => {
      await fill(engine);
      for (const eventId of [1, 2])
        await engine.exec(
          insertDeliverySql({
            eventId,
            url: "https://hooks.example/tiers",
            attempt: 1,
            at: "2030-01-01 00:00:01",
            status: 200,
            error: null,
            delivered: true,
          }),
        );
    });
    const refused = await runCli(["runs", "delete", "3", "--db", path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "RUN_EVENTS_DELIVERED: run 3 has 2 events already delivered to webhooks (event ids 1, 2)",
    );
    expect(refused.stderr).toContain("--force");
    expect((await runCli(["runs", "--db", path])).stdout).toContain("3 (2 sent)");
    const forced = await runCli(["runs", "delete", "3", "--force", "--db", path]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("with 3 events, 2 of them delivered; latest: run 2 (as of 2026-01-01)");
  });

  it("rejects bad ids: unknown (exit 1), not a number (exit 2)", async () => {
    const unknown = await runCli(["runs", "delete", "9", "--db", db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("RUN_NOT_FOUND");
    const bad = await runCli(["runs", "delete", "last", "--db", db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("run ids");
  });

  it("after a backfill behind a current run, every command reads the current run and names it", async () => {
    const path = await seededStoreFile("tw-runs-backfill-", async (engine) => {
      await seedGoldSilverRegular(engine);
      const policy = await loadPolicy({ presets: ["value-grades"] });
      await run(engine, policy, { asOf: "2026-01-01" }); // run 1
      await backfill(engine, policy, { from: "2025-10-31", to: "2025-12-31", every: "month" }); // runs 2..4
    });
    const cli = async (...args: string[]) => {
      const r = await runCli([...args, "--db", path]);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    expect(await cli("explain", "A")).toContain("A in run 1 as of 2026-01-01");
    expect(await cli("export", "--out", `${path}.csv`)).toContain("rows of run 1 (as of 2026-01-01;");
    expect(await cli("report")).toContain("Customer tiers as of January 1, 2026: run 1,");
    expect(await cli("migrations", "--scheme", "value-grades")).toContain(
      "run 4 (as of 2025-12-31) → run 1 (as of 2026-01-01)",
    );
    expect(await cli("churn", "--scheme", "value-grades")).toContain("up to run 1 (as of 2026-01-01)");
  });
});
