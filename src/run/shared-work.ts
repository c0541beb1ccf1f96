import type { Engine } from "../engine/engine.js";
import type { LoadedPolicy } from "../policy/load-policy.js";
import { asOfInstant } from "../sql/policy/compile-run.js";
import { type SharedSources, sharedSourcesSql } from "../sql/policy/facts.js";
import { dropTempSql, fingerprintSql } from "../sql/policy/snapshot-sql.js";
import { compileFor, hasOrderLines } from "./run.js";

/**
 * What a backfill computes once for all its dates and hands to each date's
 * snapshot. None of it depends on the as-of date, and none of it reads a
 * snapshot, so grading stays one date after the other.
 */
export interface SharedWork {
  /** Whether the store has order lines. */
  readonly lines: boolean;
  /** The data fingerprint (the data does not change during a backfill). */
  readonly fingerprint: string;
  /** Relations the facts of every date read, built once (temp tables). */
  readonly sources: SharedSources;
  /** The temp tables to drop when the backfill ends. */
  readonly tables: readonly string[];
}

/**
 * Build the shared work of a backfill over `dates` (ascending): check for
 * order lines, take the fingerprint, and build the relations the policy's
 * facts read at every date (order lines joined to orders and products once,
 * up to the last date). Outside any transaction, like the facts tables.
 */
export async function prepareSharedWork(
  engine: Engine,
  policy: LoadedPolicy,
  dates: readonly string[],
): Promise<SharedWork> {
  const first = dates[0];
  const last = dates.at(-1);
  if (first === undefined || last === undefined) throw new Error("internal: a backfill has at least one date");
  const lines = await hasOrderLines(engine);
  const { compiled } = await compileFor(engine, policy.plan, last, { lines, sources: {} });
  const zone = policy.plan.timeZone;
  const built = sharedSourcesSql(compiled.sources, asOfInstant(first, zone), asOfInstant(last, zone));
  const work: SharedWork = { lines, fingerprint: "", sources: built.shared, tables: built.tables };
  try {
    for (const statement of built.statements) await engine.exec(statement);
    const fingerprint = String((await engine.query<{ fp: unknown }>(fingerprintSql()))[0]?.fp ?? "");
    return { ...work, fingerprint };
  } catch (error) {
    await dropSharedWork(engine, work).catch(() => undefined);
    throw error;
  }
}

export async function dropSharedWork(engine: Engine, work: SharedWork): Promise<void> {
  for (const table of work.tables) await engine.exec(dropTempSql(table));
}
