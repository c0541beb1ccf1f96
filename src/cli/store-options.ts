import { type Command, Option } from "commander";
import type { Engine } from "../engine/engine.js";
import { UsageError } from "../errors/index.js";
import { ENGINE_NAMES } from "../sql/dialect/dialects.js";
import { DEFAULT_STORE } from "../store/default-store.js";
import type { EngineName } from "../store/index.js";
import { memoryLimit } from "./memory-limit.js";
import { DEFAULT_WAIT, parseWait } from "./wait-option.js";

/** The store flags every command that reads or writes the store accepts. */
export interface StoreFlags {
  db: string;
  engine: EngineName;
  databaseUrl?: string;
  memoryLimit?: string;
  wait?: string;
}

/** Add `--db`, `--engine`, `--database-url` and `--memory-limit` to a command. */
export function addStoreOptions(command: Command): Command {
  return command
    .option("--db <file>", "DuckDB store file", DEFAULT_STORE)
    .addOption(new Option("--engine <engine>", "where the store lives").choices(ENGINE_NAMES).default(ENGINE_NAMES[0]))
    .option("--database-url <url>", "PostgreSQL connection string (or TIERWISE_DATABASE_URL)")
    .option("--memory-limit <size>", "DuckDB memory limit, e.g. 4GB (spills to disk beyond it)", memoryLimit)
    .option(
      "--wait <duration>",
      `how long to wait while another process holds the store, e.g. 2m (default ${DEFAULT_WAIT})`,
    );
}

/**
 * Open the store the flags name; PostgreSQL needs a URL from the flag or
 * TIERWISE_DATABASE_URL. A missing store is refused (`NO_STORE`, nothing is
 * created) unless `create` (only the commands that fill a store: ingest).
 * `readOnly` for the commands that only read: they share the store with
 * other readers and work on a read-only file. While another process holds
 * the store, the open waits up to `--wait`, saying so once on stderr.
 */
export async function openStoreFromFlags(
  flags: StoreFlags,
  options: { create?: boolean; readOnly?: boolean } = {},
): Promise<Engine> {
  const databaseUrl = flags.databaseUrl ?? process.env["TIERWISE_DATABASE_URL"];
  if (flags.engine === "postgres" && !databaseUrl) {
    throw new UsageError("--engine postgres needs --database-url URL (or the TIERWISE_DATABASE_URL variable)");
  }
  const { openStore } = await import("../store/index.js");
  return openStore(flags.db, {
    engine: flags.engine,
    create: options.create ?? false,
    ...(options.readOnly ? { readOnly: true } : {}),
    waitMs: parseWait(flags.wait ?? DEFAULT_WAIT),
    onWait: (holder) => process.stderr.write(`waiting for the store: held by ${holder}\n`),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(flags.memoryLimit ? { memoryLimit: flags.memoryLimit } : {}),
  });
}

/** The store file the flags name (`--db`), or undefined when the store is a database server (PostgreSQL). */
export function storeFile(flags: StoreFlags): string | undefined {
  return flags.engine === "postgres" ? undefined : flags.db;
}

/** How a message names the store the flags open: the --db path as given, or "the PostgreSQL database". */
export function storeLabel(flags: StoreFlags): string {
  return storeFile(flags) ?? "the PostgreSQL database";
}
