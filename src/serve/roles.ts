import type { ApiKeyRole } from "../store/api-keys.js";

/**
 * The role matrix: which roles each kind of access allows. A route names
 * its access in `config.access` (src/serve/route-config.ts); routes
 * without one need `admin`. docs/serve.md shows this table per route, and
 * test/run/serve/roles.test.ts checks every route against every role.
 */
export const ROLE_ACCESS = {
  /** Health, readiness, the OpenAPI document and the docs page: no key needed. */
  public: null,
  /** Customers, their grades and explanations. */
  "read customers": ["viewer", "analyst", "admin"],
  /** Background jobs (runs, backfills, ingests) and their progress. */
  "read jobs": ["viewer", "analyst", "admin"],
  /** Orders, refunds and interactions sent as events (written, and their customers re-graded). */
  "send events": ["analyst", "admin"],
} as const satisfies Record<string, readonly ApiKeyRole[] | null>;

export type Access = keyof typeof ROLE_ACCESS;

/** Whether a key of this role may use a route of this access (a public route needs no key at all). */
export function allows(access: Access, role: ApiKeyRole): boolean {
  const roles: readonly ApiKeyRole[] | null = ROLE_ACCESS[access];
  return roles === null || roles.includes(role);
}
