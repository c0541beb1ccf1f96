import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { TierwiseError } from "../errors/index.js";

/**
 * Webhook secrets at rest: AES-256-GCM under the server's key
 * (`TIERWISE_SECRET_KEY`, 32 random bytes in base64), with the webhook's id
 * as associated data, so a sealed secret copied onto another endpoint's row
 * does not open. Sealed text: `v1.` + base64(12-byte nonce ‖ 16-byte tag ‖
 * ciphertext). The key never enters the store.
 */

/** The environment variable holding the key that seals webhook secrets. */
export const SECRET_KEY_ENV = "TIERWISE_SECRET_KEY";

/** The sealing key from the variable's value: 32 bytes in base64; undefined when unset or empty. */
export function secretKeyFrom(value: string | undefined): Buffer | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, "base64") : Buffer.alloc(0);
  if (key.length !== 32) throw new TierwiseError("SECRET_KEY_INVALID", { variable: SECRET_KEY_ENV });
  return key;
}

export function sealSecret(secret: string, key: Buffer, webhookId: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(webhookId, "utf8"));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `v1.${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString("base64")}`;
}

/** The secret, or undefined when the text was sealed under another key or for another webhook. */
export function openSecret(sealed: string, key: Buffer, webhookId: string): string | undefined {
  if (!sealed.startsWith("v1.")) return undefined;
  const all = Buffer.from(sealed.slice(3), "base64");
  if (all.length < 28) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, all.subarray(0, 12));
    decipher.setAAD(Buffer.from(webhookId, "utf8"));
    decipher.setAuthTag(all.subarray(12, 28));
    return Buffer.concat([decipher.update(all.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}
