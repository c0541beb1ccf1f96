import type { FastifyInstance } from "fastify";

export interface Listening {
  /** The URL the server answers on (the real port when 0 was asked). */
  readonly url: string;
  /** Stop accepting connections, finish the requests in flight and their store work. */
  close(): Promise<void>;
}

/** Listen on host:port (port 0: any free port). */
export async function listen(app: FastifyInstance, host: string, port: number): Promise<Listening> {
  await app.listen({ host, port, listenTextResolver: (address) => `listening on ${address}` });
  const address = app.server.address();
  const real = typeof address === "object" && address !== null ? address.port : port;
  const shown = host.includes(":") ? `[${host}]` : host;
  return { url: `http://${shown}:${real}`, close: () => app.close() };
}
