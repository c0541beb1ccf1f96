import { type Command, Option } from "commander";
import { UsageError } from "../../errors/index.js";
import type { WebhookPlan } from "../../plan/policy.js";
import { loadPolicy } from "../../policy/load-policy.js";
import { type DeliverResult, deliverEvents } from "../../run/deliver.js";
import { events, noEventsLine, outboxExtent } from "../../run/events.js";
import { findRun, planFromText } from "../../run/runs.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";
import { policySource } from "./policy-source.js";

interface EventsFlags extends StoreFlags {
  since?: string;
  format: "ndjson" | "json";
}

interface RetryFlags extends StoreFlags {
  policy?: string;
  preset?: string[];
  backoff?: string;
  attempts?: string;
}

function runId(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a run id (a whole number), got "${value}"`);
  return n;
}

/** One line for stderr about a delivery (counts only: no event content, no secret). */
export function deliveryLine(r: DeliverResult): string {
  return `events: ${r.delivered} delivered, ${r.failed} undelivered (${r.attempts} requests)${r.failed > 0 ? "; send them again with tierwise events retry" : ""}`;
}

export function registerEvents(program: Command): void {
  const group = program
    .command("events")
    .description("the outbox of tier changes and alerts: list events, send undelivered ones again");
  const command = group
    .command("list", { isDefault: true })
    .description(
      "the events of the outbox (tier changes: entered, left, moved; policy alerts), oldest first (the default)",
    )
    .option(
      "--since <run>",
      "only events of runs after this run id (none: a line on stderr says why, e.g. the run of the last event)",
    )
    .addOption(new Option("--format <format>", "output format").choices(["ndjson", "json"]).default("ndjson"));
  addStoreOptions(command).action(async (flags: EventsFlags) => {
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    try {
      const since = flags.since !== undefined ? runId("--since", flags.since) : undefined;
      const list = await events(engine, since !== undefined ? { since } : {});
      process.stdout.write(
        flags.format === "json"
          ? `${JSON.stringify(list, null, 2)}\n`
          : list.map((e) => `${JSON.stringify(e)}\n`).join(""),
      );
      // Why the list is empty, on stderr: stdout stays NDJSON (or a JSON array) for the programs reading it.
      if (list.length === 0) process.stderr.write(`${noEventsLine(since, await outboxExtent(engine))}\n`);
    } finally {
      await engine.close();
    }
  });
  const retry = group
    .command("retry")
    .description("send every undelivered event again to the policy's webhooks (default: the latest run's policy)")
    .option("--policy <file>", "policy YAML file whose webhooks receive the events")
    .option("--preset <name>", "a shipped preset (repeatable)", (v: string, acc: string[] = []) => [...acc, v])
    .option("--attempts <n>", "attempts per event (default 5)")
    .option("--backoff <ms>", "wait before the second attempt, doubled after each (default 500)");
  addStoreOptions(retry).action(async (flags: RetryFlags) => {
    const given = flags.policy || flags.preset?.length ? await loadPolicy(policySource(flags)) : undefined;
    const engine = await openStoreFromFlags(flags);
    try {
      const recorded = given ? undefined : await findRun(engine);
      const webhooks: readonly WebhookPlan[] = (given?.plan ?? planFromText(recorded?.policyText ?? "")).webhooks ?? [];
      if (recorded)
        process.stderr.write(
          `webhooks of the policy of run ${recorded.runId} (as of ${recorded.asOf}), the latest run\n`,
        );
      if (webhooks.length === 0) throw new UsageError("the policy lists no webhooks (policy key webhooks:)");
      const result = await deliverEvents(engine, {
        webhooks,
        ...(flags.attempts ? { attempts: runId("--attempts", flags.attempts) } : {}),
        ...(flags.backoff ? { backoffMs: runId("--backoff", flags.backoff) } : {}),
      });
      process.stderr.write(`${deliveryLine(result)}\n`);
      if (result.failed > 0) process.exitCode = 1;
    } finally {
      await engine.close();
    }
  });
}
