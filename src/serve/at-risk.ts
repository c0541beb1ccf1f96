import type { Engine } from "../engine/engine.js";
import { churnSqlOptions } from "../insight/churn.js";
import type { DataFingerprint } from "../insight/data-fingerprint.js";
import { planFromText, type StoredRun } from "../run/runs.js";
import { createAtRiskSql } from "../sql/serve/customers.js";

/**
 * The customers at risk as of the latest run (churn's definition and SQL,
 * src/sql/compile/churn.ts `churnStateSql`, with the run's policy and as-of,
 * as `tierwise churn` lists them), kept as a temp table of the server's
 * connection per run and data: the first `at_risk` page after a run or a
 * change of the data computes it, the next pages read it.
 */
export class AtRiskTable {
  private key: string | undefined;

  constructor(
    private readonly data: DataFingerprint,
    readonly name = "tw_serve_at_risk",
  ) {}

  /** The table's name, once it holds the run's customers at risk. */
  async of(engine: Engine, run: StoredRun): Promise<string> {
    const key = JSON.stringify([run.runId, run.policyText, await this.data.of(engine)]);
    if (this.key !== key) {
      this.key = undefined;
      const options = await churnSqlOptions(engine, planFromText(run.policyText), run.asOf);
      await engine.exec(createAtRiskSql(this.name, options));
      this.key = key;
    }
    return this.name;
  }
}
