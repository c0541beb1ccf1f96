import { afterAll, beforeAll } from "vitest";
import { openStore } from "../../src/store/index.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.js";
import { hostileSuite } from "./hostile-suite.js";

// The hostile policy corpus on a real PostgreSQL: nothing executes, every case gets its coded
// problem or arrives unchanged, and every table is intact afterwards.
let pg: TestDatabase | undefined;

beforeAll(async () => {
  pg = await createTestDatabase("pg_hostile");
});

afterAll(async () => {
  await pg?.drop();
});

hostileSuite("postgres", () => {
  if (!pg) throw new Error("PostgreSQL did not start");
  return openStore("", { engine: "postgres", databaseUrl: pg.url });
});
