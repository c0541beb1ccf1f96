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
  /** A member's status in the customer-facing schemes (a shop's checkout page). */
  "member status": ["member", "admin"],
  /** Runs, their reports (JSON and HTML), and the policies: versions, the active one, the presets. */
  "read runs": ["viewer", "analyst", "admin"],
  /** Starting runs and backfills: they write snapshots and outbox events, so not viewers. */
  "start runs": ["analyst", "admin"],
  /** Checking a policy and previewing it against the active one (what-if): the work of who writes policies. */
  "try policies": ["analyst", "admin"],
  /** Activating a policy: it decides every later run's tiers, so admins only. */
  "activate policies": ["admin"],
  /** Manual overrides and their audit trail. */
  "read overrides": ["viewer", "analyst", "admin"],
  /** Setting and removing overrides. */
  "change overrides": ["analyst", "admin"],
  /** The scorecard's manual prospects ratings, with who rated and removed them. */
  "read ratings": ["viewer", "analyst", "admin"],
  /** Rating a customer's prospects and removing a rating. */
  "change ratings": ["analyst", "admin"],
  /** Uploading data files to ingest, and the rejects files of ingests (they hold the rejected rows). */
  ingest: ["analyst", "admin"],
  /** The outbox of tier changes and alerts (GET /events): what customers' tiers did, as customers show it. */
  "read events": ["viewer", "analyst", "admin"],
  /** Webhook endpoints, their secrets, delivery logs and retries: configuration. */
  "manage webhooks": ["admin"],
  /** Orders, refunds and interactions sent as events (written, and their customers re-graded). */
  "send events": ["analyst", "admin"],
} as const satisfies Record<string, readonly ApiKeyRole[] | null>;

export type Access = keyof typeof ROLE_ACCESS;

/** Whether a key of this role may use a route of this access (a public route needs no key at all). */
export function allows(access: Access, role: ApiKeyRole): boolean {
  const roles: readonly ApiKeyRole[] | null = ROLE_ACCESS[access];
  return roles === null || roles.includes(role);
}
