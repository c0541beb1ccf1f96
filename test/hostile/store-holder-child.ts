/**
 * A child process that holds a DuckDB store open, as another Tierwise
 * command or a DuckDB client would: `store-holder-child.ts FILE read|write`.
 * It prints "held" once the file is open, keeps it open until its stdin
 * ends, then closes it and exits (test/hostile/store-processes.ts).
 */
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import { records, sql } from "../../src/sql/index.js";

const [path, mode] = process.argv.slice(2);
if (!path || (mode !== "read" && mode !== "write")) throw new Error("usage: store-holder-child.ts FILE read|write");
const engine = await DuckDbEngine.open({ path, ...(mode === "read" ? { readOnly: true } : {}) });
await engine.query(records(sql`SELECT 1 AS one`));
process.stdout.write("held\n");
process.stdin.resume();
await new Promise<void>((done) => process.stdin.on("end", () => done()));
await engine.close();
