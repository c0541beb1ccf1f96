/**
 * A database of its own on the run's one PostgreSQL server (started once by the `postgres` project's
 * global setup, test/support/postgres-global.ts, and handed over as `inject("pgUrl")`). Test files
 * that need PostgreSQL call this instead of starting a server: one server start for the whole run,
 * and a fresh database per call keeps files and tests apart.
 */
import pg from "pg";
import { inject } from "vitest";

export interface TestDatabase {
  /** Connection string of the new database. */
  readonly url: string;
  /** The server version, e.g. `18.4`. */
  readonly version: string;
  /** Drop the database (closing any connection still open to it). Safe to call twice. */
  drop(): Promise<void>;
}

let made = 0;

/** The run's server URL; fails with a clear message outside the `postgres` project. */
export function serverUrl(): string {
  const url = inject("pgUrl");
  if (!url) {
    throw new Error(
      "no PostgreSQL server: this file runs in the vitest `postgres` project (npx vitest run --project postgres FILE)",
    );
  }
  return url;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Create a new, empty database named `<prefix>_<pid>_<n>` on the run's server. */
export async function createTestDatabase(prefix = "tw_test"): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${++made}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad test database name ${name}`);
  const version = await admin(async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    const rows = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return rows.rows[0]?.v ?? "unknown";
  });
  let dropped = false;
  return {
    url: serverUrl().replace(/\/postgres$/, `/${name}`),
    version,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
