import { createHash } from "node:crypto";
import type { Engine } from "../engine/engine.js";
import { InternalError, TierwiseError } from "../errors/index.js";
import type { LoadedPolicy } from "../policy/load-policy.js";
import { noSettings, type PolicySettings, withSettings } from "../policy/policy-settings.js";
import {
  activePolicyVersionSql,
  insertPolicyVersionSql,
  latestRunPolicySql,
  policyVersionsSql,
} from "../sql/run/active-policy.js";
import { planFromText } from "./runs.js";

/** An activated policy version (tw_policy_versions), without its text. */
export interface ActivatedVersion {
  /** 1, 2, …: the highest is the active one. */
  readonly version: number;
  /** SHA-256 of the text, as the runs that use it record it. */
  readonly policyHash: string;
  /** Who activated it: the API key's name. */
  readonly author: string;
  /** UTC, `YYYY-MM-DD HH:MM:SS`. */
  readonly activatedAt: string;
}

/**
 * The policy a run uses when it names none: the latest activated version,
 * or, before any activation, the policy recorded with the latest run.
 */
export interface ActivePolicy {
  readonly source: "activated" | "latest run";
  /** The activated version (null when it comes from the latest run). */
  readonly version: number | null;
  readonly policyHash: string;
  readonly text: string;
  /** Who activated it (null when it comes from the latest run). */
  readonly author: string | null;
  /** When it was activated, or when the latest run started. */
  readonly since: string;
}

/**
 * Activate a checked policy: store it as the next version, with its author
 * (an API key's name). Activating the text of the active version again
 * stores nothing and returns that version.
 * @example const v = await activatePolicy(store, await loadPolicy({ file: "p.yaml" }), "alice");
 */
export async function activatePolicy(engine: Engine, policy: LoadedPolicy, author: string): Promise<ActivatedVersion> {
  return engine.transaction(async () => {
    const [current] = await engine.query(activePolicyVersionSql());
    if (current?.policy_hash !== policy.hash)
      await engine.exec(insertPolicyVersionSql({ hash: policy.hash, text: policy.text, author }));
    const [row] = await engine.query(activePolicyVersionSql());
    if (!row) throw new InternalError("the policy version just stored is not there");
    return toVersion(row);
  });
}

/** Every activated version, newest first. */
export async function activatedVersions(engine: Engine): Promise<ActivatedVersion[]> {
  return (await engine.query(policyVersionsSql())).map(toVersion);
}

/**
 * The active policy (see ActivePolicy).
 * @throws TierwiseError NO_ACTIVE_POLICY when nothing was activated and no run recorded one.
 */
export async function activePolicy(engine: Engine): Promise<ActivePolicy> {
  const [activated] = await engine.query(activePolicyVersionSql());
  if (activated)
    return {
      source: "activated",
      version: activated.version,
      policyHash: activated.policy_hash,
      text: activated.policy_text,
      author: activated.author,
      since: activated.activated_at.slice(0, 19),
    };
  const [run] = await engine.query(latestRunPolicySql());
  if (!run) throw new TierwiseError("NO_ACTIVE_POLICY", {});
  return {
    source: "latest run",
    version: null,
    policyHash: run.policy_hash,
    text: run.policy_text,
    author: null,
    since: run.started_at.slice(0, 19),
  };
}

/**
 * The active policy, checked and ready to `run` (its text may hold several
 * documents, as presets run together do), with `settings` (currency, scale)
 * written in as `--currency`/`--scale` write them into a policy file.
 */
export async function loadActivePolicy(engine: Engine, settings: PolicySettings = {}): Promise<LoadedPolicy> {
  const active = await activePolicy(engine);
  return withRecordedSettings(
    { plan: planFromText(active.text), text: active.text, hash: active.policyHash, warnings: [] },
    settings,
  );
}

/** A recorded or activated policy with settings written in (a new policy text, so a new hash); unchanged without any. */
export function withRecordedSettings(policy: LoadedPolicy, settings: PolicySettings): LoadedPolicy {
  if (noSettings(settings)) return policy;
  const text = withSettings(policy.text, settings);
  return { plan: planFromText(text), text, hash: createHash("sha256").update(text).digest("hex"), warnings: [] };
}

function toVersion(row: {
  version: number;
  policy_hash: string;
  author: string;
  activated_at: string;
}): ActivatedVersion {
  return {
    version: row.version,
    policyHash: row.policy_hash,
    author: row.author,
    activatedAt: row.activated_at.slice(0, 19),
  };
}
