import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, type RowOf, select } from "../row.js";
import { latestFirst } from "./run-order.js";

/** Queries and writes on Tierwise's own tables: runs, assignments, overrides, ratings. */

const storedRunShape = {
  run_id: col.integer,
  as_of: col.date,
  policy_hash: col.text,
  policy_text: col.text,
  data_fingerprint: col.text,
  engine: col.text,
  summary: col.text,
  duration_ms: col.integer,
} as const;

/** The run with this id, or the latest run (run-order.ts: the latest as-of, ties to the newest run). */
export function runSql(runId: number | undefined) {
  const where = runId === undefined ? raw("") : sql` WHERE run_id = ${runId}`;
  return select(
    storedRunShape,
    sql`SELECT run_id, CAST(as_of AS VARCHAR) AS as_of, policy_hash, policy_text, data_fingerprint, engine, summary, duration_ms
  FROM ${ident("tw_runs")}${where} ORDER BY ${latestFirst()} LIMIT 1`,
  );
}

/** One entity's row of tw_assignments in each scheme of a run (lifecycle columns NULL without a lifecycle). */
export type EntityAssignmentRow = RowOf<typeof entityAssignmentShape>;
const entityAssignmentShape = {
  scheme: col.text,
  tier: col.text,
  tier_rank: col.integer,
  score: col.nullable(col.number),
  rule_id: col.text,
  natural_tier: col.nullable(col.text),
  flags: col.nullable(col.text),
  qualified_tier: col.nullable(col.text),
  life_state: col.nullable(col.text),
  pending_tier: col.nullable(col.text),
  due_on: col.nullable(col.date),
  entered_on: col.nullable(col.date),
  below_count: col.nullable(col.integer),
} as const;

export function assignmentsOfEntitySql(runId: number, entityId: string) {
  return select(
    entityAssignmentShape,
    sql`SELECT scheme, tier, tier_rank, score, rule_id, natural_tier, flags, qualified_tier, life_state, pending_tier, due_on,
  entered_on, below_count FROM ${ident("tw_assignments")}
  WHERE run_id = ${integer(runId)} AND entity_id = ${entityId}`,
  );
}

/** One page of a run's assignments, in (scheme, entity_id) order after `after` (keyset paging). */
export function exportPageSql(
  runId: number,
  schemes: readonly string[],
  after: { scheme: string; entityId: string } | undefined,
  limit: number,
) {
  const only =
    schemes.length === 0
      ? raw("")
      : sql` AND (${join(
          schemes.map((s) => sql`scheme = ${s}`),
          " OR ",
        )})`;
  const next =
    after === undefined
      ? raw("")
      : sql` AND (scheme > ${after.scheme} OR (scheme = ${after.scheme} AND entity_id > ${after.entityId}))`;
  return select(
    { entity_id: col.text, scheme: col.text, tier: col.text, tier_rank: col.integer, score: col.nullable(col.number) },
    sql`SELECT entity_id, scheme, tier, tier_rank, score FROM ${ident("tw_assignments")}
  WHERE run_id = ${integer(runId)}${only}${next} ORDER BY scheme, entity_id LIMIT ${integer(limit)}`,
  );
}

/** A row of tw_overrides (timestamps as the engine's text). */
export type OverrideRow = RowOf<typeof overrideShape>;
const overrideShape = {
  override_id: col.integer,
  scheme: col.text,
  entity_id: col.text,
  tier: col.text,
  mode: col.text,
  reason: col.text,
  created_by: col.text,
  created_at: col.timestamp,
  expires_at: col.nullable(col.date),
  removed_at: col.nullable(col.timestamp),
  removed_by: col.nullable(col.text),
} as const;

/**
 * Overrides in id order: active ones, or all (removed and replaced too) when `all`. `activeOn`
 * (YYYY-MM-DD) leaves out those expired by that date; `afterId` and `limit` page by id.
 */
export function activeOverridesSql(filter: {
  scheme?: string;
  entityId?: string;
  all?: boolean;
  activeOn?: string;
  afterId?: number;
  limit?: number;
}) {
  const parts: SqlFragment[] = [];
  if (!filter.all) parts.push(raw("removed_at IS NULL"));
  if (filter.scheme !== undefined) parts.push(sql`scheme = ${filter.scheme}`);
  if (filter.entityId !== undefined) parts.push(sql`entity_id = ${filter.entityId}`);
  if (filter.activeOn !== undefined)
    parts.push(sql`(expires_at IS NULL OR expires_at > CAST(${filter.activeOn} AS DATE))`);
  if (filter.afterId !== undefined) parts.push(sql`override_id > ${integer(filter.afterId)}`);
  const where = parts.length ? sql` WHERE ${join(parts, " AND ")}` : raw("");
  const limit = filter.limit === undefined ? raw("") : sql` LIMIT ${integer(filter.limit)}`;
  return select(
    overrideShape,
    sql`SELECT override_id, scheme, entity_id, tier, mode, reason, created_by, CAST(created_at AS VARCHAR) AS created_at,
  CAST(expires_at AS VARCHAR) AS expires_at, CAST(removed_at AS VARCHAR) AS removed_at, removed_by
  FROM ${ident("tw_overrides")}${where} ORDER BY override_id${limit}`,
  );
}

export function nextIdSql(table: "tw_overrides" | "tw_ratings") {
  if (table === "tw_ratings") {
    // A removed rating leaves tw_ratings but keeps its lines in the log: its id is never given again.
    return select(
      { id: col.integer },
      sql`SELECT coalesce(max(rating_id), 0) + 1 AS id FROM (SELECT rating_id FROM ${ident("tw_ratings")}
  UNION ALL SELECT rating_id FROM ${ident("tw_rating_log")}) x`,
    );
  }
  return select({ id: col.integer }, sql`SELECT coalesce(max(override_id), 0) + 1 AS id FROM ${ident(table)}`);
}

const now = () => sql`CAST(${new Date().toISOString().replace("T", " ").slice(0, 23)} AS TIMESTAMP)`;

export function insertOverrideSql(o: {
  id: number;
  scheme: string;
  entityId: string;
  tier: string;
  mode: string;
  reason: string;
  by: string;
  expires?: string;
}): SqlFragment {
  const expires = o.expires === undefined ? raw("NULL") : sql`CAST(${o.expires} AS DATE)`;
  return sql`INSERT INTO ${ident("tw_overrides")} VALUES (${o.id}, ${o.scheme}, ${o.entityId}, ${o.tier}, ${o.mode}, ${o.reason}, ${o.by},
  ${now()}, ${expires}, NULL, NULL)`;
}

export function removeOverrideSql(id: number, by: string): SqlFragment {
  return sql`UPDATE ${ident("tw_overrides")} SET removed_at = ${now()}, removed_by = ${by} WHERE override_id = ${id} AND removed_at IS NULL`;
}

export function logOverrideSql(e: {
  id: number;
  action: string;
  by: string;
  scheme: string;
  entityId: string;
  tier?: string;
  mode?: string;
  reason?: string;
  previous?: string;
}): SqlFragment {
  return sql`INSERT INTO ${ident("tw_override_log")} VALUES (${e.id}, ${e.action}, ${now()}, ${e.by}, ${e.scheme}, ${e.entityId},
  ${e.tier ?? null}, ${e.mode ?? null}, ${e.reason ?? null}, ${e.previous ?? null})`;
}

/**
 * One line of the override audit log. `override_id` stays the engine's text
 * (BIGINT arrives as text on both engines): `override list --log --json`
 * prints the rows as they are.
 */
export type OverrideLogRow = RowOf<typeof overrideLogShape>;
const overrideLogShape = {
  override_id: col.text,
  action: col.text,
  logged_at: col.timestamp,
  by_name: col.text,
  scheme: col.text,
  entity_id: col.text,
  tier: col.nullable(col.text),
  mode: col.nullable(col.text),
  reason: col.nullable(col.text),
  previous: col.nullable(col.text),
} as const;

/** The audit log, oldest first; only the lines of the overrides `ids` when given. */
export function overrideLogSql(ids?: readonly number[]) {
  const where =
    ids === undefined
      ? raw("")
      : ids.length === 0
        ? raw(" WHERE 1 = 0")
        : sql` WHERE override_id IN (${join(
            ids.map((id) => integer(id)),
            ", ",
          )})`;
  return select(
    overrideLogShape,
    sql`SELECT override_id, action, CAST(logged_at AS VARCHAR) AS logged_at, by_name, scheme, entity_id, tier, mode, reason, previous
  FROM ${ident("tw_override_log")}${where} ORDER BY logged_at, override_id`,
  );
}

/** A rating and its `rated` line in the audit log (at the time it applies from). */
export function insertRatingSql(
  id: number,
  customerId: string,
  rating: number,
  by: string,
  at?: string,
): SqlFragment[] {
  const when = at === undefined ? now() : sql`CAST(${at} AS TIMESTAMP)`;
  return [
    sql`INSERT INTO ${ident("tw_ratings")} VALUES (${id}, ${customerId}, ${rating}, ${when}, ${by})`,
    sql`INSERT INTO ${ident("tw_rating_log")} VALUES (${id}, 'rated', ${when}, ${by}, ${customerId}, ${rating})`,
  ];
}

/**
 * Remove a rating from tw_ratings (runs no longer see it); its `removed` line keeps who and when
 * (and its `rated` line is written first if it has none: a rating loaded into tw_ratings directly).
 */
export function removeRatingSql(id: number, by: string): SqlFragment[] {
  return [
    sql`INSERT INTO ${ident("tw_rating_log")} SELECT rating_id, 'rated', rated_at, rated_by, customer_id, rating
  FROM ${ident("tw_ratings")} r WHERE rating_id = ${id}
  AND NOT EXISTS (SELECT 1 FROM ${ident("tw_rating_log")} l WHERE l.rating_id = r.rating_id AND l.action = 'rated')`,
    sql`INSERT INTO ${ident("tw_rating_log")} SELECT rating_id, 'removed', ${now()}, ${by}, customer_id, rating
  FROM ${ident("tw_ratings")} WHERE rating_id = ${id}`,
    sql`DELETE FROM ${ident("tw_ratings")} WHERE rating_id = ${id}`,
  ];
}

/** A rating with its audit trail: who rated when, and who removed it when (NULL while it stands). */
export type RatingRow = RowOf<typeof ratingShape>;
const ratingShape = {
  rating_id: col.integer,
  customer_id: col.text,
  rating: col.integer,
  rated_at: col.timestamp,
  rated_by: col.text,
  removed_at: col.nullable(col.timestamp),
  removed_by: col.nullable(col.text),
} as const;

/**
 * Ratings in id order: those standing (tw_ratings), and the removed ones
 * (their `removed` and `rated` lines of the log) when `all`; `afterId` and
 * `limit` page by id.
 */
export function ratingsSql(filter: {
  customerId?: string;
  id?: number;
  all?: boolean;
  afterId?: number;
  limit?: number;
}) {
  const standing = sql`SELECT rating_id, customer_id, rating, CAST(rated_at AS VARCHAR) AS rated_at, rated_by,
    CAST(NULL AS VARCHAR) AS removed_at, CAST(NULL AS VARCHAR) AS removed_by FROM ${ident("tw_ratings")}`;
  const removed = sql`SELECT d.rating_id, d.customer_id, d.rating, CAST(a.logged_at AS VARCHAR) AS rated_at, a.by_name AS rated_by,
    CAST(d.logged_at AS VARCHAR) AS removed_at, d.by_name AS removed_by
    FROM ${ident("tw_rating_log")} d JOIN ${ident("tw_rating_log")} a ON a.rating_id = d.rating_id AND a.action = 'rated'
    WHERE d.action = 'removed'`;
  const parts: SqlFragment[] = [];
  if (filter.customerId !== undefined) parts.push(sql`customer_id = ${filter.customerId}`);
  if (filter.id !== undefined) parts.push(sql`rating_id = ${integer(filter.id)}`);
  if (filter.afterId !== undefined) parts.push(sql`rating_id > ${integer(filter.afterId)}`);
  const where = parts.length ? sql` WHERE ${join(parts, " AND ")}` : raw("");
  const limit = filter.limit === undefined ? raw("") : sql` LIMIT ${integer(filter.limit)}`;
  const from = filter.all ? sql`(${standing} UNION ALL ${removed})` : sql`(${standing})`;
  return select(
    ratingShape,
    sql`SELECT rating_id, customer_id, rating, rated_at, rated_by, removed_at, removed_by
  FROM ${from} x${where} ORDER BY rating_id${limit}`,
  );
}

/** Whether the rating `id` stands (is in tw_ratings). */
export function ratingExistsSql(id: number) {
  return select({ n: col.integer }, sql`SELECT count(*) AS n FROM ${ident("tw_ratings")} WHERE rating_id = ${id}`);
}

export function entityExistsSql(entity: "customers" | "leads", id: string) {
  const key = entity === "customers" ? "customer_id" : "lead_id";
  return select({ n: col.integer }, sql`SELECT count(*) AS n FROM ${ident(entity)} WHERE ${ident(key)} = ${id}`);
}
