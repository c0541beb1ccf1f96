import type { Engine } from "../../src/engine/engine.js";
import { raw, type SqlFragment, sql } from "../../src/sql/index.js";
import { rawRows } from "./raw-rows.js";

/**
 * PostgreSQL's plan of `statement` with sequential scans disabled: the plan
 * then shows whether an index can serve the read at all, however the
 * planner prices a small test table.
 */
export async function indexPlan(engine: Engine, statement: SqlFragment): Promise<string> {
  return engine.transaction(async () => {
    await engine.exec(raw("SET LOCAL enable_seqscan = off"));
    const rows = await engine.query(rawRows<Record<string, string>>(sql`EXPLAIN ${statement}`));
    return rows.map((r) => Object.values(r)[0]).join("\n");
  });
}
