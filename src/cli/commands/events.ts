import { type Command, Option } from "commander";
import type { DeliverResult } from "../../delivery/deliver.js";
import { TierwiseError, UsageError } from "../../errors/index.js";
import type { WebhookPlan } from "../../plan/policy.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";
import { policySource } from "./policy-source.js";

interface EventsFlags extends StoreFlags {
  since?: string;
  format: "ndjson" | "json";
}

interface DeliverFlags extends StoreFlags {
  policy?: string;
  preset?: string[];
  backoff?: string;
  attempts?: string;
  concurrency?: string;
  maxEvents?: string;
  timeout?: string;
}

function runId(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a run id (a whole number), got "${value}"`);
  return n;
}

function whole(flag: string, value: string, least: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < least)
    throw new UsageError(`${flag} takes a whole number of at least ${least}, got "${value}"`);
  return n;
}
const positive = (flag: string, value: string) => whole(flag, value, 1);

/** The host of a url (never its path or query, which may hold a token). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid url)";
  }
}

/** One line for stderr about a delivery (counts only: no event content, no secret). */
export function deliveryLine(r: DeliverResult): string {
  return `events: ${r.delivered} delivered, ${r.undelivered} undelivered (${r.attempts} requests)`;
}

export function registerEvents(program: Command): void {
  const group = program
    .command("events")
    .description("the outbox of tier changes and alerts: list events, deliver them to the webhooks");
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
    const { events, noEventsLine, outboxExtent } = await import("../../delivery/events.js");
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
  const deliver = group
    .command("deliver")
    .alias("retry")
    .description(
      "send the undelivered events to the policy's webhooks, one pass (default: the latest run's policy); exit 1 while some remain",
    )
    .option("--policy <file>", "policy YAML file whose webhooks receive the events")
    .option("--preset <name>", "a shipped preset (repeatable)", (v: string, acc: string[] = []) => [...acc, v])
    .option("--attempts <n>", "attempts per event (default 5)")
    .option("--backoff <ms>", "wait before the second attempt, doubled after each, with jitter (default 500)")
    .option("--timeout <ms>", "time limit of one request (default 10000)")
    .option("--concurrency <n>", "requests in flight at once per webhook (default 4)")
    .option("--max-events <n>", "events sent per webhook in this pass, oldest first (default 1000)");
  addStoreOptions(deliver).action(async (flags: DeliverFlags) => {
    const { loadPolicy } = await import("../../policy/load-policy.js");
    const { deliverEvents } = await import("../../delivery/deliver.js");
    const { findRun, planFromText } = await import("../../run/runs.js");
    const given = flags.policy || flags.preset?.length ? await loadPolicy(policySource(flags)) : undefined;
    const options = {
      ...(flags.attempts ? { attempts: positive("--attempts", flags.attempts) } : {}),
      ...(flags.backoff ? { backoffMs: whole("--backoff", flags.backoff, 0) } : {}),
      ...(flags.timeout ? { timeoutMs: positive("--timeout", flags.timeout) } : {}),
      ...(flags.concurrency ? { concurrency: positive("--concurrency", flags.concurrency) } : {}),
      ...(flags.maxEvents ? { maxEvents: positive("--max-events", flags.maxEvents) } : {}),
    };
    const engine = await openStoreFromFlags(flags);
    try {
      const recorded = given ? undefined : await findRun(engine);
      const policyHooks: readonly WebhookPlan[] =
        (given?.plan ?? planFromText(recorded?.policyText ?? "")).webhooks ?? [];
      if (recorded)
        process.stderr.write(
          `webhooks of the policy of run ${recorded.runId} (as of ${recorded.asOf}), the latest run\n`,
        );
      // Endpoints registered through `tierwise serve` too, when their secrets' key is given.
      const { registeredTargets } = await import("../../delivery/registered-webhooks.js");
      const { SECRET_KEY_ENV, secretKeyFrom } = await import("../../delivery/secret-box.js");
      const registered = await registeredTargets(engine, secretKeyFrom(process.env[SECRET_KEY_ENV]));
      if (registered.unopened.length > 0)
        process.stderr.write(
          `${registered.unopened.length} registered webhooks skipped: set ${SECRET_KEY_ENV} to the server's key\n`,
        );
      const webhooks = [...policyHooks, ...registered.targets];
      if (webhooks.length === 0) throw new UsageError("the policy lists no webhooks (policy key webhooks:)");
      const result = await deliverEvents(engine, { webhooks, ...options });
      process.stderr.write(`${deliveryLine(result)}\n`);
      if (result.undelivered > 0) {
        const hosts = result.openCircuits.map(hostOf);
        const circuits = hosts.length > 0 ? ` (circuit open, skipped during the cool-down: ${hosts.join(", ")})` : "";
        throw new TierwiseError("EVENTS_UNDELIVERED", { count: result.undelivered, circuits });
      }
    } finally {
      await engine.close();
    }
  });
}
