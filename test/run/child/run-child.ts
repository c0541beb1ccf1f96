/**
 * Child process of the kill tests: `node --import tsx run-child.ts <store> <as-of>`
 * runs every preset over the store. With TIERWISE_KILL_AT set (see
 * fault-engine.ts) it SIGKILLs itself at that point. Prints `ready` just
 * before the run starts and `done <run id>` when it has committed.
 */
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { openStore } from "../../../src/store/index.js";
import { FaultEngine, parseKillPoint } from "./fault-engine.js";

const [store, asOf] = process.argv.slice(2);
if (!store || !asOf) throw new Error("usage: run-child.ts <store> <as-of>");
const policy = await loadPolicy({ presets: ["all"] });
const engine = new FaultEngine(await openStore(store), parseKillPoint(process.env["TIERWISE_KILL_AT"]));
process.stdout.write("ready\n");
const result = await run(engine, policy, { asOf });
await engine.close();
process.stdout.write(`done ${result.runId}\n`);
