import type { Command } from "commander";
import { UsageError } from "../../errors/index.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags, storeFile } from "../store-options.js";

interface ServeFlags extends StoreFlags {
  host: string;
  port: number;
  rateLimit?: number;
  corsOrigin: string[];
  /** commander's `--no-deliver`: false when given. */
  deliver: boolean;
  allowPrivateWebhooks?: boolean;
}

function perMinute(value: string): number {
  if (!/^\d{1,9}$/.test(value))
    throw new UsageError(`--rate-limit takes requests per minute (0: no limit), got "${value}"`);
  return Number(value);
}

function origin(value: string, previous: string[]): string[] {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/$/, ""))
    throw new UsageError(
      `--cors-origin takes an origin such as https://shop.example (scheme, host, port only), got "${value}"`,
    );
  return [...previous, url.origin];
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535)
    throw new UsageError(`--port takes 0 to 65535 (0: any free port), got "${value}"`);
  return n;
}

export function registerServe(program: Command): void {
  const command = program
    .command("serve")
    .description("answer the HTTP API (docs/serve.md): customers, tiers and explanations, with API keys")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on (0: any free port)", port, 8080)
    .option("--rate-limit <n>", "requests per minute per API key (0: no limit; default 6000)", perMinute)
    .option(
      "--cors-origin <origin>",
      "let browser pages of this origin call the API (repeatable; default: CORS off)",
      origin,
      [],
    )
    .option("--no-deliver", "do not deliver the outbox to webhooks (a second server that only answers)")
    .option("--allow-private-webhooks", "let webhooks be registered on loopback and private addresses");
  addStoreOptions(command).action(async (flags: ServeFlags) => {
    const [{ buildServer }, { listen }, mark, { SECRET_KEY_ENV, secretKeyFrom }] = await Promise.all([
      import("../../serve/server.js"),
      import("../../serve/listen.js"),
      import("../../store/server-mark.js"),
      import("../../delivery/secret-box.js"),
    ]);
    const secretKey = secretKeyFrom(process.env[SECRET_KEY_ENV]);
    const engine = await openStoreFromFlags(flags);
    let listening: Awaited<ReturnType<typeof listen>> | undefined;
    try {
      const app = await buildServer(engine, {
        version: program.version() ?? "0",
        corsOrigins: flags.corsOrigin,
        ...(flags.rateLimit === undefined ? {} : { rateLimit: flags.rateLimit }),
        webhooks: {
          deliver: flags.deliver,
          allowPrivate: flags.allowPrivateWebhooks === true,
          ...(secretKey === undefined ? {} : { secretKey }),
        },
      });
      listening = await listen(app, flags.host, flags.port);
    } catch (error) {
      await engine.close();
      throw error;
    }
    process.stdout.write(`tierwise serve: listening on ${listening.url} (docs: ${listening.url}/docs)\n`);
    process.stdout.write(
      flags.deliver
        ? "tierwise serve: delivering the outbox to webhooks\n"
        : "tierwise serve: not delivering the outbox (--no-deliver)\n",
    );
    const server = listening;
    // Commands that find the store held learn where the server answers (STORE_SERVED).
    const file = storeFile(flags);
    if (file !== undefined) mark.writeServerMark(file, listening.url);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        // Stop accepting, finish the requests in flight, then close the store.
        void server
          .close()
          .finally(() => {
            if (file !== undefined) mark.removeServerMark(file);
            return engine.close();
          })
          .finally(resolve);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  });
}
