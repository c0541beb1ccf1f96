import { expect, it } from "vitest";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { catchUpLiveGrades } from "../../../src/realtime/catch-up.js";
import { run } from "../../../src/run/run.js";
import { col, select, sql } from "../../../src/sql/index.js";
import { live, NOW } from "../serve/live-support.js";
import { call } from "../serve/support.js";

const valueGrade = async (s: Awaited<ReturnType<typeof live>>, id: string) => {
  const r = await call(s.app, "GET", `/customers/${id}/grades`, s.viewer);
  return (r.body as { grades: { scheme: string; tier: string | null; source: string }[] }).grades.find(
    (g) => g.scheme === "value-grades",
  );
};

/**
 * A full run that began before an event and committed after it (its
 * transaction did not see the event on DuckDB) supersedes the event's live
 * grade; catching up grades that customer again on top of the new run.
 * (On PostgreSQL each statement of the run sees what was committed before
 * it, so the run itself mostly sees the event: the end is the same.)
 */
it("after a run that may not have seen an event, its customer is graded again on top of the new run", async () => {
  const s = await live(["value-grades"]);
  const other = await s.engine.connect();
  try {
    const policy = await loadPolicy({ presets: ["value-grades"] });
    await other.transaction(async () => {
      // The run's transaction has begun and read the store before the event.
      await other.query(select({ n: col.integer }, sql`SELECT CAST(count(*) AS BIGINT) AS n FROM orders`));
      const r = await call(s.app, "POST", "/events/orders", s.key, {
        order_id: "during",
        customer_id: "c05",
        ordered_at: "2025-12-30T10:00:00Z",
        amount: 60000,
        status: "completed",
      });
      expect(r.status).toBe(200);
      await run(other, policy, { asOf: "2026-01-01" });
    });
    const afterRun = await valueGrade(s, "c05");
    if (process.env["TIERWISE_TEST_ENGINE"] !== "postgres")
      expect(afterRun).toMatchObject({ tier: "Regular", source: "run" }); // the run did not see the order
    expect(await catchUpLiveGrades(s.engine, 1, NOW, NOW)).toBe(1);
    expect(await valueGrade(s, "c05")).toMatchObject({ tier: "Gold" });
    // A second pass is harmless: the same grade again, no tier change.
    expect(await catchUpLiveGrades(s.engine, 1, NOW, NOW)).toBe(1);
    expect(await valueGrade(s, "c05")).toMatchObject({ tier: "Gold" });
  } finally {
    await other.close();
    await s.close();
  }
});
