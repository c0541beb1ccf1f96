/** Default store file of every command (its own file so the CLI names it without loading an engine). */
export const DEFAULT_STORE = "tierwise.duckdb";
