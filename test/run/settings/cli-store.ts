import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { PostgresEngine } from "../../../src/engine/postgres-engine.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { openStore } from "../../../src/store/index.js";

let databases = 0;

/**
 * A fresh store the CLI can open too: a DuckDB file, or (in the `postgres`
 * project) a new database on the project's server. `args` are the store
 * flags that name it; close `engine` before the CLI writes a DuckDB file.
 */
export async function cliStore(): Promise<{ engine: Engine; args: string[] }> {
  if (process.env.TIERWISE_TEST_ENGINE !== "postgres") {
    const db = join(await mkdtemp(join(tmpdir(), "tierwise-cli-store-")), "shop.duckdb");
    return { engine: await openStore(db), args: ["--db", db] };
  }
  const admin = inject("pgUrl");
  const name = `tw_cli_${process.pid}_${++databases}`;
  const server = await PostgresEngine.open({ url: admin });
  try {
    await server.exec(sql`CREATE DATABASE ${ident(name)}`);
  } finally {
    await server.close();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    engine: await openStore("", { engine: "postgres", databaseUrl: url.toString() }),
    args: ["--engine", "postgres", "--database-url", url.toString()],
  };
}

/** Open the store `cliStore` named again (after the CLI wrote it). */
export async function reopen(args: readonly string[]): Promise<Engine> {
  const url = args[args.indexOf("--database-url") + 1];
  if (args.includes("postgres") && url) return openStore("", { engine: "postgres", databaseUrl: url });
  return openStore(args[1] ?? "");
}
