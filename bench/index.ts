/**
 * Benchmarks print figures and ratios against a baseline measured in the same
 * process; they never assert times. Usage: npm run bench -- <name> [--customers N]
 */
import { benchBackfill } from "./backfill.js";
import { benchClv } from "./clv.js";
import { benchCsvCount } from "./csv-count.js";
import { benchCustomerRead } from "./customer-read.js";
import { benchEvents } from "./events.js";
import { benchExport } from "./export.js";
import { benchIngest } from "./ingest.js";
import { benchPostgresOutbox } from "./postgres-outbox.js";
import { benchRecommend } from "./recommend.js";
import { benchRun } from "./run.js";
import { benchServe } from "./serve.js";
import { benchStartup } from "./startup.js";

const [name = "ingest", ...rest] = process.argv.slice(2);
const customersFlag = rest.indexOf("--customers");
/** Benchmarks sized for PostgreSQL default to fewer customers. */
const smaller: Record<string, number> = { "pg-outbox": 50_000, "customer-read": 10_000 };
const customers = customersFlag >= 0 ? Number(rest[customersFlag + 1]) : (smaller[name] ?? 1_000_000);

const benches: Record<string, (customers: number) => Promise<void>> = {
  ingest: benchIngest,
  run: benchRun,
  backfill: benchBackfill,
  clv: benchClv,
  recommend: benchRecommend,
  export: benchExport,
  "csv-count": benchCsvCount,
  "pg-outbox": benchPostgresOutbox,
  startup: benchStartup,
  serve: benchServe,
  events: () => benchEvents(),
  "customer-read": benchCustomerRead,
};
const bench = benches[name];
if (!bench) {
  process.stderr.write(`unknown benchmark ${name}; one of: ${Object.keys(benches).join(", ")}\n`);
  process.exit(2);
}
await bench(customers);
