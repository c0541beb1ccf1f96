import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine } from "../../../src/engine/engine.js";
import { openStore } from "../../../src/store/index.js";
import { createTestDatabase } from "../../support/postgres-database.js";

/**
 * A fresh store the CLI can open too: a DuckDB file, or (in the `postgres`
 * project) a new database on the project's server. `args` are the store
 * flags that name it; close `engine` before the CLI writes a DuckDB file.
 */
export async function cliStore(): Promise<{ engine: Engine; args: string[] }> {
  if (process.env["TIERWISE_TEST_ENGINE"] !== "postgres") {
    const db = join(await mkdtemp(join(tmpdir(), "tierwise-cli-store-")), "shop.duckdb");
    return { engine: await openStore(db), args: ["--db", db] };
  }
  const { url } = await createTestDatabase("tw_cli");
  return {
    engine: await openStore("", { engine: "postgres", databaseUrl: url }),
    args: ["--engine", "postgres", "--database-url", url],
  };
}

/** Open the store `cliStore` named again (after the CLI wrote it). */
export async function reopen(args: readonly string[]): Promise<Engine> {
  const url = args[args.indexOf("--database-url") + 1];
  if (args.includes("postgres") && url) return openStore("", { engine: "postgres", databaseUrl: url });
  return openStore(args[1] ?? "");
}
