import type { Engine } from "../engine/engine.js";
import { InternalError, TierwiseError } from "../errors/index.js";
import {
  activeOverridesSql,
  entityExistsSql,
  insertOverrideSql,
  logOverrideSql,
  nextIdSql,
  type OverrideLogRow,
  type OverrideRow,
  overrideLogSql,
  removeOverrideSql,
} from "../sql/run/records.js";
import { findRun, planFromText } from "./runs.js";
import { unknownEntity } from "./unknown-entity.js";

/**
 * Manual overrides, applied at every run until they expire or are removed:
 * - `fixed`: the entity gets exactly this tier;
 * - `floor`: the entity may rise above this tier but never falls below it;
 * - `ceiling`: the entity may fall below this tier but never rises above it.
 * They apply to entities the scheme grades (in its population). One override
 * per scheme and entity is active; setting another replaces it (logged).
 */
export type OverrideMode = "fixed" | "floor" | "ceiling";

export interface Override {
  readonly id: number;
  readonly scheme: string;
  readonly entityId: string;
  readonly tier: string;
  readonly mode: OverrideMode;
  readonly reason: string;
  readonly by: string;
  readonly createdAt: string;
  readonly expires: string | null;
  readonly removedAt: string | null;
}

export interface SetOverride {
  readonly entityId: string;
  readonly scheme: string;
  readonly tier: string;
  readonly mode: OverrideMode;
  readonly reason: string;
  readonly by?: string;
  /** `YYYY-MM-DD`: the override applies to runs as of a date before this one. */
  readonly expires?: string;
}

const toOverride = (r: OverrideRow): Override => ({
  id: r.override_id,
  scheme: r.scheme,
  entityId: r.entity_id,
  tier: r.tier,
  mode: r.mode as OverrideMode,
  reason: r.reason,
  by: r.created_by,
  createdAt: r.created_at,
  expires: r.expires_at || null,
  removedAt: r.removed_at || null,
});

function defaultUser(): string {
  const { TIERWISE_USER, USER } = process.env;
  return TIERWISE_USER ?? USER ?? "unknown";
}

/** Set an override (checked against the latest run's policy: the scheme and tier must exist). */
export async function setOverride(engine: Engine, o: SetOverride): Promise<Override> {
  const plan = planFromText((await findRun(engine)).policyText);
  const scheme = plan.schemes.find((s) => s.name === o.scheme);
  if (!scheme) {
    throw new TierwiseError(
      "UNKNOWN_SCHEME",
      { scheme: o.scheme, where: "the latest run's policy" },
      undefined,
      `schemes: ${plan.schemes.map((s) => s.name).join(", ")}`,
    );
  }
  if (!scheme.tiers.includes(o.tier)) {
    throw new TierwiseError(
      "UNKNOWN_TIER",
      { scheme: o.scheme, tier: o.tier },
      undefined,
      `tiers: ${scheme.tiers.join(", ")}`,
    );
  }
  const exists = (await engine.query(entityExistsSql(scheme.entity, o.entityId)))[0]?.n ?? 0;
  if (exists === 0)
    throw await unknownEntity(engine, [scheme.entity], o.entityId, scheme.entity === "customers" ? "customer" : "lead");
  const by = o.by ?? defaultUser();
  return engine.transaction(async () => {
    const previous = (await engine.query(activeOverridesSql({ scheme: o.scheme, entityId: o.entityId }))).map(
      toOverride,
    );
    for (const p of previous) {
      await engine.exec(removeOverrideSql(p.id, by));
      await engine.exec(logOverrideSql({ id: p.id, action: "replaced", by, scheme: p.scheme, entityId: p.entityId }));
    }
    const id = (await engine.query(nextIdSql("tw_overrides")))[0]?.id ?? 1;
    await engine.exec(
      insertOverrideSql({
        id,
        scheme: o.scheme,
        entityId: o.entityId,
        tier: o.tier,
        mode: o.mode,
        reason: o.reason,
        by,
        ...(o.expires ? { expires: o.expires } : {}),
      }),
    );
    const before = previous[0];
    await engine.exec(
      logOverrideSql({
        id,
        action: "set",
        by,
        scheme: o.scheme,
        entityId: o.entityId,
        tier: o.tier,
        mode: o.mode,
        reason: o.reason,
        ...(before ? { previous: `${before.mode} ${before.tier}` } : {}),
      }),
    );
    const [row] = await engine.query(activeOverridesSql({ scheme: o.scheme, entityId: o.entityId }));
    if (!row) throw new InternalError(`override ${id} was not written`);
    return toOverride(row);
  });
}

/**
 * Active overrides (or all, with removed ones, when `all`), in id order;
 * `activeOn` (YYYY-MM-DD) leaves out those expired by then, `afterId` and
 * `limit` page by id.
 */
export async function listOverrides(
  engine: Engine,
  filter: {
    scheme?: string;
    entityId?: string;
    all?: boolean;
    activeOn?: string;
    afterId?: number;
    limit?: number;
  } = {},
): Promise<Override[]> {
  return (await engine.query(activeOverridesSql(filter))).map(toOverride);
}

/** Remove an active override by id; the audit log keeps who and when. */
export async function removeOverride(engine: Engine, id: number, by: string = defaultUser()): Promise<Override> {
  const found = (await listOverrides(engine)).find((o) => o.id === id);
  if (!found) throw new TierwiseError("OVERRIDE_NOT_FOUND", { id });
  await engine.transaction(async () => {
    await engine.exec(removeOverrideSql(id, by));
    await engine.exec(
      logOverrideSql({
        id,
        action: "removed",
        by,
        scheme: found.scheme,
        entityId: found.entityId,
        previous: `${found.mode} ${found.tier}`,
      }),
    );
  });
  return found;
}

/**
 * The audit trail: every set, replace and remove with who and when. Rows are
 * `OverrideLogRow`s; the CLI prints them column by column, by name.
 */
export async function overrideLog(engine: Engine): Promise<Record<string, unknown>[]> {
  return overrideAudit(engine);
}

/** The audit trail, typed; only the lines of the overrides `ids` when given. */
export async function overrideAudit(engine: Engine, ids?: readonly number[]): Promise<OverrideLogRow[]> {
  return engine.query(overrideLogSql(ids));
}
