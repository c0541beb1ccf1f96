import type { Engine } from "../engine/engine.js";
import type { Jobs } from "./jobs.js";
import type { StoreQueue } from "./store-queue.js";
import type { WebhookSettings } from "./webhook-settings.js";

/** What every group of routes is given: the store, its request queue and the background jobs. */
export interface ServeContext {
  /** The server's main connection: use it only inside `queue.run`. */
  readonly engine: Engine;
  readonly queue: StoreQueue;
  readonly jobs: Jobs;
  /** Webhook secrets' key, url policy and the continuous deliverer (webhook-settings.ts). */
  readonly webhooks: WebhookSettings;
  /** The clock of real-time grading (tests fix it); default the system's. */
  readonly now?: () => Date;
}
