import type { Engine } from "../engine/engine.js";
import { TierwiseError, UsageError } from "../errors/index.js";
import type { LoadedPolicy } from "../policy/load-policy.js";
import { policyHashesLikeSql, policyTextSql, policyTextsSql, runPolicyUsesSql } from "../sql/run/policy-versions.js";
import { planFromText } from "./runs.js";

/** One distinct policy version recorded in tw_runs. */
export interface PolicyVersion {
  /** SHA-256 of the policy text. */
  readonly policyHash: string;
  /** When the first and the last run using it started (UTC, `YYYY-MM-DD HH:MM:SS`). */
  readonly firstUsed: string;
  readonly lastUsed: string;
  /** The runs that used it, oldest first, with their as-of dates. */
  readonly runs: readonly { readonly runId: number; readonly asOf: string }[];
  /** The schemes it defines (empty if the recorded text no longer checks). */
  readonly schemes: readonly { readonly name: string; readonly kind: string; readonly tiers: number }[];
}

/**
 * The distinct policy versions recorded with the store's runs, ordered by
 * first use.
 * @example
 * for (const v of await policyHistory(store)) console.log(v.policyHash.slice(0, 12), v.runs.length);
 */
export async function policyHistory(engine: Engine): Promise<PolicyVersion[]> {
  const uses = await engine.query(runPolicyUsesSql());
  const texts = new Map((await engine.query(policyTextsSql())).map((r) => [r.policy_hash, r.policy_text]));
  const byHash = new Map<string, { runs: { runId: number; asOf: string }[]; first: string; last: string }>();
  for (const u of uses) {
    const started = u.started_at.slice(0, 19);
    const entry = byHash.get(u.policy_hash) ?? { runs: [], first: started, last: started };
    entry.runs.push({ runId: u.run_id, asOf: u.as_of.slice(0, 10) });
    if (started < entry.first) entry.first = started;
    if (started > entry.last) entry.last = started;
    byHash.set(u.policy_hash, entry);
  }
  return [...byHash].map(([hash, e]) => ({
    policyHash: hash,
    firstUsed: e.first,
    lastUsed: e.last,
    runs: e.runs,
    schemes: schemesOf(texts.get(hash) ?? ""),
  }));
}

function schemesOf(text: string): PolicyVersion["schemes"] {
  try {
    return planFromText(text).schemes.map((s) => ({ name: s.name, kind: s.kind, tiers: s.tiers.length }));
  } catch {
    return [];
  }
}

/**
 * The policy recorded with earlier runs, by its hash or a prefix of at least
 * 8 hex characters, ready to `run` again.
 * @throws TierwiseError POLICY_VERSION_NOT_FOUND or POLICY_VERSION_AMBIGUOUS.
 * @example const policy = await loadRecordedPolicy(store, "3f2a9c1b");
 */
export async function loadRecordedPolicy(engine: Engine, hashPrefix: string): Promise<LoadedPolicy> {
  const prefix = hashPrefix.trim().toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(prefix))
    throw new UsageError(`--policy-version needs 8 to 64 hex characters of a policy hash, not ${hashPrefix}`);
  const hashes = (await engine.query(policyHashesLikeSql(prefix))).map((r) => r.policy_hash);
  const [hash] = hashes;
  if (hash === undefined) throw new TierwiseError("POLICY_VERSION_NOT_FOUND", { hash: prefix });
  if (hashes.length > 1)
    throw new TierwiseError("POLICY_VERSION_AMBIGUOUS", {
      hash: prefix,
      count: hashes.length,
      hashes: hashes.map((h) => h.slice(0, 16)).join(", "),
    });
  const text = (await engine.query(policyTextSql(hash)))[0]?.policy_text ?? "";
  return { plan: planFromText(text), text, hash, warnings: [] };
}
