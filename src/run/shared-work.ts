import type { Engine } from "../engine/engine.js";
import { InternalError } from "../errors/index.js";
import type { LoadedPolicy } from "../policy/load-policy.js";
import { asOfInstant } from "../sql/compile/compile-run.js";
import {
  type FactSource,
  type KeyedParts,
  type RolledSource,
  type SharedSources,
  sharedSourcesSql,
} from "../sql/compile/facts.js";
import { ROLLABLE_SOURCES, rolledColumns, rollSql } from "../sql/compile/rolling-facts.js";
import { dropTempSql, fingerprintSql } from "../sql/run/snapshot.js";
import { compileFor, hasOrderLines } from "./compile-for.js";

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
  /** Sources whose facts roll from date to date (see src/sql/compile/rolling-facts.ts), with their aggregates. */
  readonly rolling: readonly { readonly source: FactSource; readonly facts: readonly KeyedParts[] }[];
  readonly dates: readonly string[];
  readonly timeZone: string;
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
  if (first === undefined || last === undefined) throw new InternalError("a backfill has at least one date");
  const lines = await hasOrderLines(engine);
  const { compiled } = await compileFor(engine, policy.plan, last, { lines, sources: {} });
  const zone = policy.plan.timeZone;
  // Category aggregates have parts only when they count by first_at (new_categories): then last_at is never read.
  const firstOnly = compiled.parts.has("categories");
  const built = sharedSourcesSql(compiled.sources, asOfInstant(first, zone), asOfInstant(last, zone), firstOnly);
  const rolling = [...compiled.parts]
    .filter(([source]) => ROLLABLE_SOURCES.has(source))
    .map(([source, facts]) => ({ source, facts }));
  const rolled = rolling.flatMap(({ source }) => [rolledTable(source, 0), rolledTable(source, 1)]);
  const work: SharedWork = {
    lines,
    fingerprint: "",
    sources: built.shared,
    tables: [...built.tables, ...rolled],
    rolling,
    dates,
    timeZone: zone,
  };
  try {
    for (const statement of built.statements) await engine.exec(statement);
    const fingerprint = (await engine.query(fingerprintSql()))[0]?.fp ?? "";
    return { ...work, fingerprint };
  } catch (error) {
    await dropSharedWork(engine, work).catch(() => undefined);
    throw error;
  }
}

const rolledTable = (source: FactSource, index: number) => `tw_rolled_${source}_${index % 2}`;

/**
 * The shared sources of the date at `index` (dates are graded in order):
 * each rolled source's facts brought to that date, from a scan at the first
 * date and from the previous date's table after it. Outside any transaction.
 */
export async function sourcesAt(engine: Engine, work: SharedWork, index: number): Promise<SharedSources> {
  const date = work.dates[index];
  if (date === undefined) throw new InternalError(`no backfill date ${index}`);
  const previousDate = index > 0 ? work.dates[index - 1] : undefined;
  const rolled: Partial<Record<FactSource, RolledSource>> = {};
  for (const { source, facts } of work.rolling) {
    const table = rolledTable(source, index);
    const previous =
      previousDate === undefined ? undefined : { table: rolledTable(source, index - 1), date: previousDate };
    await engine.exec(rollSql(source, facts, table, { date, timeZone: work.timeZone }, previous));
    if (previous) await engine.exec(dropTempSql(previous.table));
    rolled[source] = { table, columns: rolledColumns(facts) };
  }
  return { ...work.sources, rolled };
}

export async function dropSharedWork(engine: Engine, work: SharedWork): Promise<void> {
  for (const table of work.tables) await engine.exec(dropTempSql(table));
}
