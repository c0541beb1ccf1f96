import type { FastifyInstance } from "fastify";
import { createDeliverer, type Deliverer, type WebhookTarget } from "../delivery/deliver.js";
import { registeredTargets } from "../delivery/registered-webhooks.js";
import type { Engine } from "../engine/engine.js";
import { findRun, planFromText } from "../run/runs.js";

/** A policy webhook (url and secret variable), as the recorded policy lists it. */
type WebhookPlan = NonNullable<ReturnType<typeof planFromText>["webhooks"]>[number];

import type { ServeContext } from "./context.js";

/** The host of a url (never its path or query, which may hold a token): what logs name. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid url)";
  }
}

/**
 * Where the server delivers: the webhooks of the latest run's policy (those
 * whose secret variable is set) and the registered endpoints.
 */
async function targets(
  engine: Engine,
  context: ServeContext,
  warn: (msg: string, o: object) => void,
  cache: { runId: number; hooks: readonly WebhookPlan[] },
) {
  const env = context.webhooks.env ?? process.env;
  const list: WebhookTarget[] = [];
  try {
    const run = await findRun(engine);
    // The recorded policy is parsed once per latest run, not on every pass.
    if (cache.runId !== run.runId) {
      cache.hooks = planFromText(run.policyText).webhooks ?? [];
      cache.runId = run.runId;
    }
    for (const hook of cache.hooks) {
      if (env[hook.secretEnv]?.trim()) list.push(hook);
      else
        warn("policy webhook skipped: its secret variable is not set", {
          host: hostOf(hook.url),
          variable: hook.secretEnv,
        });
    }
  } catch {
    // No run yet (or an unreadable recorded policy): no policy webhooks.
  }
  const registered = await registeredTargets(engine, context.webhooks.secretKey);
  for (const id of registered.unopened)
    warn("registered webhook skipped: its secret does not open under TIERWISE_SECRET_KEY", { webhook: id });
  return [...list, ...registered.targets];
}

/**
 * The continuous deliverer of `tierwise serve`: delivery passes on a
 * connection of its own (engine.connect()), every interval and as soon as a
 * request changed something (an event in, a run); the deliverer's bounds,
 * backoff and circuit breaker as `tierwise events deliver`. Claims make it
 * safe beside other servers on one PostgreSQL database. On app.close it
 * stops claiming, lets the requests in flight finish (an event is recorded
 * delivered only after a 2xx; one cut short stays undelivered for the next
 * pass) and closes its connection.
 */
export function webhookDelivery(app: FastifyInstance, context: ServeContext): void {
  if (!context.webhooks.deliver) return;
  let deliverer: Deliverer | undefined;
  let connection: Engine | undefined;
  const warned = new Set<string>();
  const cache: { runId: number; hooks: readonly WebhookPlan[] } = { runId: -1, hooks: [] };
  const warn = (msg: string, o: object) => {
    const key = `${msg}${JSON.stringify(o)}`;
    if (warned.has(key)) return;
    warned.add(key);
    app.log.warn(o, msg);
  };
  app.addHook("onReady", async () => {
    const own = await context.engine.connect();
    connection = own;
    deliverer = createDeliverer(own, {
      ...context.webhooks.delivery,
      webhooks: [],
      targets: () => targets(own, context, warn, cache),
    });
    deliverer.start(
      (r) => {
        if (r.attempts > 0)
          app.log.info(
            { delivered: r.delivered, failed: r.failed, undelivered: r.undelivered, requests: r.attempts },
            "delivery pass",
          );
        for (const url of r.openCircuits) warn("webhook circuit open", { host: hostOf(url) });
      },
      (error) => app.log.error({ err: error }, "delivery pass failed"),
    );
  });
  app.addHook("onResponse", async (request, reply) => {
    if (request.method !== "GET" && reply.statusCode < 300) deliverer?.wake();
  });
  app.addHook("onClose", async () => {
    await deliverer?.stop();
    await connection?.close().catch(() => undefined);
  });
}
