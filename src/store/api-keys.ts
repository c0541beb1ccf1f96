import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import {
  apiKeyByIdSql,
  apiKeyByNameSql,
  deleteApiKeySql,
  insertApiKeySql,
  listApiKeysSql,
  touchApiKeySql,
} from "../sql/store/api-keys.js";

/** The roles a key can have (what each may do: src/serve/roles.ts). */
export const API_KEY_ROLES = ["viewer", "analyst", "admin", "member"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** A key as `keys list` shows it: never the key or its hash. */
export interface ApiKeyInfo {
  readonly name: string;
  readonly role: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** The caller a valid key names. */
export interface ApiCaller {
  readonly name: string;
  readonly role: ApiKeyRole;
}

/**
 * A key reads `tw_` + 12 hex digits (its id, not secret: the row to check) +
 * `_` + 43 base64url characters (32 random bytes, the secret).
 */
const KEY_FORM = /^tw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const digest = (salt: string, secret: string) => createHmac("sha256", salt).update(secret).digest("base64url");

/** Make a key, store its hash, and return the key: the only time it is ever seen. */
export async function createApiKey(engine: Engine, name: string, role: ApiKeyRole): Promise<string> {
  if ((await engine.query(apiKeyByNameSql(name))).length > 0) throw new TierwiseError("KEY_NAME_TAKEN", { name });
  const id = randomBytes(6).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  const salt = randomBytes(16).toString("base64url");
  await engine.exec(insertApiKeySql({ id, name, role, salt, hash: digest(salt, secret) }));
  return `tw_${id}_${secret}`;
}

export async function listApiKeys(engine: Engine): Promise<ApiKeyInfo[]> {
  return (await engine.query(listApiKeysSql())).map((r) => ({
    name: r.name,
    role: r.role,
    createdAt: r.created_at.slice(0, 19),
    lastUsedAt: r.last_used_at?.slice(0, 19) ?? null,
  }));
}

/** Remove the key named so (`KEY_NOT_FOUND` when there is none). */
export async function revokeApiKey(engine: Engine, name: string): Promise<void> {
  if ((await engine.query(apiKeyByNameSql(name))).length === 0) throw new TierwiseError("KEY_NOT_FOUND", { name });
  await engine.exec(deleteApiKeySql(name));
}

/**
 * The caller a presented key belongs to, or undefined for a malformed,
 * unknown or revoked key: one row read by the key's id, the hash compared in
 * constant time. Records the key's last use (at most once a minute).
 */
export async function verifyApiKey(
  engine: Engine,
  key: string,
  /** Record the key's use later rather than now (the server does it on its writing connection). */
  deferTouch?: (touch: (writer: Engine) => Promise<void>) => void,
): Promise<ApiCaller | undefined> {
  const form = KEY_FORM.exec(key);
  if (!form) return undefined;
  const [, id, secret] = form as unknown as [string, string, string];
  const row = (await engine.query(apiKeyByIdSql(id)))[0];
  if (!row) return undefined;
  const expected = Buffer.from(row.hash, "base64url");
  const given = Buffer.from(digest(row.salt, secret), "base64url");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  if (!(API_KEY_ROLES as readonly string[]).includes(row.role)) return undefined;
  if (row.stale) {
    if (deferTouch) deferTouch((writer) => writer.exec(touchApiKeySql(id)));
    else await engine.exec(touchApiKeySql(id));
  }
  return { name: row.name, role: row.role as ApiKeyRole };
}
