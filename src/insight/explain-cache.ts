import type { Engine } from "../engine/engine.js";
import type { PolicyPlan, SchemePlan } from "../plan/policy.js";
import { compileFor } from "../run/compile-for.js";
import { dropAll, prepareFacts } from "../run/run.js";
import { findRun, type StoredRun } from "../run/runs.js";
import type { CompiledScheme } from "../sql/compile/compile-run.js";
import {
  createAssignedSql,
  createSchemeExplainSql,
  createWideExplainSql,
  decodeAssigned,
  explainColumns,
  explainLookupSql,
  wideColumn,
} from "../sql/insight/explain-cache.js";
import { activeOverridesSql, type OverrideRow } from "../sql/run/records.js";
import { createTempSql, dropTempSql } from "../sql/run/snapshot.js";
import { DataFingerprint } from "./data-fingerprint.js";
import { type ExplainRow, type ExplainRows, type OpenExplainRows, recompute } from "./explain.js";

interface Kept {
  /** The run and the data fingerprint the tables were computed for. */
  readonly key: string;
  /** Each customer scheme of the run's policy by name: its compiled SQL, its number in the wide table, its columns. */
  readonly byName: ReadonlyMap<
    string,
    { readonly scheme: CompiledScheme; readonly k: number; readonly columns: string[] }
  >;
  readonly clvWarnings: readonly string[];
}

/**
 * Explanation rows kept per run and data, for a process that explains many
 * customers of one store (the server): the first explanation after a run or
 * a change of the data computes the facts and every customer scheme's
 * explain columns for every customer once (the schemes' `explainAll`, the
 * very SQL `explainFor` restricts to one entity), and the run's grades of
 * every customer, into temp tables of the connection indexed by id; each
 * explanation then reads two rows by id. Same run, policy, as-of and data
 * (the fingerprint is part of the key): the same explanation as
 * `recompute`. Leads' schemes are recomputed. One connection, one call at a
 * time.
 */
export class ExplanationCache implements ExplainRows {
  private kept: Kept | undefined;

  constructor(
    /** The store's fingerprint, taken again only when the data may have changed. */
    private readonly data: DataFingerprint = new DataFingerprint(),
    private readonly prefix = "tw_explain",
  ) {}

  private get wide(): string {
    return `${this.prefix}_wide`;
  }

  private get assignedTable(): string {
    return `${this.prefix}_assigned`;
  }

  /** The latest run, read again only when the data may have changed (a run is a write). */
  latestRun(engine: Engine): Promise<StoredRun> {
    return this.data.remember("latest run", () => findRun(engine));
  }

  /** The overrides not removed, all of them read again only when the data may have changed (an override is a write). */
  async overrides(engine: Engine, entityId: string): Promise<readonly OverrideRow[]> {
    const all = await this.data.remember("overrides", async () => {
      const byEntity = new Map<string, OverrideRow[]>();
      for (const o of await engine.query(activeOverridesSql({}))) {
        const list = byEntity.get(o.entity_id) ?? [];
        list.push(o);
        byEntity.set(o.entity_id, list);
      }
      return byEntity;
    });
    return all.get(entityId) ?? [];
  }

  async open(
    engine: Engine,
    stored: StoredRun,
    plan: PolicyPlan,
    schemes: readonly SchemePlan[],
    entityId: string,
  ): Promise<OpenExplainRows> {
    if (schemes.some((s) => s.entity !== "customers")) return recompute.open(engine, stored, plan, schemes, entityId);
    const fingerprint = await this.data.of(engine);
    const key = JSON.stringify([stored.runId, stored.policyText, fingerprint]);
    if (this.kept?.key !== key) this.kept = await this.build(engine, stored, plan, key);
    const kept = this.kept;
    const found = schemes.map((s) => kept.byName.get(s.name));
    if (found.some((f) => f === undefined)) return recompute.open(engine, stored, plan, schemes, entityId);
    const parts = found.filter((f) => f !== undefined);
    const rows = await engine.query(explainLookupSql(this.wide, this.assignedTable, entityId));
    const wide = rows[0];
    const byScheme = new Map(parts.map((p) => [p.scheme, p]));
    return {
      schemes: parts.map((p) => p.scheme),
      assigned: rows.filter((r) => r["scheme"] !== null && r["scheme"] !== undefined).map((r) => decodeAssigned(r)),
      clvWarnings: kept.clvWarnings,
      fingerprint,
      row: async (s): Promise<ExplainRow> => {
        const p = byScheme.get(s);
        if (!wide || !p || wide[wideColumn(p.k, "in")] !== true) return undefined;
        return Object.fromEntries(p.columns.map((c) => [c, wide[wideColumn(p.k, c)]]));
      },
      release: async () => undefined,
    };
  }

  /** Compute every customer scheme's explain rows and the run's grades into temp tables (replacing the last ones). */
  private async build(engine: Engine, stored: StoredRun, plan: PolicyPlan, key: string): Promise<Kept> {
    this.kept = undefined;
    const schemes = plan.schemes.filter((s) => s.entity === "customers");
    const { compiled } = await compileFor(engine, { ...plan, schemes }, stored.asOf);
    const tables = compiled.schemes.map((_, k) => `${this.prefix}_${k + 1}`);
    try {
      const clvWarnings = await prepareFacts(engine, compiled, plan, stored.asOf);
      for (const f of compiled.facts) await engine.exec(createTempSql(f.table, f.query));
      const byName = new Map<string, { scheme: CompiledScheme; k: number; columns: string[] }>();
      for (const [i, s] of compiled.schemes.entries()) {
        await engine.exec(createSchemeExplainSql(tables[i] ?? "", s));
        byName.set(s.plan.name, { scheme: s, k: i + 1, columns: explainColumns(s) });
      }
      await engine.exec(
        createWideExplainSql(
          this.wide,
          compiled.schemes.map((s, i) => ({ table: tables[i] ?? "", columns: explainColumns(s) })),
        ),
      );
      await engine.exec(createAssignedSql(this.assignedTable, stored.runId));
      return { key, byName, clvWarnings };
    } finally {
      for (const table of tables) await engine.exec(dropTempSql(table)).catch(() => undefined);
      await dropAll(engine, compiled).catch(() => undefined);
    }
  }
}
