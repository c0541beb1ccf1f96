import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Whether a url may receive webhooks (server-side request forgery, OWASP's
 * SSRF prevention cheat sheet): http or https only, no user or password in
 * it, at most MAX_URL_LENGTH characters, and — unless private addresses are
 * allowed (`tierwise serve --allow-private-webhooks`) — a host whose every
 * address is public: not loopback, private (RFC 1918, unique local),
 * link-local (cloud metadata at 169.254.169.254), shared, multicast or
 * unspecified. A host name is resolved when it is registered.
 */

export const MAX_URL_LENGTH = 2000;

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  PRIVATE.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const)
  PRIVATE.addSubnet(net, bits, "ipv6");

/** Whether an IP address is not on the public internet (IPv4-mapped IPv6 checked as IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) return PRIVATE.check(mapped, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? "ipv4" : "ipv6");
}

export type UrlCheck = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly problem: string };

/** Check a webhook url; `url` is its normal form (an international host name in punycode). */
export async function checkWebhookUrl(text: string, allowPrivate: boolean): Promise<UrlCheck> {
  if (text.length > MAX_URL_LENGTH) return { ok: false, problem: `is longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: "is not an absolute url" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, problem: "must be http or https" };
  if (url.username !== "" || url.password !== "")
    return { ok: false, problem: "must not hold a user or password (the signature authenticates)" };
  if (url.hash !== "") return { ok: false, problem: "must not have a #fragment" };
  if (url.href.length > MAX_URL_LENGTH) return { ok: false, problem: `is longer than ${MAX_URL_LENGTH} characters` };
  if (allowPrivate) return { ok: true, url: url.href };
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return { ok: false, problem: "has a host that does not resolve" };
    }
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress))
    return {
      ok: false,
      problem:
        "points to a private, loopback or link-local address (tierwise serve --allow-private-webhooks allows it)",
    };
  return { ok: true, url: url.href };
}
