import { afterAll, beforeAll } from "vitest";
import { openStore } from "../../src/store/index.js";
import { type StartedPostgres, startPostgres } from "../support/postgres.js";
import { hostileSuite } from "./hostile-suite.js";

// The hostile policy corpus on a real PostgreSQL: nothing executes, every case gets its coded
// problem or arrives unchanged, and every table is intact afterwards.
let pg: StartedPostgres | undefined;

beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);

afterAll(async () => {
  await pg?.stop();
});

hostileSuite("postgres", () => {
  if (!pg) throw new Error("PostgreSQL did not start");
  return openStore("", { engine: "postgres", databaseUrl: pg.url });
});
