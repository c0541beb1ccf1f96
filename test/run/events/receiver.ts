/**
 * A real webhook receiver on 127.0.0.1 for the event tests: it records every
 * request (body, signature and idempotency key headers) and answers with the
 * status `answer(n)` gives for the n-th request (0-based), "hang" (answer
 * 200 after a second), or "hold" (never answer: the request stays in flight).
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  readonly body: string;
  readonly signature: string | undefined;
  readonly key: string | undefined;
}

export interface Receiver {
  readonly url: string;
  readonly got: Received[];
  readonly server: Server;
  /** Resolves when the receiver has read `n` requests in full. */
  received(n: number): Promise<void>;
  close(): void;
}

export async function receiver(answer: (n: number) => number | "hang" | "hold"): Promise<Receiver> {
  const got: Received[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = got.length;
      got.push({
        body: Buffer.concat(chunks).toString("utf8"),
        signature: req.headers["x-tierwise-signature"] as string | undefined,
        key: req.headers["idempotency-key"] as string | undefined,
      });
      for (const w of waiting.filter((x) => got.length >= x.n)) w.resolve();
      const a = answer(n);
      if (a === "hang") setTimeout(() => res.writeHead(200).end(), 1_000);
      else if (a !== "hold") res.writeHead(a).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    server,
    received: (n) =>
      got.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve })),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

export const SECRET = "s3cret-for-tests";
export const SECRET_ENV = "TW_HOOK_SECRET";
export const env = { [SECRET_ENV]: SECRET };

/** The signature a receiver expects for a body signed with SECRET. */
export const sign = (body: string) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
