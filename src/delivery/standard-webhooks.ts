import { createHmac } from "node:crypto";
import { UsageError } from "../errors/index.js";

/**
 * Signing by the Standard Webhooks specification (standardwebhooks.com):
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`,
 * one `v1,…` per secret, space-separated (key rotation). Headers carry only
 * ASCII: ids, unix seconds and signatures; names travel in the JSON body.
 */

/** Prefix of a Standard Webhooks secret: `whsec_` then the key in base64. */
const WHSEC = "whsec_";

/** One signing secret: the HMAC key, and the text as given (for the deprecated body-only signature). */
export interface SigningSecret {
  readonly key: Buffer;
  readonly text: string;
}

/**
 * The secrets of an environment variable's value: one or more,
 * whitespace-separated (several during a key rotation; each one signs). A
 * `whsec_<base64>` secret is the base64-decoded key; any other text is a raw
 * secret whose UTF-8 bytes are the key.
 */
export function signingSecrets(value: string, variable: string): SigningSecret[] {
  const tokens = value.split(/\s+/).filter((t) => t !== "");
  return tokens.map((text) => {
    if (!text.startsWith(WHSEC)) return { key: Buffer.from(text, "utf8"), text };
    const b64 = text.slice(WHSEC.length);
    if (b64 === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 === 1)
      throw new UsageError(
        `webhook secret: ${variable} holds a whsec_ secret that is not base64 (whsec_ then the key in base64)`,
      );
    return { key: Buffer.from(b64, "base64"), text };
  });
}

/** `v1,<base64>` for each secret, space-separated: the `webhook-signature` header. */
export function webhookSignature(
  secrets: readonly SigningSecret[],
  id: string,
  timestamp: number,
  body: string,
): string {
  return secrets
    .map((s) => `v1,${createHmac("sha256", s.key).update(`${id}.${timestamp}.${body}`).digest("base64")}`)
    .join(" ");
}

/** Deprecated (kept one release): `sha256=<hex HMAC-SHA256 of the body>` keyed by the secret as written. */
export function legacySignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** The headers of one delivery attempt; `timestamp` in unix seconds. */
export function webhookHeaders(
  secrets: readonly SigningSecret[],
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  const first = secrets[0];
  return {
    "Content-Type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": webhookSignature(secrets, id, timestamp, body),
    "Idempotency-Key": id,
    ...(first ? { "X-Tierwise-Signature": legacySignature(first.text, body) } : {}),
  };
}
