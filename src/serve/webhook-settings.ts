import type { DeliverOptions } from "../delivery/deliver.js";

/** How `tierwise serve` handles webhooks (docs/webhooks.md, Webhooks over the API). */
export interface WebhookSettings {
  /** The key sealing registered secrets (TIERWISE_SECRET_KEY); none: registration is refused. */
  readonly secretKey?: Buffer;
  /** Allow webhook urls on private, loopback and link-local addresses (`--allow-private-webhooks`). */
  readonly allowPrivate?: boolean;
  /** Run the continuous deliverer (default false in the library; `tierwise serve` turns it on unless `--no-deliver`). */
  readonly deliver?: boolean;
  /** The deliverer's bounds (interval between passes, attempts, backoff, timeout…). */
  readonly delivery?: Omit<DeliverOptions, "webhooks" | "targets">;
  /** Where policy webhooks' secrets are read (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}
