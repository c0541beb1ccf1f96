import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { churnSqlOptions } from "../../../src/insight/churn.js";
import { findRun, planFromText } from "../../../src/run/runs.js";
import { createAtRiskSql, customerPageSql } from "../../../src/sql/serve/customers.js";
import { openStore } from "../../../src/store/index.js";
import { indexPlan } from "../../support/index-plan.js";
import { createTestDatabase } from "../../support/postgres-database.js";
import { grade, seed } from "../support.js";
import { CUSTOMERS } from "./support.js";

/**
 * On PostgreSQL a page of `GET /customers` starts at the cursor through the
 * customers' id index (schema 5) and reads one run's grades through
 * tw_grades_run: no sequential scan of either, however many customers and
 * runs the store holds. With sequential scans disabled the plan shows
 * whether an index can serve the read at all.
 */
const BASE = { limit: 50, sort: "id", q: null, scheme: null, tier: null } as const;

describe("PostgreSQL: GET /customers reads through indexes", () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
  });

  it("a page after a cursor, filtered by scheme and tier", async () => {
    const { url } = await createTestDatabase("tw_serve_plan");
    engine = await openStore("", { engine: "postgres", databaseUrl: url });
    await seed(engine, { customers: CUSTOMERS });
    await grade(engine, { presets: ["abc"] });
    for (const search of [
      { after: { id: "c03" }, q: null, scheme: null, tier: null },
      { after: null, q: null, scheme: "abc", tier: "A" },
    ]) {
      const text = await indexPlan(
        engine,
        customerPageSql({ dialect: engine.dialect, runId: 1, limit: 50, sort: "id", atRisk: null, ...search })
          .statement,
      );
      expect(text).toContain("serve_customers_id");
      expect(text).toContain("tw_grades_run");
      expect(text).not.toMatch(/Seq Scan on (customers|tw_grades)\b/);
    }
  });

  it("a page of the customers at risk reads the kept ids through their index", async () => {
    const { url } = await createTestDatabase("tw_serve_plan_risk");
    engine = await openStore("", { engine: "postgres", databaseUrl: url });
    await seed(engine, { customers: CUSTOMERS });
    await grade(engine, { presets: ["abc"] });
    const run = await findRun(engine);
    await engine.exec(
      createAtRiskSql("tw_serve_at_risk", await churnSqlOptions(engine, planFromText(run.policyText), run.asOf)),
    );
    const atRisk = { table: "tw_serve_at_risk", value: true };
    for (const after of [null, { id: "c03" }]) {
      const page = customerPageSql({ ...BASE, dialect: engine.dialect, runId: run.runId, atRisk, after });
      const text = await indexPlan(engine, page.statement);
      expect(text).toContain("serve_customers_id");
      expect(text).toContain("tw_serve_at_risk_id");
      expect(text).not.toMatch(/Seq Scan on (customers|tw_grades|tw_serve_at_risk)\b/);
    }
  });
});
