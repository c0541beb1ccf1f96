import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import type { PolicyPlan, SchemePlan } from "../plan/policy.js";
import { findRun, planFromText } from "../run/runs.js";
import { unknownEntity } from "../run/unknown-entity.js";
import { entityHistorySql, runsOfSchemeSql } from "../sql/insight/history.js";

/** How a tier change moved the entity: to a better rank (`up`), a worse one, into or out of scope. */
export type Direction = "up" | "down" | "entered" | "left" | "renamed";

/** One tier change of one entity in one scheme. */
export interface TierChange {
  /** The as-of date of the run where the change shows. */
  readonly asOf: string;
  readonly runId: number;
  readonly scheme: string;
  /** Null when the entity was out of scope (or not yet graded) before. */
  readonly from: string | null;
  /** Null when the entity left the scope in this run. */
  readonly to: string | null;
  readonly direction: Direction;
  /** The rule that placed it in the new tier (null when it left the scope). */
  readonly ruleId: string | null;
  readonly score: number | null;
  /** "entered Gold (rule thresholds)", the rule's reason text for rules schemes, "left scope". */
  readonly reason: string;
}

export interface History {
  readonly entityId: string;
  readonly changes: readonly TierChange[];
}

/** A recorded policy's plan per run id, parsed once. */
export function planCache(engine: Engine): (runId: number) => Promise<PolicyPlan> {
  const plans = new Map<number, Promise<PolicyPlan>>();
  return (runId) => {
    let plan = plans.get(runId);
    if (!plan) {
      plan = findRun(engine, runId).then((r) => planFromText(r.policyText));
      plans.set(runId, plan);
    }
    return plan;
  };
}

/** The reason text of a rule id: the rule's own reason for rules schemes, else the rule id. */
export function ruleReason(plan: SchemePlan | undefined, ruleId: string): string {
  if (ruleId.startsWith("override:")) return `override (${ruleId.slice(9)})`;
  if (plan?.kind === "rules") {
    if (ruleId === "otherwise") return plan.otherwise?.reason ?? "no rule matched";
    const rule = plan.rules.find((r) => r.id === ruleId);
    if (rule) return `${rule.reason} (rule ${rule.id})`;
  }
  return `rule ${ruleId}`;
}

/**
 * Every tier change of one customer (or lead) across the stored runs, in
 * as-of order (then run id): the first run that grades it ("entered"),
 * each change of tier, and leaving the scope (a run of the scheme without a
 * grade for it). One set-based query (LAG over the entity's grades).
 *
 * @example
 * const { changes } = await history(store, "C0000042", { scheme: "value-grades" });
 * for (const c of changes) console.log(c.asOf, c.from, "→", c.to, c.reason);
 */
export async function history(engine: Engine, entityId: string, options: { scheme?: string } = {}): Promise<History> {
  await findRun(engine);
  const rows = await engine.query(entityHistorySql(entityId, options.scheme));
  if (rows.length === 0) {
    if (options.scheme === undefined)
      throw await unknownEntity(engine, ["customers", "leads"], entityId, "customer or lead");
    if ((await engine.query(runsOfSchemeSql(options.scheme))).length === 0)
      throw new TierwiseError("UNKNOWN_SCHEME", { scheme: options.scheme, where: "any stored run" });
    throw await unknownEntity(engine, ["customers", "leads"], entityId, `customer or lead graded in ${options.scheme}`);
  }
  const plans = planCache(engine);
  const changes: TierChange[] = [];
  for (const r of rows) {
    const runId = r.run_id;
    const scheme = r.scheme;
    const from = r.prev_tier;
    const to = r.tier;
    const fromRank = r.prev_rank;
    const toRank = r.tier_rank;
    const ruleId = r.rule_id;
    const direction: Direction =
      from === null
        ? "entered"
        : to === null
          ? "left"
          : toRank !== null && fromRank !== null && toRank < fromRank
            ? "up"
            : toRank !== null && fromRank !== null && toRank > fromRank
              ? "down"
              : "renamed";
    let reason = "left scope";
    if (ruleId !== null) {
      const plan = r.kind === "rules" ? (await plans(runId)).schemes.find((s) => s.name === scheme) : undefined;
      const why = ruleReason(plan, ruleId);
      reason = direction === "entered" ? `entered ${to} (${why})` : why;
    }
    changes.push({
      asOf: r.as_of.slice(0, 10),
      runId,
      scheme,
      from,
      to,
      direction,
      ruleId,
      score: r.score,
      reason,
    });
  }
  return { entityId, changes };
}
