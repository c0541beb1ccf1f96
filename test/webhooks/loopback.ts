/**
 * A webhook receiver on 127.0.0.1, port 0 (an ephemeral port): it records
 * every request in full (raw headers and body), answers with the status
 * `answer(n)` gives for the n-th request (0-based) after `delayMs`, and
 * tracks the most requests it held at once.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Delivery {
  readonly headers: IncomingHttpHeaders;
  /** Header names and values exactly as they came on the wire. */
  readonly rawHeaders: readonly string[];
  readonly body: string;
}

export interface Loopback {
  readonly url: string;
  readonly got: Delivery[];
  readonly server: Server;
  /** The most requests in flight at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export async function loopback(answer: (n: number) => number = () => 200, delayMs = 0): Promise<Loopback> {
  const got: Delivery[] = [];
  let inFlight = 0;
  let most = 0;
  const server = createServer((req, res) => {
    inFlight++;
    most = Math.max(most, inFlight);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = got.length;
      got.push({ headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString("utf8") });
      setTimeout(() => {
        inFlight--;
        res.writeHead(answer(n)).end();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/tiers?token=t0ps3cret`,
    got,
    server,
    maxInFlight: () => most,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
