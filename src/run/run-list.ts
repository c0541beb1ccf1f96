import type { Engine } from "../engine/engine.js";
import { currencyOf } from "../policy/currency.js";
import { runListSql } from "../sql/run/runs.js";

/** One stored run as `tierwise runs` lists it. */
export interface RunListing {
  readonly runId: number;
  readonly asOf: string;
  readonly policyHash: string;
  /** The currency of the policy the run recorded (after --currency): its money is in this. */
  readonly currency: string;
  /** When the run started (UTC, `YYYY-MM-DD HH:MM:SS`). */
  readonly createdAt: string;
  /** The run's schemes in policy order, each with the entities it graded. */
  readonly schemes: readonly { readonly scheme: string; readonly entity: string; readonly graded: number }[];
  /** Customers graded: the most any one customer scheme of the run graded. */
  readonly customers: number;
  /** Its outbox events, and how many of them at least one webhook received. */
  readonly events: number;
  readonly delivered: number;
  /** Whether it is the latest run (the latest as-of, ties to the newest run): the default of every command. */
  readonly latest: boolean;
}

interface SummaryScheme {
  readonly scheme?: unknown;
  readonly entity?: unknown;
  readonly graded?: unknown;
}

function schemesOf(summary: string): RunListing["schemes"] {
  try {
    const parsed = JSON.parse(summary) as { schemes?: readonly SummaryScheme[] };
    return (parsed.schemes ?? []).map((s) => ({
      scheme: String(s.scheme),
      entity: String(s.entity),
      graded: Number(s.graded ?? 0),
    }));
  } catch {
    return [];
  }
}

/**
 * Every stored run, latest first (by as-of, ties to the newest run): id,
 * as-of, policy hash, schemes with the entities graded, creation time and
 * its events (delivered or not).
 * @example
 * const [latest] = await listRuns(store); // the run every command reads by default
 */
export async function listRuns(engine: Engine): Promise<RunListing[]> {
  const rows = await engine.query(runListSql());
  return rows.map((r, i) => {
    const schemes = schemesOf(r.summary);
    return {
      runId: r.run_id,
      asOf: r.as_of.slice(0, 10),
      policyHash: r.policy_hash,
      currency: currencyOf(r.policy_text),
      createdAt: r.started_at.slice(0, 19),
      schemes,
      customers: Math.max(0, ...schemes.filter((s) => s.entity === "customers").map((s) => s.graded)),
      events: r.events,
      delivered: r.delivered,
      latest: i === 0,
    };
  });
}
