/**
 * A store that a child process can open too: a DuckDB file in a temp
 * directory, or, in the `postgres` test project, a new database on the
 * project's server (its URL is the spec). `openChildStore` opens a spec.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine } from "../../../src/engine/engine.js";
import { PostgresEngine } from "../../../src/engine/postgres-engine.js";
import { ident, sql } from "../../../src/sql/fragment.js";
import { openStore } from "../../../src/store/index.js";

let databases = 0;

/** Open a store by its spec: a postgres:// URL or a DuckDB file path. */
export function openChildStore(spec: string): Promise<Engine> {
  return /^postgres(ql)?:\/\//.test(spec) ? openStore("", { engine: "postgres", databaseUrl: spec }) : openStore(spec);
}

/** A fresh store's spec; `adminUrl` is the PostgreSQL server's (the postgres project), else DuckDB. */
export async function newChildStore(adminUrl: string | undefined): Promise<string> {
  if (!adminUrl) return join(await mkdtemp(join(tmpdir(), "tw-child-store-")), "shop.duckdb");
  const name = `tw_child_${process.pid}_${++databases}`;
  const server = await PostgresEngine.open({ url: adminUrl });
  try {
    await server.exec(sql`CREATE DATABASE ${ident(name)}`);
  } finally {
    await server.close();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
