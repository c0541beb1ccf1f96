import { duckdbDialect } from "./duckdb.js";
import { postgresDialect } from "./postgres.js";

/**
 * Every dialect Tierwise has: the one list a new engine's dialect is added
 * to. The engine names (`--engine`) derive from it.
 */
export const DIALECTS = [duckdbDialect, postgresDialect] as const;

/** Which engine holds the store, as `--engine` names it. DuckDB (a file) is the embedded default. */
export type EngineName = (typeof DIALECTS)[number]["name"];

/** The engine names, in the order `--engine` lists them (the default first). */
export const ENGINE_NAMES: readonly EngineName[] = DIALECTS.map((d) => d.name);
