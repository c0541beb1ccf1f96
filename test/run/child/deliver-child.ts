/**
 * Child process of the delivery crash test: `node --import tsx
 * deliver-child.ts <store> <url>` sends the outbox's undelivered events to
 * one webhook (secret in TW_HOOK_SECRET), one attempt each, one at a time. With
 * TIERWISE_KILL_AT set (see fault-engine.ts; `before-insert:tw_event_deliveries`
 * dies after the receiver answered, before the attempt is recorded) it
 * SIGKILLs itself there. Prints `ready` before sending, `done` at the end.
 */
import { deliverEvents } from "../../../src/delivery/deliver.js";
import { openChildStore } from "./child-store.js";
import { FaultEngine, parseKillPoint } from "./fault-engine.js";

const [store, url] = process.argv.slice(2);
if (!store || !url) throw new Error("usage: deliver-child.ts <store> <url>");
const engine = new FaultEngine(await openChildStore(store), parseKillPoint(process.env["TIERWISE_KILL_AT"]));
process.stdout.write("ready\n");
const result = await deliverEvents(engine, {
  webhooks: [{ url, secretEnv: "TW_HOOK_SECRET" }],
  attempts: 1,
  concurrency: 1,
});
await engine.close();
process.stdout.write(`done ${result.delivered}\n`);
