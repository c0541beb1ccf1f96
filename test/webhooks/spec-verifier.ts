/**
 * An independent Standard Webhooks verifier, written from the specification
 * text (standardwebhooks.com, "Verifying webhooks"), not from Tierwise's
 * sender: it imports nothing from src/.
 *
 * - The signed content is `{webhook-id}.{webhook-timestamp}.{body}` (the raw body).
 * - The signature is HMAC-SHA256 with the secret's key, base64; the
 *   `webhook-signature` header is a space-delimited list of
 *   `{version},{signature}`; `v1` is the symmetric HMAC one; any one valid
 *   `v1` signature is enough (key rotation).
 * - A secret `whsec_<base64>` is the base64 key after the prefix.
 * - The timestamp is in seconds since the epoch; a verifier rejects one too
 *   far from its clock (the spec's recommended tolerance: 5 minutes).
 * - Signatures are compared in constant time.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const TOLERANCE_SECONDS = 5 * 60;

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** The key of a `whsec_` secret; other text is taken as a raw key (UTF-8 bytes). */
export function keyOf(secret: string): Buffer {
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret, "utf8");
}

export function verify(
  secret: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
  nowSeconds: number,
): Verdict {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = one("webhook-id");
  const timestamp = one("webhook-timestamp");
  const signatures = one("webhook-signature");
  if (!id || !timestamp || !signatures) return { ok: false, reason: "missing header" };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: "bad timestamp" };
  const ts = Number(timestamp);
  if (nowSeconds - ts > TOLERANCE_SECONDS) return { ok: false, reason: "timestamp too old" };
  if (ts - nowSeconds > TOLERANCE_SECONDS) return { ok: false, reason: "timestamp too new" };
  const expected = createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest();
  for (const entry of signatures.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    const given = Buffer.from(entry.slice(comma + 1), "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: "no matching signature" };
}
